"""The minutes: editing, signing (freeze + lock), the visa and its seal, the session steps."""
import hashlib
import io
import json

import pypdf
import pytest
from sqlalchemy import event

from certif.audit.models import AuditEntry
from certif.documents.models import SEALED_MINUTES, SealedDocument
from certif.extensions import db
from certif.grading import declarations
from certif.grading import services as grading
from certif.minutes import documents as minutes_documents
from certif.minutes.models import Minutes
from certif.people import of
from certif.sessions import lifecycle
from certif.signatures.models import MINUTES, Signature

from ..factories.grading import fast_close
from ..factories.jurors import make_juror
from ..factories.sessions import make_exam
from .helpers import close, exams_of, give_visa, grade, shown_hash, sign, sign_form

LOCKED = "Le procès-verbal de la session n° {number} est signé : les notes sont verrouillées"


def url(setup, suffix=""):
    return f"/jury/sessions/{setup.session.id}/proces-verbal{suffix}"


def pdf_text(data: bytes) -> str:
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def minutes_row(setup) -> Minutes:
    return db.session.scalar(db.select(Minutes).filter_by(session_id=setup.session.id))


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


def sign_all(setup, make_web):
    assert sign(make_web(setup.president), setup).status_code == 303
    assert sign(make_web(setup.member), setup, "Marc Membre").status_code == 303


# --- Access -----------------------------------------------------------------------------

def test_only_sitting_jurors_see_the_minutes(closed_setup, make_web, organiser_user, web):
    s = closed_setup
    assert make_web(s.president).get(url(s)).status_code == 200
    assert make_web(s.member).get(url(s)).status_code == 200
    stranger = make_web(make_juror("Autre", "Jure"))
    assert stranger.get(url(s)).status_code == 404
    assert stranger.post(url(s, "/signature"), sign_form("Autre Jure")).status_code == 404
    assert stranger.get(f"/sessions/{s.session.id}/proces-verbal.pdf").status_code == 404
    assert stranger.get(f"/examens/{s.exam.id}/grille.pdf").status_code == 404
    # Organiser-only routes refuse a juror.
    juror = make_web(s.president)
    assert juror.get(f"/sessions/{s.session.id}/proces-verbal").status_code == 403
    assert juror.post(f"/sessions/{s.session.id}/proces-verbal/visa", sign_form()).status_code == 403
    # An organiser without the juror role does not reach the jurors' page.
    assert make_web(organiser_user).get(url(s)).status_code == 403
    # Anonymous: to the login form.
    r = web.get(url(s))
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]


def test_juror_page_shows_the_minutes_and_what_remains(app, make_web):
    s = make_exam("RS6240", candidates=2)
    first, second = exams_of(s)
    close(s, first)
    r = make_web(s.president).get(url(s))
    assert r.status_code == 200
    page = r.text
    assert "Président de la session" in page and s.president.full_name in page
    assert s.member.full_name in page
    assert "Épreuve théorique" in page and "(10 minutes)" in page and "(20 minutes)" in page
    of_second = of(second.candidate.full_name).replace("'", "&#39;")
    assert f"La délibération {of_second} (Jury 1) n&#39;est pas close" in page
    assert "20,00/20" in page
    # The pad is offered only once nothing remains.
    assert "Signer le procès-verbal</button>" not in page


def test_a_president_edits_times_place_and_observations(closed_setup, make_web):
    s = closed_setup
    president = make_web(s.president)
    r = president.post(url(s), {"opened_at": "08:45", "closed_at": "12:30", "place": "Lyon",
                                "observations": "Connexion coupée 2 minutes."})
    assert r.status_code == 303
    minutes = minutes_row(s)
    assert minutes.place == "Lyon" and minutes.observations == "Connexion coupée 2 minutes."
    assert (minutes.opened_at.hour, minutes.opened_at.minute) == (7, 45)  # Paris → UTC
    assert len(audit("minutes.update")) == 1
    text = pdf_text(minutes_documents.general_minutes_pdf(s.session))
    assert "à Lyon" in text and "Connexion coupée 2 minutes." in text
    assert "clôturée à 12 h 30" in text and "PROJET" in text


