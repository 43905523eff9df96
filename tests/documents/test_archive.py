"""The candidate's archive: one folder per sitting, the evidence of its signatures, a LISEZMOI."""
import hashlib
import io
import json
import zipfile

from certif.database import write_transaction
from certif.signatures.models import CANDIDATE_ATTENDANCE, JURY_ATTENDANCE
from certif.signatures.rules import Mark
from certif.signatures.services import add_signature, candidate_key, user_key
from tests.factories import JUROR, ORGANISER, make_exam, make_user


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
    setup = make_exam()
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
        assert hashlib.sha256(item["content"].encode("utf-8")).hexdigest() == item["content_sha256"]

    readme = archive.read("LISEZMOI.txt").decode("utf-8")
    assert exam.candidate.full_name in readme
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
