"""Checks that match no certificate are limited per client address."""
import re
from html import unescape

from certif.audit.models import AuditEntry
from certif.certificates.verification import VERIFY_LIMIT
from certif.extensions import db

from ..factories.web import CSRF_RE, Browserless
from .helpers import GENUINE, NONE, URL, one_certificate

ATTACKER, NEIGHBOUR = "203.0.113.11", "198.51.100.40"
LOCKED = "Trop de vérifications infructueuses depuis votre connexion"


def visitor(app, address: str) -> Browserless:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browserless(client)


def check(who: Browserless, number: str, code: str):
    token = CSRF_RE.search(who.get(URL).text).group(1)
    return who.post(URL, {"number": number, "code": code, "csrf_token": token}, csrf=False)


def wrong(certificate, i: int) -> tuple[str, str]:
    """Wrong codes for the real number, unknown numbers, and malformed input."""
    if i % 3 == 0:
        return certificate.number, ("A" if certificate.verification_code[0] != "A" else "B") * 10
    if i % 3 == 1:
        return f"RS6240-1999-{i:04d}", certificate.verification_code
    return "", ""


def test_limit_is_a_named_constant():
    assert VERIFY_LIMIT.max_hits == 20 and VERIFY_LIMIT.window.total_seconds() == 15 * 60


def test_a_right_check_before_the_limit_works(app, organiser):
    certificate = one_certificate(organiser)
    who = visitor(app, ATTACKER)
    for i in range(VERIFY_LIMIT.max_hits - 1):
        assert check(who, *wrong(certificate, i)).status_code in (200, 400)
    response = check(who, certificate.number, certificate.verification_code)
    assert response.status_code == 200 and GENUINE in response.text


def test_after_the_limit_even_a_right_check_is_refused_from_that_address_only(app, organiser):
    certificate = one_certificate(organiser)
    who = visitor(app, ATTACKER)
    answers = [check(who, *wrong(certificate, i)) for i in range(VERIFY_LIMIT.max_hits)]
    assert {r.status_code for r in answers[:-1]} == {200, 400}
    assert NONE in answers[0].text and answers[-1].status_code == 429
    response = check(who, certificate.number, certificate.verification_code)
    assert response.status_code == 429 and GENUINE not in response.text
    assert 0 < int(response.headers["Retry-After"]) <= VERIFY_LIMIT.window.total_seconds()
    text = unescape(response.text)
    assert LOCKED in text and re.search(r"Réessayez à \d+ h \d\d \(dans \d+ minutes?\)", text)
    assert "no-store" in response.headers["Cache-Control"]
    other = check(visitor(app, NEIGHBOUR), certificate.number, certificate.verification_code)
    assert other.status_code == 200 and GENUINE in other.text
    [entry] = db.session.scalars(db.select(AuditEntry).filter_by(action="throttle.locked")).all()
    assert entry.details["surface"] == "verification-certificat"
    assert entry.details["address"] == ATTACKER


def test_genuine_checks_never_count(app, organiser):
    certificate = one_certificate(organiser)
    who = visitor(app, ATTACKER)
    for _ in range(VERIFY_LIMIT.max_hits + 2):
        assert GENUINE in check(who, certificate.number, certificate.verification_code).text