def test_editing_refuses_bad_input_and_members(closed_setup, make_web):
    s = closed_setup
    president = make_web(s.president)
    r = president.post(url(s), {"opened_at": "9h7x", "closed_at": "", "place": "", "observations": ""})
    assert r.status_code == 400 and "format HH:MM" in r.text
    r = president.post(url(s), {"opened_at": "12:00", "closed_at": "09:00", "place": "",
                                "observations": ""})
    assert r.status_code == 400 and "doit suivre" in r.text
    assert minutes_row(s) is None
    r = make_web(s.member).post(url(s), {"opened_at": "", "closed_at": "", "place": "X",
                                        "observations": ""})
    assert r.status_code == 403 and minutes_row(s) is None


# --- Signing ----------------------------------------------------------------------------

def test_signing_is_refused_while_a_deliberation_is_open(app, make_web):
    s = make_exam("RS6240", candidates=2)
    first, second = exams_of(s)
    close(s, first)
    grade(s, second)
    r = make_web(s.president).post(url(s, "/signature"), sign_form(content_sha256=shown_hash(s.session.id)))
    assert r.status_code == 409
    of_second = of(second.candidate.full_name).replace("'", "&#39;")
    assert f"la délibération {of_second} (Jury 1) n&#39;est pas close" in r.text
    assert db.session.scalar(db.select(Signature.id).filter_by(document=MINUTES)) is None
    minutes = minutes_row(s)
    assert minutes is None or minutes.locked_at is None


def test_signing_is_refused_while_a_conflict_is_open(app, make_web):
    s = make_exam("RS6240", candidates=2, declared=False)
    first, second = exams_of(s)
    for juror in (s.president, s.member):
        declarations.declare(juror, first.id, "none")
    declarations.declare(s.president, second.id, "none")
    declarations.declare(s.member, second.id, "conflict")
    close(s, first)
    r = make_web(s.president).post(url(s, "/signature"), sign_form(content_sha256=shown_hash(s.session.id)))
    assert r.status_code == 409 and "a déclaré connaître" in r.text


def test_first_signature_freezes_the_content_for_every_signer(closed_setup, make_web):
    s = closed_setup
    sign_all(s, make_web)
    minutes = minutes_row(s)
    assert minutes.locked_at is not None and minutes.signed_at is not None
    assert minutes.content_sha256 == hashlib.sha256(minutes.content.encode()).hexdigest()
    sigs = db.session.scalars(db.select(Signature).filter_by(document=MINUTES,
                                                             subject_id=minutes.id)).all()
    assert {(sig.signer_role, sig.auth_method) for sig in sigs} == {("president", "login"),
                                                                    ("member", "login")}
    assert {sig.content_sha256 for sig in sigs} == {minutes.content_sha256}
    assert all(sig.content == minutes.content for sig in sigs)
    content = json.loads(minutes.content)
    first, second = exams_of(s)
    by_exam = {e["exam_id"]: e for e in content["exams"]}
    assert by_exam[first.id]["total"] == "20.00" and by_exam[first.id]["decision"] == "favorable"
    assert by_exam[second.id]["grid"]["Cr1"] == "non_acquis"
    assert by_exam[second.id]["competencies"]["C1"]["acquired"] is False
    assert by_exam[second.id]["president_comment"] == "C1 à retravailler."
    assert [r["candidate"] for r in content["results"]] == [first.candidate.full_name,
                                                           second.candidate.full_name]
    assert content["president"]["id"] == s.president.id
    assert content["place"] == "À distance"
    assert len(audit("minutes.lock")) == 1 and len(audit("minutes.signed")) == 1
    # Signing twice is refused.
    r = make_web(s.member).post(url(s, "/signature"), sign_form("Marc Membre", minutes.content_sha256))
    assert r.status_code == 409


def test_grades_are_locked_after_the_first_signature(app, make_web):
    s = make_exam("RS6240", candidates=1)
    close(s, s.exam)
    # Reopen nothing: the deliberation is closed; check the lock message wins on every write.
    assert sign(make_web(s.president), s).status_code == 303
    president = make_web(s.president)
    criterion = s.criteria[0]
    for path, data in [
        (f"/jury/examens/{s.exam.id}/grille/criteres/{criterion}", {"value": "non_acquis"}),
        (f"/jury/examens/{s.exam.id}/deliberation/criteres/{criterion}", {"value": "non_acquis"}),
        (f"/jury/examens/{s.exam.id}/deliberation/commentaire", {"comment": "Changé"}),
    ]:
        r = president.post(path, data)
        # The closed phase is checked first by grading (its message also says "verrouillées").
        assert r.status_code == 409 and "verrouillées" in r.text, path
    db.session.refresh(s.exam)
    assert s.exam.president_comment == "Très bonne prestation."
    # Editing the minutes is refused too.
    r = president.post(url(s), {"opened_at": "", "closed_at": "", "place": "Paris", "observations": ""})
    assert r.status_code == 409 and minutes_row(s).place == "À distance"


