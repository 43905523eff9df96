"""Every page of the main flows is valid HTML: the Nu HTML checker (vnu.jar, pinned in
package-lock.json, installed by `make test`) runs once over all of them (one JVM start).

The data is the demo's (`make run`) plus a session graded through the services: one exam
in deliberation with a disputed criterion, the others closed, signed, with certificates.
Whole pages only: the htmx fragments are parts of these pages.
"""
import json
import re
import shutil
import subprocess
from html import unescape

import pytest

from certif import ROOT
from certif.auth.models import User
from certif.candidates.livret.models import LivretEvaluation
from certif.certificates import issuing as certificates
from certif.certificates.models import Certificate
from certif.demo import PASSWORD as DEMO_PASSWORD
from certif.demo import load_demo
from certif.extensions import db
from certif.grading import services as grading
from certif.sessions.models import Exam, ExamSession

from .factories.sessions import make_exam
from .factories.web import CSRF_RE, Browserless

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HASH_RE = re.compile(r'name="content_sha256" value="([0-9a-f]{64})"')


def vnu_errors(files) -> list[str]:
    """vnu's errors over `files`, as "file:line: message"; fails when vnu cannot run."""
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.fail("The Nu HTML checker needs Java and vnu.jar: apt-get install default-jre-headless npm, "
                    "then `make test` (npm ci installs node_modules/vnu-jar).", pytrace=False)
    # One JVM for all pages; the serial collector and the quick compiler suit a short run.
    command = [java, "-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(VNU),
               "--format", "json", "--errors-only", *map(str, files)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=240)
    try:
        messages = json.loads(run.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu did not answer in JSON (exit {run.returncode}): {run.stderr[:2000]}")
    return [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
            f" — {m.get('extract', '').strip()!r}"
            for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]


def login(app, email, password) -> Browserless:
    web = Browserless(app.test_client())
    web.login(db.session.scalar(db.select(User).filter_by(email=email)), password)
    return web


def seen_hash(web, path) -> dict:
    found = HASH_RE.search(web.get(path).text)
    return {"content_sha256": found.group(1)} if found else {}


def typed(name) -> dict:
    return {"signature_method": "typed", "signature_typed": name}


def graded_session(organiser_web, make_web):
    """RS6240, three candidates: two closed (one favourable, one not), minutes signed by both
    jurors with the organiser's visa, certificates made; a fourth exam in deliberation
    with one disputed criterion (another session, so that its minutes stay open)."""
    done = make_exam("RS6240", candidates=2)
    exams = sorted(done.jury.exams, key=lambda e: e.id)
    for exam, failing in zip(exams, (set(), set(done.criteria[:3])), strict=True):
        for juror in (done.president, done.member):
            for criterion_id in done.criteria:
                grading.set_mark(juror, exam.id, criterion_id,
                                 "non_acquis" if criterion_id in failing else "acquis")
        grading.open_deliberation(done.president, exam.id)
        grading.close_deliberation(done.president, exam.id, confirmed=True, comment="Prestation claire.")
    president, member = make_web(done.president), make_web(done.member)
    path = f"/jury/sessions/{done.session.id}/proces-verbal"
    for web, juror in ((president, done.president), (member, done.member)):
        response = web.post(f"{path}/signature", {**typed(juror.full_name), **seen_hash(web, path)})
        assert response.status_code in (302, 303), response.text
    path = f"/sessions/{done.session.id}/proces-verbal"
    response = organiser_web.post(f"{path}/visa", {**typed("Sephora Labi"), **seen_hash(organiser_web, path)})
    assert response.status_code in (302, 303), response.text
    organiser = db.session.scalar(db.select(User).filter_by(email="organisation@certif.test"))
    certificates.generate_certificates(organiser, done.session.id)

    open_ = make_exam("RS6240", candidates=2)
    exam = sorted(open_.jury.exams, key=lambda e: e.id)[0]
    for juror in (open_.president, open_.member):
        for criterion_id in open_.criteria:
            disputed = juror is open_.member and criterion_id == open_.criteria[0]
            grading.set_mark(juror, exam.id, criterion_id, "non_acquis" if disputed else "acquis")
    grading.open_deliberation(open_.president, exam.id)
    db.session.expire_all()
    return done, open_, exam, president, make_web(open_.president)


def candidate_signs(app, juror_web, exam_id) -> dict[str, str]:
    """The president checks the identity and opens an attendance link; the candidate types its
    code on their own device and signs. Returns the candidate's pages."""
    base = f"/jury/examens/{exam_id}"
    identity = {"document_type": "cni", "convocation_checked": "y", "mode": "camera", "notes": ""}
    assert juror_web.post(f"/jury/examens/{exam_id}/declaration", {"value": "none"}).status_code == 303
    assert juror_web.post(f"{base}/identite", identity).status_code == 303
    pages = {"jury-emargement-candidat": juror_web.get(f"{base}/emargement-candidat").text}
    assert juror_web.post(f"{base}/lien-emargement").status_code == 303
    page = unescape(juror_web.get(f"{base}/accueil").text)
    code = re.search(r'class="attendance-code"[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})<', page).group(1)
    candidate = Browserless(app.test_client())
    pages["emargement-code"] = candidate.get("/emargement").text
    token = CSRF_RE.search(pages["emargement-code"]).group(1)
    assert candidate.post("/emargement", {"code": code, "csrf_token": token}, csrf=False).status_code == 303
    pages["emargement-signer"] = signing = candidate.get("/emargement/signer").text
    token = CSRF_RE.search(signing).group(1)
    found = HASH_RE.search(signing)
    response = candidate.post("/emargement/signer", {**typed("Emma Garnier"), "csrf_token": token,
                                                     "content_sha256": found.group(1) if found else ""},
                              csrf=False)
    assert response.status_code == 303, response.text
    pages["emargement-merci"] = candidate.get("/emargement/merci").text
    return pages


def test_every_page_of_the_main_flows_is_valid_html(app, make_web, tmp_path):
    assert load_demo()
    organiser = login(app, "organisation@certif.test", DEMO_PASSWORD)
    council = login(app, "conseil@certif.test", DEMO_PASSWORD)
    juror = login(app, "jure1@certif.test", DEMO_PASSWORD)
    done, open_, deliberating, president, open_president = graded_session(organiser, make_web)

    today = db.session.scalar(db.select(ExamSession).filter_by(number="2026-RS6240-00"))
    sessions = db.session.scalars(db.select(ExamSession).order_by(ExamSession.id)).all()
    today_exam = db.session.scalar(db.select(Exam).where(Exam.jury_id == today.juries[0].id)
                                   .order_by(Exam.position))
    certificate = db.session.scalars(db.select(Certificate).order_by(Certificate.id)).first()
    assert certificate is not None
    done_exams = sorted(done.jury.exams, key=lambda e: e.id)
    candidate = done_exams[1].candidate
    with app.test_request_context():
        from certif.candidates.links import make_token
        portal = make_token(candidate)
    juror_id = db.session.scalar(db.select(User.id).filter_by(email="jure1@certif.test"))

    pages: dict[str, str] = {}

    def get(name, web, path, status=200):
        response = web.get(path)
        assert response.status_code == status, f"{name} {path}: {response.status_code}"
        assert response.mimetype == "text/html", f"{name} {path}: {response.mimetype}"
        pages[name] = response.text

    anonymous = Browserless(app.test_client())
    get("connexion", anonymous, "/connexion")
    get("mot-de-passe-oublie", anonymous, "/mot-de-passe-oublie")
    get("resultats-certification", anonymous, "/resultats-certification")  # issue 15: public pages
    get("donnees-personnelles", anonymous, "/donnees-personnelles")
    get("verifier-certificat", anonymous, "/verifier-certificat")
    token = CSRF_RE.search(pages["verifier-certificat"]).group(1)
    for name, code in (("authentique", certificate.verification_code), ("inconnu", "ZZZZ-ZZZZ")):
        response = anonymous.post("/verifier-certificat", {"number": certificate.number, "code": code,
                                                           "csrf_token": token}, csrf=False)
        assert response.status_code == 200, response.text
        pages[f"verifier-certificat-{name}"] = response.text
    get("erreur-404", anonymous, "/nexiste-pas", 404)
    get("erreur-403", juror, "/sessions/", 403)

    # The organiser.
    get("tableau-de-bord", organiser, "/tableau-de-bord/")
    get("compte", organiser, "/compte")
    get("double-authentification", organiser, "/compte/double-authentification")
    get("documents-verifier", organiser, "/documents/verifier")
    get("sessions", organiser, "/sessions/")
    get("session-nouvelle", organiser, "/sessions/nouvelle")
    for session in sessions:
        get(f"session-{session.id}", organiser, f"/sessions/{session.id}")
    get("session-modifier", organiser, f"/sessions/{today.id}/modifier")
    get("session-jury", organiser, f"/sessions/jurys/{today.juries[0].id}")
    get("session-emargements", organiser, f"/sessions/{today.id}/emargements")
    get("session-conditions", organiser, f"/sessions/{done.session.id}/conditions")
    get("session-examen", organiser, f"/sessions/examens/{today_exam.id}")
    get("session-annulation", organiser, f"/sessions/{sessions[1].id}/annulation")
    get("session-report", organiser, f"/sessions/examens/{today_exam.id}/report")
    get("session-carence", organiser, f"/sessions/jurys/{today.juries[0].id}/carence")
    get("session-remplacement", organiser, f"/sessions/jurys/{today.juries[0].id}/remplacement")
    get("session-historique", organiser, f"/sessions/examens/{done_exams[0].id}/historique")
    get("session-pv", organiser, f"/sessions/{done.session.id}/proces-verbal")
    get("session-pv-ouvert", organiser, f"/sessions/{open_.session.id}/proces-verbal")
    get("session-resultats", organiser, f"/sessions/{done.session.id}/resultats")
    get("candidats", organiser, "/candidats/")
    get("candidat", organiser, f"/candidats/{candidate.id}")
    get("candidat-demo", organiser, f"/candidats/{today_exam.candidate_id}")
    get("candidat-nouveau", organiser, "/candidats/nouveau")
    get("candidat-modifier", organiser, f"/candidats/{candidate.id}/modifier")
    get("candidat-amenagement", organiser, f"/candidats/{today_exam.candidate_id}/amenagement")
    get("candidats-import", organiser, "/candidats/import")
    livret = db.session.scalar(db.select(LivretEvaluation).order_by(LivretEvaluation.id)).livret  # issue 14
    get("candidat-livret", organiser, f"/candidats/{livret.candidate_id}/livret")
    get("candidat-livret-evaluation", organiser, f"/candidats/{livret.candidate_id}/livret/evaluations/{livret.evaluations[0].id}")  # noqa: E501
    get("candidat-livret-import", organiser, f"/candidats/{livret.candidate_id}/livret/import")
    get("jures", organiser, "/jures/")
    get("jure", organiser, f"/jures/{juror_id}")
    get("jure-nouveau", organiser, "/jures/nouveau")
    get("jure-modifier", organiser, f"/jures/{juror_id}/modifier")
    get("convocations", organiser, f"/convocations/sessions/{today.id}")
    get("convocations-a-faire", organiser, f"/convocations/sessions/{sessions[1].id}")
    to_convene = db.session.scalar(db.select(Exam.id).where(Exam.jury_id == sessions[1].juries[0].id))
    get("convocation-envoyer", organiser, f"/convocations/examens/{to_convene}/envoyer")
    get("courriels", organiser, "/courriels/")
    mail_ids = re.findall(r'href="/courriels/(\d+)"', pages["courriels"])
    assert mail_ids, "the outbox lists no message"
    get("courriel", organiser, f"/courriels/{mail_ids[0]}")
    get("comptes", organiser, "/comptes/")
    get("compte-staff", organiser, f"/comptes/{juror_id}")
    get("compte-nouveau", organiser, "/comptes/nouveau")
    get("declarations-cdc", organiser, "/declarations-cdc")  # issue 15: the demo's lines, then declared
    assert organiser.post("/declarations-cdc/fichiers").status_code == 303
    get("declarations-cdc-declarees", organiser, "/declarations-cdc")

    # The council.
    get("conseil", council, "/conseil/")
    get("conseil-fiches", council, "/conseil/fiches")
    sheets = sorted(set(re.findall(r'href="/conseil/fiches/anomalie/(\d+)"', pages["conseil-fiches"])))
    assert sheets, "the council's inbox lists no anomaly sheet"
    for sheet_id in sheets:
        get(f"conseil-anomalie-{sheet_id}", council, f"/conseil/fiches/anomalie/{sheet_id}")
    get("conseil-actions", council, "/conseil/actions")
    for action_id in sorted(set(re.findall(r'href="/conseil/actions/(\d+)"', pages["conseil-actions"]))):
        get(f"conseil-action-{action_id}", council, f"/conseil/actions/{action_id}")
    get("conseil-reunions", council, "/conseil/reunions/")
    for meeting_id in sorted(set(re.findall(r'href="/conseil/reunions/(\d+)"', pages["conseil-reunions"]))):
        get(f"conseil-reunion-{meeting_id}", council, f"/conseil/reunions/{meeting_id}")
        get(f"conseil-reunion-{meeting_id}-modifier", council, f"/conseil/reunions/{meeting_id}/modifier")
        get("conseil-action-nouvelle", council, f"/conseil/actions/nouvelle?meeting={meeting_id}")
    get("conseil-reunion-nouvelle", council, "/conseil/reunions/nouvelle")
    get("conseil-indicateurs", council, "/conseil/indicateurs/")
    get("anomalies", organiser, "/anomalies/")
    get("anomalie-nouvelle", juror, "/anomalies/nouvelle")

    # The jurors: today's exam day (reception, the candidate's signature), grading,
    # deliberation, the minutes and the conditions sheet.
    get("jury", juror, "/jury/")
    get("jury-accueil", juror, f"/jury/examens/{today_exam.id}/accueil")
    get("jury-grille-declaration", juror, f"/jury/examens/{today_exam.id}/grille")
    pages.update(candidate_signs(app, juror, today_exam.id))
    get("jury-accueil-signe", juror, f"/jury/examens/{today_exam.id}/accueil")
    get("jury-conditions", juror, f"/jury/jurys/{today.juries[0].id}/conditions")
    grading_exam = sorted(open_.jury.exams, key=lambda e: e.id)[1]
    get("jury-grille", open_president, f"/jury/examens/{grading_exam.id}/grille")
    get("jury-deliberation", open_president, f"/jury/examens/{deliberating.id}/deliberation")
    get("jury-deliberation-close", president, f"/jury/examens/{done_exams[0].id}/deliberation")
    get("jury-pv", president, f"/jury/sessions/{done.session.id}/proces-verbal")
    get("jury-pv-ouvert", open_president, f"/jury/sessions/{open_.session.id}/proces-verbal")
    get("jury-mon-profil", juror, "/jures/mon-profil")

    # The candidate's signed link.
    get("candidat-portail", anonymous, f"/c/{portal}")
    get("candidat-anomalie", anonymous, f"/c/{portal}/anomalie")
    get("candidat-recours", anonymous, f"/c/{portal}/recours/{done_exams[1].id}")

    files = []
    for number, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"{number:02d}-{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    errors = vnu_errors(files)
    assert errors == [], f"{len(errors)} HTML errors in {len(files)} pages:\n" + "\n".join(errors)


def test_deliberation_page_ids_are_unique(app, make_web):
    """Issue 13 item 9: a duplicated id (d66) broke a group's accessible name."""
    setup = make_exam("RS6240")
    for juror in (setup.president, setup.member):
        for criterion_id in setup.criteria:
            disputed = juror is setup.member and criterion_id == setup.criteria[0]
            grading.set_mark(juror, setup.exam.id, criterion_id, "non_acquis" if disputed else "acquis")
    grading.open_deliberation(setup.president, setup.exam.id)
    page = make_web(setup.president).get(f"/jury/examens/{setup.exam.id}/deliberation").text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert "d" + str(setup.criteria[0]) in ids  # the disputed criterion's group
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    # Every group and field is named by an element that exists (once).
    for labelled_by in re.findall(r'aria-labelledby="([^"]+)"', page):
        assert all(ids.count(i) == 1 for i in labelled_by.split()), labelled_by
