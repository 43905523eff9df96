"""The candidate's archive: one folder per sitting, the evidence of its signatures, a LISEZMOI."""
import datetime as dt
import hashlib
import io
import json
import zipfile

import pypdf

from certif.auth.models import JUROR, ORGANISER
from certif.database import write_transaction
from certif.examday.models import ConditionsSheet
from certif.extensions import db
from certif.minutes.models import Minutes
from certif.signatures.models import CANDIDATE_ATTENDANCE, CONDITIONS, JURY_ATTENDANCE, MINUTES
from certif.signatures.rules import Mark
from certif.signatures.services import add_signature, candidate_key, user_key

from ..factories.sessions import make_exam
from ..factories.users import make_user


def url(candidate_id):
    return f"/candidats/{candidate_id}/dossier.zip"


def sign_attendance(setup):
    exam = setup.exam
    with write_transaction():
        add_signature(CANDIDATE_ATTENDANCE, exam.id, signer_key=candidate_key(exam.candidate),
                      role="candidate", name=exam.candidate.full_name,
                      content={"exam": exam.id, "text": "Présent"},
                      mark=Mark("typed", typed_name=exam.candidate.full_name),
                      auth_method="jury_device", candidate=exam.candidate)
        add_signature(JURY_ATTENDANCE, exam.id, signer_key=user_key(setup.president),
                      role="president", name=setup.president.full_name,
                      content={"exam": exam.id, "text": "Jury présent"},
                      mark=Mark("typed", typed_name=setup.president.full_name),
                      auth_method="login", user=setup.president)


def test_anonymous_and_other_roles_are_refused(web, make_web, app):
    setup = make_exam()
    response = web.get(url(setup.exam.candidate_id))
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert make_web(make_user(JUROR)).get(url(setup.exam.candidate_id)).status_code == 403


def test_unknown_candidate_is_404(make_web, app):
    assert make_web(make_user(ORGANISER)).get(url(999999)).status_code == 404


def test_the_archive_holds_each_sittings_documents_and_evidence(make_web, app):
    setup = make_exam(attendance_signed=False)  # signed below, one signature of each sheet
    sign_attendance(setup)
    exam = setup.exam
    response = make_web(make_user(ORGANISER)).get(url(exam.candidate_id))
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "dossier-" in response.headers["Content-Disposition"]

    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    folder = f"01-tentative-1-session-{exam.jury.session.number.lower()}/"
    files = [n[len(folder):] for n in names if n.startswith(folder)]
    assert any(n.startswith("convocation-") for n in files)
    assert any(n.startswith("emargement-candidat-") for n in files)
    assert any(n.startswith("emargement-jury-") for n in files)
    assert "preuves-signatures.json" in files
    for name in files:
        if name.endswith(".pdf"):
            assert archive.read(folder + name).startswith(b"%PDF-")

    evidence = json.loads(archive.read(folder + "preuves-signatures.json"))
    assert evidence["exam"]["id"] == exam.id
    documents = sorted(e["document"] for e in evidence["signatures"])
    assert documents == [CANDIDATE_ATTENDANCE, JURY_ATTENDANCE]
    for item in evidence["signatures"]:
        assert item["content"] is not None
        assert hashlib.sha256(item["content"].encode("utf-8")).hexdigest() == item["content_sha256"]

    readme = archive.read("LISEZMOI.txt").decode("utf-8")
    assert readme.startswith(f"Dossier de certification d'{exam.candidate.full_name}")
    for name in names:
        if name != "LISEZMOI.txt":
            assert f"{name.split('/', 1)[1]}  {hashlib.sha256(archive.read(name)).hexdigest()}" in readme
    # No certificate yet: listed as missing, not in the ZIP.
    assert "Pièces absentes" in readme and "Certificat" in readme
    assert not any("certificat" in n for n in files)


