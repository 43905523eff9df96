"""Fixtures every test package shares, registered once (pytest_plugins in tests/conftest.py).

Naming: `<role>_user` is a User (for service calls and makers), `<role>` is that user's
logged-in client (a Browserless): `organiser_user` / `organiser`, `council_user` / `council`,
and, for an exam's jury, `president` / `member` (clients of `setup.president` / `setup.member`).
"""
import socket
from datetime import time

import pytest
from aiosmtpd.controller import Controller

from certif import timeutil
from certif.auth.models import COUNCIL, ORGANISER

from .organisation import insure_every_day
from .users import make_user
from .web import Browserless


@pytest.fixture
def client(app):
    """A bare client; prefer `web`, whose requests each get their own app context."""
    return app.test_client()


@pytest.fixture
def web(client):
    """An anonymous browserless client."""
    return Browserless(client)


@pytest.fixture
def make_web(app):
    """Several logged-in clients at once (the two jurors of a jury)."""
    def factory(user):
        web = Browserless(app.test_client())
        web.login(user)
        return web
    return factory


@pytest.fixture
def organiser_user(app):
    return make_user(ORGANISER, first_name="Olga", last_name="Organisatrice")


@pytest.fixture
def organiser(organiser_user, make_web):
    return make_web(organiser_user)


@pytest.fixture
def council_user(app):
    return make_user(COUNCIL, first_name="Sylvie", last_name="Moscou")


@pytest.fixture
def council(council_user, make_web):
    return make_web(council_user)


# The two jurors' clients for the exam a test module sets up (its `setup` fixture).
@pytest.fixture
def president(setup, make_web):
    return make_web(setup.president)


@pytest.fixture
def member(setup, make_web):
    return make_web(setup.member)


@pytest.fixture(autouse=True)
def insured(request):
    """Every test that has an app has an insurance policy covering every day, so that
    sessions can be convened (tests of the refusal call `organisation.remove_policies`)."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app")
        return insure_every_day()
    return None


@pytest.fixture
def set_paris_today(monkeypatch):
    """Call it with a date: from then on, every caller of `certif.timeutil.paris_today` (the
    services, the makers, the test itself) sees that day in Paris. Only "today" moves:
    `utcnow()` as imported by the modules still gives the real time."""
    def set_today(day):
        noon = timeutil.paris_to_utc(day, time(12, 0))
        monkeypatch.setattr(timeutil, "utcnow", lambda: noon)
        return day
    return set_today


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """An aiosmtpd handler keeping every envelope it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on 127.0.0.1, with the app configured to send through it."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_TIMEOUT=5)
    try:
        yield collector
    finally:
        controller.stop()
        app.config["MAIL_SERVER"] = None