def test_lock_applies_to_services_in_deliberation(app):
    """An exam in deliberation when the minutes lock (by direct row state): every write refused."""
    s = make_exam("RS6240", candidates=1)
    grade(s, s.exam)
    grading.open_deliberation(s.president, s.exam.id)
    db.session.add(Minutes(session_id=s.session.id, content="{}", content_sha256="0" * 64,
                           locked_at=s.session.starts_at))
    db.session.commit()
    from certif.errors import Conflict
    message = LOCKED.format(number=s.session.number)
    for call in (lambda: grading.record_jury_value(s.president, s.exam.id, s.criteria[0], "acquis"),
                 lambda: grading.save_comment(s.president, s.exam.id, "x")):
        with pytest.raises(Conflict) as error:
            call()
        assert message in error.value.message


# --- Visa ---------------------------------------------------------------------------------

def test_visa_refused_before_every_juror_signed(closed_setup, make_web, organiser_user):
    s = closed_setup
    org = make_web(organiser_user)
    visa_url = f"/sessions/{s.session.id}/proces-verbal/visa"
    r = org.post(visa_url, sign_form("Olga", shown_hash(s.session.id)))
    assert r.status_code == 409 and "après la signature du procès-verbal par tous les jurés" in r.text
    sign(make_web(s.president), s)
    r = org.post(visa_url, sign_form("Olga", shown_hash(s.session.id)))
    assert r.status_code == 409 and s.member.full_name in r.text
    assert minutes_row(s).visa_at is None


