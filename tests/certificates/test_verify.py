"""The public verification page: no login, CSRF, answers genuine or not, nothing more."""
import re

from certif.certificates import rules
from certif.certificates.models import Certificate
from certif.extensions import db
from certif.grading.rules import FAVORABLE

from ..conftest import CSRF_RE
from ..factories import JUROR, make_user
from .conftest import finished_session, give_visa

URL = "/verifier-certificat"
GENUINE = "Ce certificat est authentique"
NONE = "Aucun certificat ne correspond à ce numéro et à ce code."


def one_certificate(staff) -> Certificate:
    setup = finished_session(decisions=(FAVORABLE,))
    give_visa(setup.session)
    staff.post(f"/sessions/{setup.session.id}/certificats")
    return db.session.scalar(db.select(Certificate))


def anonymous_post(web, data):
    page = web.get(URL)
    token = CSRF_RE.search(page.text).group(1)
    return web.post(URL, {**data, "csrf_token": token}, csrf=False)


def test_anonymous_visitor_gets_the_form(web):
    page = web.get(URL)
    assert page.status_code == 200
    assert "Vérifier l'authenticité d'un certificat" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    assert "Déconnexion" not in page.text and "/tableau-de-bord" not in page.text


def test_genuine_certificate_says_so_and_nothing_else(staff, web):
    certificate = one_certificate(staff)
    candidate = certificate.exam.candidate
    code = rules.format_code(certificate.verification_code).lower().replace("-", " ")
    response = anonymous_post(web, {"number": certificate.number.lower(), "code": code})
    assert response.status_code == 200
    assert GENUINE in response.text
    assert "délivré par ALLOKOM" in response.text
    assert candidate.last_name.upper() not in response.text.upper()
    assert candidate.first_name not in response.text
    assert not re.search(r"\b20\d\d\b(?!-)", response.text.replace(certificate.number.lower(), ""))
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_issued_or_not_it_is_genuine(staff, web):
    certificate = one_certificate(staff)
    staff.post(f"/certificats/{certificate.id}/delivrance", {"channel": "post"})
    response = anonymous_post(web, {"number": certificate.number,
                                    "code": certificate.verification_code})
    assert GENUINE in response.text


def test_wrong_code_or_number_is_not_genuine(staff, web):
    certificate = one_certificate(staff)
    wrong = "A" * 10 if certificate.verification_code != "A" * 10 else "B" * 10
    for data in ({"number": certificate.number, "code": wrong},
                 {"number": "RS6240-1999-0001", "code": certificate.verification_code}):
        response = anonymous_post(web, data)
        assert response.status_code == 200
        assert NONE in response.text and GENUINE not in response.text


def test_bad_input_is_400(web):
    for data in ({"number": "", "code": ""}, {"number": "X" * 41, "code": "ABCDE"},
                 {"number": "RS6240\u2028", "code": "ABCDEFGHJK"}):
        response = anonymous_post(web, data)
        assert response.status_code == 400
        assert GENUINE not in response.text and NONE not in response.text


def test_csrf_is_required(staff, web):
    certificate = one_certificate(staff)
    web.get(URL)
    response = web.post(URL, {"number": certificate.number,
                              "code": certificate.verification_code}, csrf=False)
    assert response.status_code == 400
    assert "Jeton de sécurité" in response.text and GENUINE not in response.text


def test_logged_in_staff_may_verify_too(app, make_web):
    juror = make_web(make_user(JUROR))
    response = juror.post(URL, {"number": "RS6240-2026-0001", "code": "ABCDEFGHJK"})
    assert response.status_code == 200 and NONE in response.text