def test_a_candidate_without_sittings_gets_a_readme_only(make_web, app):
    from certif.candidates.models import Candidate
    from certif.extensions import db
    candidate = Candidate(first_name="Lou", last_name="Sansexamen")
    db.session.add(candidate)
    db.session.commit()
    response = make_web(make_user(ORGANISER)).get(url(candidate.id))
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == ["LISEZMOI.txt"]
    assert "Aucun passage" in archive.read("LISEZMOI.txt").decode()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def sign_jury_attendance(setup, exam):
    with write_transaction():
        add_signature(JURY_ATTENDANCE, exam.id, signer_key=user_key(setup.president),
                      role="president", name=setup.president.full_name,
                      content={"exam": exam.id, "candidate": exam.candidate.full_name},
                      mark=Mark("typed", typed_name=setup.president.full_name),
                      auth_method="login", user=setup.president)


def test_the_archive_names_no_other_candidate(make_web, app):
    """Emma's ZIP: her row of the jury's sheet, the day's conditions sheet, no trace of Louis."""
    setup = make_exam(candidates=2, attendance_signed=False)  # the president signs below
    emma, louis = setup.jury.exams
    emma.candidate.first_name, emma.candidate.last_name = "Emma", "Garnier"
    louis.candidate.first_name, louis.candidate.last_name = "Louis", "Moreau"
    sheet = ConditionsSheet(jury_id=setup.jury.id, day=dt.date(2026, 12, 1))
    other_day = ConditionsSheet(jury_id=setup.jury.id, day=dt.date(2026, 12, 2))
    minutes = Minutes(session_id=setup.session.id)
    db.session.add_all([sheet, other_day, minutes])
    db.session.commit()
    for exam in (emma, louis):
        sign_jury_attendance(setup, exam)
    with write_transaction():
        add_signature(CONDITIONS, sheet.id, signer_key=user_key(setup.member), role="member",
                      name=setup.member.full_name, content={"jury": setup.jury.label},
                      mark=Mark("typed", typed_name=setup.member.full_name),
                      auth_method="login", user=setup.member)
        add_signature(CONDITIONS, other_day.id, signer_key=user_key(setup.member),
                      role="member", name=setup.member.full_name, content={"day": 2},
                      mark=Mark("typed", typed_name=setup.member.full_name),
                      auth_method="login", user=setup.member)
        # The general minutes name every candidate of the session.
        add_signature(MINUTES, minutes.id, signer_key=user_key(setup.president),
                      role="president", name=setup.president.full_name,
                      content={"exams": [emma.candidate.full_name, louis.candidate.full_name]},
                      mark=Mark("typed", typed_name=setup.president.full_name),
                      auth_method="login", user=setup.president)

    response = make_web(make_user(ORGANISER)).get(url(emma.candidate_id))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    texts = {}
    for name in archive.namelist():
        data = archive.read(name)
        texts[name] = pdf_text(data) if name.endswith(".pdf") else data.decode("utf-8")
    for name, text in texts.items():
        flat = " ".join(text.split()).upper()
        assert "MOREAU" not in flat and "LOUIS" not in flat, name

    folder = f"01-tentative-1-session-{setup.session.number.lower()}/"
    [annex2] = [n for n in texts if n.startswith(folder + "emargement-jury-")]
    assert "GARNIER" in texts[annex2] and "FEUILLE D'EMARGEMENT DU JURY" in texts[annex2]
    conditions = [n for n in texts if n.startswith(folder + "conditions-examen-")]
    assert conditions == [folder + f"conditions-examen-{setup.session.number}-jury1-2026-12-01.pdf"]

    evidence = json.loads(texts[folder + "preuves-signatures.json"])
    by_document = {}
    for item in evidence["signatures"]:
        by_document.setdefault(item["document"], []).append(item)
    assert len(by_document[JURY_ATTENDANCE]) == 1  # Emma's exam only
    assert [i["subject_id"] for i in by_document[CONDITIONS]] == [sheet.id]  # her day only
    [signed_minutes] = by_document[MINUTES]
    assert signed_minutes["content"] is None
    assert "nomme tous ses candidats" in signed_minutes["content_withheld"]
    assert len(signed_minutes["content_sha256"]) == 64
    readme = texts["LISEZMOI.txt"]
    assert "extrait : la ligne du candidat" in readme
