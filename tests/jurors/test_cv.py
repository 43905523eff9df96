"""The CV: a PDF checked by content, kept outside static/, downloaded as an attachment."""
import io
from pathlib import Path

import pytest

from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.jurors.models import JurorProfile
from certif.jurors.services import _original_name

from ..factories.files import PDF, PNG


def upload(web, juror_user, data, filename="mon-cv.pdf", **extra):
    return web.post(f"/jures/{juror_user.id}/cv", {"cv": (io.BytesIO(data), filename, "application/pdf"),
                                              **extra})


def profile_of(user):
    return db.session.scalar(db.select(JurorProfile).filter_by(user_id=user.id))


def cv_files(app):
    folder = Path(app.config["FILES_DIR"]) / "uploads" / "cv"
    return sorted(folder.glob("*")) if folder.exists() else []


def test_juror_uploads_and_downloads_their_cv(app, juror, juror_user):
    response = upload(juror, juror_user, PDF, "CV Claire 2026.pdf")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/jures/mon-profil#cv")
    profile = profile_of(juror_user)
    assert profile.cv_original_name == "CV Claire 2026.pdf"
    [stored] = cv_files(app)
    assert stored.name == profile.cv_file and stored.read_bytes() == PDF
    assert "static" not in stored.parts
    assert len(stored.stem) == 32  # a random name, not the one given
    page = juror.get("/jures/mon-profil").text
    assert "Télécharger le CV" in page and "CV Claire 2026.pdf" in page

    download = juror.get(f"/jures/{juror_user.id}/cv")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "CV-Claire-FONTAINE.pdf" in download.headers["Content-Disposition"]
    assert download.data == PDF
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="juror.cv"))
    assert (entry.entity_id, entry.actor_id, entry.new_value) == (juror_user.id, juror_user.id,
                                                                  "CV Claire 2026.pdf")


def test_organiser_uploads_a_cv_and_the_old_file_goes(app, organiser, juror_user):
    assert upload(organiser, juror_user, PDF).status_code == 303
    [first] = cv_files(app)
    response = upload(organiser, juror_user, PDF + b"\n% second\n%%EOF\n", "v2.pdf")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/jures/{juror_user.id}#cv")
    [second] = cv_files(app)
    assert second != first and not first.exists()
    assert profile_of(juror_user).cv_original_name == "v2.pdf"
    assert organiser.get(f"/jures/{juror_user.id}/cv").status_code == 200


def test_a_png_renamed_pdf_is_refused(app, juror, juror_user):
    response = upload(juror, juror_user, PNG, "cv.pdf")
    assert response.status_code == 400
    assert "n&#39;est pas un PDF valide" in response.text
    assert profile_of(juror_user).cv_file is None and cv_files(app) == []
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="juror.cv")) is None


def test_a_truncated_pdf_is_refused(app, organiser, juror_user):
    response = upload(organiser, juror_user, PDF[:-7])
    assert response.status_code == 400
    assert "n&#39;est pas un PDF valide" in response.text
    assert cv_files(app) == []


def test_too_big_is_refused(app, juror, juror_user):
    big = b"%PDF-1.4\n" + b"0" * app.config["CV_MAX_BYTES"] + b"\n%%EOF\n"
    response = upload(juror, juror_user, big)
    assert response.status_code == 400
    assert "trop volumineux : 5 Mo au maximum" in response.text
    assert profile_of(juror_user).cv_file is None and cv_files(app) == []


def test_beyond_the_request_limit_is_refused(app, juror, juror_user):
    huge = b"%PDF-1.4\n" + b"0" * app.config["MAX_CONTENT_LENGTH"] + b"\n%%EOF\n"
    assert upload(juror, juror_user, huge).status_code == 413
    assert cv_files(app) == []


def test_no_file_or_empty_file(app, juror, juror_user):
    response = juror.post(f"/jures/{juror_user.id}/cv", {})
    assert response.status_code == 400
    assert "Choisissez le fichier du CV" in response.text
    response = upload(juror, juror_user, b"")
    assert response.status_code == 400
    assert cv_files(app) == []


def test_other_jurors_cv_is_not_reachable(app, juror, juror_user, other_juror_user, make_web):
    make_web(other_juror_user).post(f"/jures/{other_juror_user.id}/cv",
                               {"cv": (io.BytesIO(PDF), "cv.pdf", "application/pdf")})
    assert profile_of(other_juror_user).cv_file is not None
    assert juror.get(f"/jures/{other_juror_user.id}/cv").status_code == 404
    assert upload(juror, other_juror_user, PDF).status_code == 404
    assert juror.get(f"/jures/{other_juror_user.id}/habilitations/RS6240/fiche.pdf").status_code == 404
    assert len(cv_files(app)) == 1


def test_council_cannot_download(app, council_user, make_web, juror, juror_user):
    upload(juror, juror_user, PDF)
    assert make_web(council_user).get(f"/jures/{juror_user.id}/cv").status_code == 403


def test_download_without_cv_is_404(organiser, juror_user):
    response = organiser.get(f"/jures/{juror_user.id}/cv")
    assert response.status_code == 404
    assert "Aucun CV" in response.text


def test_anonymous_upload_is_refused(app, web, juror_user):
    response = web.post(f"/jures/{juror_user.id}/cv", {"cv": (io.BytesIO(PDF), "cv.pdf")}, csrf=False)
    assert response.status_code in (302, 400)
    assert cv_files(app) == []


@pytest.mark.parametrize("given, kept", [
    ("a\x00b.pdf", "ab.pdf"),
    ("CV\x1b[31m rouge\x07.pdf", "CV[31m rouge.pdf"),
    ("mon\u202efdp.exe.pdf", "monfdp.exe.pdf"),  # a right-to-left override hides the real end
    ("C:\\Users\\claire\\cv\u2028final.pdf", "cvfinal.pdf"),
    ("\x00\x01", "cv.pdf"),
])
def test_the_given_file_name_is_kept_without_control_characters(given, kept):
    assert _original_name(given) == kept


def test_an_uploaded_name_with_control_characters_is_stored_cleaned(app, juror, juror_user):
    response = upload(juror, juror_user, PDF, "CV\x1b\x07 Claire\u202e.pdf")
    assert response.status_code == 303
    assert profile_of(juror_user).cv_original_name == "CV Claire.pdf"
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="juror.cv"))
    assert entry.new_value == "CV Claire.pdf"
