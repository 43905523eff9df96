"""Request plumbing shared by every page: NUL bytes refused, the portal's referrer policy."""
import io

from certif.auth.models import ORGANISER

from .factories.users import make_user


def test_a_nul_byte_in_any_value_of_a_field_is_refused(web, app):
    web.login(make_user(ORGANISER))
    response = web.get("/candidats/?q=a&q=b%00c")
    assert response.status_code == 400
    assert "Caractère invalide" in response.text


def test_a_nul_byte_in_an_uploaded_file_name_is_refused(web, app):
    web.login(make_user(ORGANISER))
    response = web.post("/candidats/import", data={
        "file": (io.BytesIO(b"nom;prenom\nA;B\n"), "liste\x00.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Caractère invalide" in response.text


def test_no_referrer_leaves_a_candidate_link_even_on_a_routing_error(web, app):
    for path in ("/c/jeton-invalide", "/c/jeton-invalide/nulle-part/ici"):
        response = web.get(path)
        assert response.status_code == 404
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert web.get("/connexion").headers["Referrer-Policy"] == "same-origin"
