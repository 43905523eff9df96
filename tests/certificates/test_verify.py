"""The public verification page: no login, CSRF, answers genuine or not, nothing more."""
from datetime import date
from html import unescape

from certif.auth.models import JUROR
from certif.certificates import rules
from certif.certificates.content import award_day
from certif.extensions import db
from certif.timeutil import french_date

from ..factories.users import make_user
from ..factories.web import CSRF_RE
from .helpers import GENUINE, NONE, URL, one_certificate


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


def test_genuine_certificate_shows_its_holder_and_no_more(organiser, web):
    certificate = one_certificate(organiser)
    candidate = certificate.exam.candidate
    candidate.birth_date = date(1990, 5, 17)
    db.session.commit()
    code = rules.format_code(certificate.verification_code).lower().replace("-", " ")
    response = anonymous_post(web, {"number": certificate.number.lower(), "code": code})
    assert response.status_code == 200
    text = unescape(response.text)
    assert GENUINE in text and "délivré par ALLOKOM" in text
    # What the issue lists: the holder, the certification's title and code, the day of
    # award, valid or revoked; so that a real number pasted on an edited PDF is caught.
    assert candidate.full_name in text
    referential = certificate.exam.jury.session.referential
    assert f"RS6240 · « {referential.registered_title} »" in text
    assert f"Date d'obtention</dt><dd>{french_date(award_day(certificate))}" in text
    assert "Valide (sans limitation de durée)" in text
    # Nothing more: no birth date, no score, no email, no session, no verification code.
    assert "1990" not in text and "17 mai" not in text
    assert "/20" not in text and "favorable" not in text.lower()
    assert (candidate.email or "@@") not in text
    assert certificate.exam.jury.session.number not in text
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_the_qr_code_link_checks_at_once(organiser, web):
    certificate = one_certificate(organiser)
    code = rules.format_code(certificate.verification_code)
    response = web.get(f"{URL}?number={certificate.number}&code={code}")
    assert response.status_code == 200
    assert GENUINE in response.text and certificate.exam.candidate.full_name in unescape(response.text)
    assert f'value="{certificate.number}"' in response.text and f'value="{code}"' in response.text
    forged = web.get(f"{URL}?number={certificate.number}&code=AAAAA-AAAAA")
    assert forged.status_code == 200 and NONE in forged.text
    assert certificate.exam.candidate.full_name not in unescape(forged.text)
    assert web.get(f"{URL}?number={certificate.number}").status_code == 400


def test_issued_or_not_it_is_genuine(organiser, web):
    certificate = one_certificate(organiser)
    organiser.post(f"/certificats/{certificate.id}/delivrance", {"channel": "post"})
    response = anonymous_post(web, {"number": certificate.number,
                                    "code": certificate.verification_code})
    assert GENUINE in response.text


def test_wrong_code_or_number_is_not_genuine(organiser, web):
    certificate = one_certificate(organiser)
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


def test_csrf_is_required(organiser, web):
    certificate = one_certificate(organiser)
    web.get(URL)
    response = web.post(URL, {"number": certificate.number,
                              "code": certificate.verification_code}, csrf=False)
    assert response.status_code == 400
    assert "Jeton de sécurité" in response.text and GENUINE not in response.text


def test_logged_in_staff_may_verify_too(app, make_web):
    juror = make_web(make_user(JUROR))
    response = juror.post(URL, {"number": "RS6240-2026-0001", "code": "ABCDEFGHJK"})
    assert response.status_code == 200 and NONE in response.text
