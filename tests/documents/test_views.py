"""The verification page: any staff role uploads a PDF and reads the verdict."""
import io

import pytest

from certif.auth.models import COUNCIL, JUROR, ORGANISER

from ..factories.files import altered, plain_pdf
from ..factories.users import make_user

URL = "/documents/verifier"


def upload(web, data, filename="pv.pdf"):
    return web.post(URL, {"document": (io.BytesIO(data), filename, "application/pdf")})


def test_anonymous_goes_to_login(web):
    response = web.get(URL)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


@pytest.mark.parametrize("role", [ORGANISER, JUROR, COUNCIL])
def test_every_staff_role_sees_the_form(make_web, role):
    page = make_web(make_user(role)).get(URL)
    assert page.status_code == 200
    assert "Vérifier un document scellé" in page.text
    assert 'type="file"' in page.text and '<label for="document">' in page.text


def test_an_intact_document_is_reported_intact(make_web, sealed_pdf):
    response = upload(make_web(make_user(JUROR)), sealed_pdf, "PV session.pdf")
    assert response.status_code == 200
    assert "✓</span> Document intact" in response.text
    assert "ALLOKOM — cachet des documents certif" in response.text
    assert "PV session.pdf" in response.text and "Scellé le" in response.text


def test_an_altered_document_is_reported_altered(make_web, sealed_pdf):
    response = upload(make_web(make_user(ORGANISER)), altered(sealed_pdf))
    assert response.status_code == 200
    assert "✗</span> Document non conforme" in response.text
    assert "Le cachet est invalide" in response.text


def test_an_unsigned_pdf_has_no_seal(make_web, app):
    response = upload(make_web(make_user(COUNCIL)), plain_pdf())
    assert response.status_code == 200 and "Aucun cachet" in response.text


def test_no_file_or_not_a_pdf_is_400(make_web, app):
    web = make_web(make_user(ORGANISER))
    response = web.post(URL, {})
    assert response.status_code == 400 and "Choisissez le fichier PDF" in response.text
    response = upload(web, b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "photo.pdf")
    assert response.status_code == 400 and "pas un PDF" in response.text


def test_csrf_is_required(make_web, sealed_pdf):
    web = make_web(make_user(ORGANISER))
    response = web.post(URL, {"document": (io.BytesIO(sealed_pdf), "pv.pdf")}, csrf=False)
    assert response.status_code == 400
