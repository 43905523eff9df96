"""The juror's page always shows the recorded habilitation decision in its form, also
when it is re-rendered after an error in the CV form; only a failed decision form keeps
what was typed in it."""
import io
import re

from ..factories.files import PNG
from ..factories.jurors import habilitation_of, set_habilitation


def checked(page):
    """The RS6240 card's checked result (each certification has its own form)."""
    return re.findall(r'<input type="radio" name="rs6240-result" id="[^"]+" value="(\w+)" checked>',
                      page)


def comment_of(page):
    return re.search(r'<textarea[^>]*name="rs6240-comment"[^>]*>(.*?)</textarea>', page,
                     re.S).group(1).strip()


def decided(juror_user, result="unfavourable", comment="CV à compléter."):
    set_habilitation(juror_user, result, codes=("RS6240",), comment=comment)


def test_a_cv_error_keeps_the_recorded_decision_in_the_form(organiser, juror_user):
    decided(juror_user)
    response = organiser.post(f"/jures/{juror_user.id}/cv",
                                 {"cv": (io.BytesIO(PNG), "cv.pdf", "application/pdf")})
    assert response.status_code == 400
    assert checked(response.text) == ["unfavourable"]
    assert comment_of(response.text) == "CV à compléter."


def test_no_file_also_keeps_the_recorded_decision(organiser, juror_user):
    decided(juror_user, "favourable", "Très bon profil.")
    response = organiser.post(f"/jures/{juror_user.id}/cv", {})
    assert response.status_code == 400 and "Choisissez le fichier du CV" in response.text
    assert checked(response.text) == ["favourable"]
    assert comment_of(response.text) == "Très bon profil."


def test_the_page_shows_the_recorded_decision(organiser, juror_user):
    decided(juror_user)
    page = organiser.get(f"/jures/{juror_user.id}").text
    assert checked(page) == ["unfavourable"] and comment_of(page) == "CV à compléter."


def test_a_failed_decision_form_keeps_what_was_typed(organiser, juror_user):
    decided(juror_user, "favourable", "Très bon profil.")
    response = organiser.post(f"/jures/{juror_user.id}/habilitations/RS6240",
                              {"rs6240-result": "unfavourable", "rs6240-comment": ""})
    assert response.status_code == 400
    assert checked(response.text) == ["unfavourable"] and comment_of(response.text) == ""
    assert habilitation_of(juror_user).result == "favourable"


def test_no_decision_yet_leaves_the_form_empty_after_a_cv_error(organiser, juror_user):
    response = organiser.post(f"/jures/{juror_user.id}/cv", {})
    assert response.status_code == 400
    assert checked(response.text) == [] and comment_of(response.text) == ""
