"""Forged, revoked or expired candidate links are limited per client address."""
import re
from html import unescape

from certif.audit.models import AuditEntry
from certif.candidates.links import make_token
from certif.extensions import db
from certif.portal.services import LINK_LIMIT

from ..factories.web import Browserless

ATTACKER, NEIGHBOUR = "203.0.113.9", "198.51.100.30"
LOCKED = "Trop de liens non valides ou expirés ont été ouverts depuis votre connexion"


def browser(app, address: str) -> Browserless:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browserless(client)


def good_token(app, setup) -> str:
    with app.test_request_context():
        return make_token(setup.exam.candidate)


def assert_locked(response):
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= LINK_LIMIT.window.total_seconds()
    text = unescape(response.text)
    assert LOCKED in text and re.search(r"Réessayez à \d+ h \d\d \(dans \d+ minutes?\)", text)
    assert "Trop de tentatives" in text
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_limit_is_a_named_constant():
    assert LINK_LIMIT.max_hits == 20 and LINK_LIMIT.window.total_seconds() == 15 * 60


def test_a_good_link_before_the_limit_works(app, setup):
    token = good_token(app, setup)
    visitor = browser(app, ATTACKER)
    for i in range(LINK_LIMIT.max_hits - 1):
        assert visitor.get(f"/c/{token[:-3]}x{i:02d}").status_code == 404
    assert visitor.get(f"/c/{token}").status_code == 200


def test_after_the_limit_even_a_good_link_is_refused_from_that_address_only(app, setup):
    token = good_token(app, setup)
    visitor = browser(app, ATTACKER)
    answers = [visitor.get(f"/c/forged-{i}/convocations/{setup.exam.id}.pdf").status_code
               for i in range(LINK_LIMIT.max_hits)]
    assert set(answers[:-1]) == {404} and answers[-1] == 429
    assert_locked(visitor.get(f"/c/{token}"))
    assert_locked(visitor.get(f"/c/{token}/anomalie"))
    assert browser(app, NEIGHBOUR).get(f"/c/{token}").status_code == 200
    [entry] = db.session.scalars(db.select(AuditEntry).filter_by(action="throttle.locked")).all()
    assert entry.details["surface"] == "portail" and entry.details["address"] == ATTACKER


def test_expired_links_count_too(app, setup):
    token = good_token(app, setup)
    app.config["CANDIDATE_LINK_DAYS"] = -1  # every link is older than that
    visitor = browser(app, ATTACKER)
    answers = [visitor.get(f"/c/{token}").status_code for _ in range(LINK_LIMIT.max_hits)]
    assert set(answers[:-1]) == {410} and answers[-1] == 429


def test_a_valid_link_asking_for_someone_elses_exam_is_not_a_guess(app, setup):
    """Only the token is guessed: a 404 behind a good link does not count."""
    token = good_token(app, setup)
    visitor = browser(app, ATTACKER)
    for _ in range(LINK_LIMIT.max_hits + 2):
        assert visitor.get(f"/c/{token}/convocations/999999.pdf").status_code == 404
    assert visitor.get(f"/c/{token}").status_code == 200
