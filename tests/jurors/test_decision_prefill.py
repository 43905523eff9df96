"""The juror's page always shows the recorded habilitation decision in its form, also
when it is re-rendered after an error in the CV form; only a failed decision form keeps
what was typed in it."""
import io
import re

from certif.extensions import db
from certif.jurors.models import JurorProfile

from .conftest import PNG


def checked(page):
    return re.findall(r'<input type="radio" name="result" id="[^"]+" value="(\w+)" checked>', page)


def comment_of(page):
    return re.search(r'<textarea[^>]*name="comment"[^>]*>(.*?)</textarea>', page, re.S).group(1).strip()


def decided(juror, result="unfavourable", comment="CV à compléter."):
    profile = db.session.scalar(db.select(JurorProfile).filter_by(user_id=juror.id))
    profile.habilitation_result, profile.habilitation_comment = result, comment
    db.session.commit()


def test_a_cv_error_keeps_the_recorded_decision_in_the_form(as_organiser, juror):
    decided(juror)
    response = as_organiser.post(f"/jures/{juror.id}/cv",
                                 {"cv": (io.BytesIO(PNG), "cv.pdf", "application/pdf")})
    assert response.status_code == 400
    assert checked(response.text) == ["unfavourable"]
    assert comment_of(response.text) == "CV à compléter."


def test_no_file_also_keeps_the_recorded_decision(as_organiser, juror):
    decided(juror, "favourable", "Très bon profil.")
    response = as_organiser.post(f"/jures/{juror.id}/cv", {})
    assert response.status_code == 400 and "Choisissez le fichier du CV" in response.text
    assert checked(response.text) == ["favourable"]
    assert comment_of(response.text) == "Très bon profil."


def test_the_page_shows_the_recorded_decision(as_organiser, juror):
    decided(juror)
    page = as_organiser.get(f"/jures/{juror.id}").text
    assert checked(page) == ["unfavourable"] and comment_of(page) == "CV à compléter."


def test_a_failed_decision_form_keeps_what_was_typed(as_organiser, juror):
    decided(juror, "favourable", "Très bon profil.")
    response = as_organiser.post(f"/jures/{juror.id}/habilitation",
                                 {"result": "unfavourable", "comment": ""})
    assert response.status_code == 400
    assert checked(response.text) == ["unfavourable"] and comment_of(response.text) == ""
    profile = db.session.scalar(db.select(JurorProfile).filter_by(user_id=juror.id))
    assert profile.habilitation_result == "favourable"


def test_no_decision_yet_leaves_the_form_empty_after_a_cv_error(as_organiser, juror):
    response = as_organiser.post(f"/jures/{juror.id}/cv", {})
    assert response.status_code == 400
    assert checked(response.text) == [] and comment_of(response.text) == ""