def test_visa_seals_the_general_minutes(closed_setup, make_web, organiser_user):
    s = closed_setup
    sign_all(s, make_web)
    org = make_web(organiser_user)
    page = org.get(f"/sessions/{s.session.id}/proces-verbal")
    assert page.status_code == 200 and "Apposer le visa" in page.text
    r = give_visa(org, s)
    assert r.status_code == 303, r.text
    minutes = minutes_row(s)
    assert minutes.visa_at is not None and minutes.visa_by_id == organiser_user.id
    visa = db.session.scalar(db.select(Signature).filter_by(document=MINUTES, signer_role="organiser"))
    assert visa.content_sha256 == minutes.content_sha256
    assert db.session.scalar(db.select(SealedDocument).filter_by(kind=SEALED_MINUTES,
                                                                 subject_id=s.session.id))
    r = org.get(f"/sessions/{s.session.id}/proces-verbal.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    from certif.documents.seal import verify_pdf
    assert verify_pdf(r.data).intact
    text = pdf_text(r.data)
    assert "Olga Organisatrice" in text and "PROJET" not in text
    assert len(audit("minutes.visa")) == 1
    # A second visa is refused.
    r = org.post(f"/sessions/{s.session.id}/proces-verbal/visa",
                 sign_form("Olga", minutes.content_sha256))
    assert r.status_code == 409
    # Individual minutes and grids are sealed on first download, then kept.
    first = exams_of(s)[0]
    one = org.get(f"/examens/{first.id}/grille.pdf")
    assert one.status_code == 200 and verify_pdf(one.data).intact
    assert org.get(f"/examens/{first.id}/grille.pdf").data == one.data
    documents = minutes_documents.exam_documents(first)
    assert [name for name, _ in documents][0].startswith("proces-verbal-individuel-")
    assert all(verify_pdf(data).intact for _, data in documents)


# --- Session steps ------------------------------------------------------------------------

def test_session_steps_need_signed_minutes_and_the_visa(closed_setup, make_web, organiser_user):
    s = closed_setup
    session = s.session
    session.status = "in_progress"
    db.session.commit()
    org = make_web(organiser_user)

    def advance(target):
        return org.post(f"/sessions/{session.id}/statut", {"target": target})

    facts = lifecycle.session_facts(session)
    assert "procès-verbal" in lifecycle.deliberate_problem(facts)
    sign(make_web(s.president), s)
    assert "par tous les jurés" in lifecycle.deliberate_problem(lifecycle.session_facts(session))
    sign(make_web(s.member), s, "Marc Membre")
    db.session.refresh(session)
    assert lifecycle.deliberate_problem(lifecycle.session_facts(session)) is None
    session.status = "deliberated"
    db.session.commit()
    step = lifecycle.next_step(lifecycle.session_facts(session))
    assert step.target == "closed" and "visa" in step.problem
    assert give_visa(org, s).status_code == 303
    db.session.refresh(session)
    assert lifecycle.next_step(lifecycle.session_facts(session)).problem is None


# --- PDFs -----------------------------------------------------------------------------------

def test_rs6240_pdfs_text(closed_setup, make_web):
    s = closed_setup
    first, second = exams_of(s)
    text = pdf_text(minutes_documents.general_minutes_pdf(s.session))
    for expected in ("PROCES VERBAL DE LA CERTIFICATION", "GERER LA COMMUNICATION DIGITALE",
                     "Procès-verbal général de la session de certification du 1er décembre 2026",
                     "Arrêté du 25 janvier 2023", "1. OUVERTURE DE LA SESSION", "2. EPREUVE REALISEE",
                     "(10 minutes)", "(20 minutes)", "3. DEROULEMENT DES EPREUVES",
                     "4. RESULTATS ET DELIBERATIONS", "5. CLOTURE DE LA SESSION",
                     "délai de 3 semaines", "VISA du responsable d'organisation",
                     s.president.full_name, s.member.full_name, first.candidate.full_name,
                     "20,00/20", "18,00/20", "Avis favorable", "Avis défavorable", "à distance",
                     "PROJET"):
        assert expected in text, expected
    sign_all(s, make_web)
    text = pdf_text(minutes_documents.general_minutes_pdf(s.session))
    assert "PROJET" not in text and "Paule Presidente" in text and "signé le" in text

    grid = pdf_text(minutes_documents.grid_pdf(second))
    for expected in ("GRILLE D'EVALUATION", "SYNTHESE DE L'EVALUATION", "Commentaires du président du Jury",
                     "C1 à retravailler.", "Non Acquise", "18,00/20", "14 points/20",
                     "La création de page professionnelle (2 points)", "Cr24-",
                     s.member.full_name):
        assert expected in grid, expected
    assert grid.count("X") >= 25  # 24 criteria + the decision
    individual = pdf_text(minutes_documents.individual_minutes_pdf(second))
    assert second.candidate.full_name in individual and "Avis défavorable" in individual
    assert "C1 à retravailler." in individual and "Non acquise" in individual


def test_rncp_pdfs_have_blocks_and_no_points(app):
    s = make_exam("RNCP-CM", candidates=1)
    close(s, s.exam)
    general = pdf_text(minutes_documents.general_minutes_pdf(s.session))
    assert "COMMUNITY MANAGER" in general and "Entretien technique" in general
    assert "BC01 : validé" in general and "titre attribué" in general
    # The parts' durations the referential declares (issue 14: a project decision).
    assert all(f"({m} minutes)" in general for m in (20, 25, 15))
    grid = pdf_text(minutes_documents.grid_pdf(s.exam))
    assert "BC01" in grid and "Avis favorable" in grid and "points)" not in grid
    assert "bloc validé" in grid


def test_juror_gets_no_grid_before_the_deliberation_is_closed(app, make_web, organiser_user):
    s = make_exam("RS6240", candidates=1)
    r = make_web(s.president).get(f"/examens/{s.exam.id}/grille.pdf")
    assert r.status_code == 409 and "délibération close" in r.text
    assert make_web(organiser_user).get(f"/examens/{s.exam.id}/grille.pdf").status_code == 200
    close(s, s.exam)
    r = make_web(s.member).get(f"/examens/{s.exam.id}/grille.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert make_web(s.member).get(f"/examens/{s.exam.id}/proces-verbal.pdf").status_code == 200


def count_statements(run):
    statements = []

    def listener(*args):
        statements.append(args[2])
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_general_minutes_queries_do_not_grow_with_candidates(app):
    small = make_exam("RS6240", candidates=2)
    big = make_exam("RS6240", candidates=30)
    for setup in (small, big):
        fast_close(setup, exams_of(setup))
    db.session.expire_all()
    minutes_documents.general_minutes_pdf(small.session)  # warm the referential's layout cache
    minutes_documents.general_minutes_pdf(big.session)
    assert count_statements(lambda: minutes_documents.general_minutes_pdf(small.session)) == \
        count_statements(lambda: minutes_documents.general_minutes_pdf(big.session))
    # Its time is measured by `make bench` (minutes_pdf_30_ms), not asserted here.
    text = pdf_text(minutes_documents.general_minutes_pdf(big.session))
    assert exams_of(big)[29].candidate.full_name in text
