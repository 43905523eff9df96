"""Wrong attendance codes and links are limited per client address (429, then the lock)."""
import re
import secrets
from html import unescape

import pytest

from certif.audit.labels import action_label
from certif.audit.models import AuditEntry
from certif.examday.links import GUESS_LIMIT
from certif.extensions import db

from ..factories.web import CSRF_RE, Browserless
from .helpers import new_link

ATTACKER, NEIGHBOUR = "203.0.113.7", "198.51.100.20"
LOCKED = "Trop de codes ou de liens d'émargement erronés depuis votre connexion"


def browser(app, address: str) -> Browserless:
    """A candidate's browser with no account, seen from `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    visitor = Browserless(client)
    visitor.token = CSRF_RE.search(visitor.get("/emargement").text).group(1)
    return visitor


def wrong_guess(visitor, i: int):
    """Half wrong codes (well formed or not), half forged links."""
    if i % 2:
        return visitor.get(f"/emargement/{secrets.token_urlsafe(32)}")
    return visitor.post("/emargement", {"code": "ZZZZ-ZZZZ" if i % 4 else "12"})


def assert_locked(response):
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= GUESS_LIMIT.window.total_seconds()
    text = unescape(response.text)
    assert LOCKED in text and re.search(r"Réessayez à \d+ h \d\d \(dans \d+ minutes?\)", text)
    assert "no-store" in response.headers["Cache-Control"]


def test_limit_is_a_named_constant():
    assert GUESS_LIMIT.max_hits == 20 and GUESS_LIMIT.window.total_seconds() == 15 * 60


def test_a_right_code_before_the_limit_works(app, checked, president):
    code = new_link(checked, president)
    visitor = browser(app, ATTACKER)
    for i in range(GUESS_LIMIT.max_hits - 1):
        assert wrong_guess(visitor, i).status_code in (400, 404)
    response = visitor.post("/emargement", {"code": code})
    assert response.status_code == 303 and response.headers["Location"].endswith("/emargement/signer")
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="throttle.locked")) is None


def test_after_the_limit_even_the_right_code_is_refused_from_that_address_only(
        app, checked, president):
    code = new_link(checked, president)
    visitor = browser(app, ATTACKER)
    answers = [wrong_guess(visitor, i).status_code for i in range(GUESS_LIMIT.max_hits)]
    assert set(answers[:-1]) <= {400, 404} and answers[-1] == 429
    assert_locked(visitor.post("/emargement", {"code": code}))
    assert_locked(visitor.get(f"/emargement/{secrets.token_urlsafe(32)}"))
    # Whoever else types their code is not slowed down.
    neighbour = browser(app, NEIGHBOUR)
    assert neighbour.post("/emargement", {"code": code}).status_code == 303
    # The lock is audited once, with the surface and the address, and reads in French.
    [entry] = db.session.scalars(db.select(AuditEntry).filter_by(action="throttle.locked")).all()
    assert entry.details["surface"] == "emargement" and entry.details["address"] == ATTACKER
    assert entry.ip_address == ATTACKER and entry.actor_id is None
    assert action_label("throttle.locked") != "throttle.locked"


@pytest.mark.parametrize("expired", [True, False], ids=["expired-link", "used-link"])
def test_dead_links_count_as_failures(app, checked, president, expired):
    """A code that existed but can no longer serve tells nothing more than a wrong one."""
    code = new_link(checked, president)
    from certif.examday.models import AttendanceLink
    from certif.timeutil import utcnow
    link = db.session.scalar(db.select(AttendanceLink))
    if expired:
        link.expires_at = utcnow()
    else:
        link.used_at = utcnow()
    db.session.commit()
    visitor = browser(app, ATTACKER)
    answers = [visitor.post("/emargement", {"code": code}).status_code
               for _ in range(GUESS_LIMIT.max_hits)]
    assert set(answers[:-1]) == {410} and answers[-1] == 429
