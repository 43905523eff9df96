"""Fixtures in the style of Flask's tutorial: an app per test on its own SQLite file.

The schema comes from the real migrations, applied once to a template database
that each test copies; CSRF protection stays on, as in production.
"""
import os
import re
import shutil

import pytest
from flask_migrate import upgrade

from certif import create_app
from certif.config import database_url
from certif.extensions import db
from certif.referentials.services import import_all

from .factories import PASSWORD

# Set to run the suite on PostgreSQL instead of SQLite files, e.g.
# CERTIF_TEST_DATABASE_URL=postgresql://certif:certif@localhost/certif_test pytest -m "not sqlite_only"
POSTGRES_URL = database_url(os.environ.get("CERTIF_TEST_DATABASE_URL"))
SHIPPED_REFERENTIALS = [0]  # the highest referential id after the template's import
KEPT_TABLES = {"alembic_version", "referentials", "ref_blocks", "ref_competencies", "ref_criteria"}


def _app_on(path):
    # Files (outbox, uploads) beside the test's database, never in the repository's instance/.
    return create_app("test", SQLALCHEMY_DATABASE_URI=POSTGRES_URL or f"sqlite:///{path}",
                      FILES_DIR=str(path.parent / "files"))


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "certif.db"
    app = _app_on(path)
    with app.app_context():
        if POSTGRES_URL:
            db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        import_all()
        if POSTGRES_URL:
            SHIPPED_REFERENTIALS[0] = db.session.scalar(db.text("SELECT max(id) FROM referentials"))
        if not POSTGRES_URL:
            db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()
        db.engine.dispose()
    return path


@pytest.fixture
def app(template_db, tmp_path):
    path = tmp_path / "certif.db"
    if not POSTGRES_URL:
        shutil.copy(template_db, path)
    app = _app_on(path)
    with app.app_context():
        yield app
        db.session.remove()
        if POSTGRES_URL:
            _empty_postgres_tables()
        db.engine.dispose()


def _empty_postgres_tables():
    tables = [t.name for t in db.metadata.sorted_tables if t.name not in KEPT_TABLES]
    db.session.execute(db.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    # Referential versions a test imported go too: the next test sees the shipped ones only.
    shipped = db.session.scalar(db.text("SELECT max(id) FROM referentials WHERE id <= :n"),
                                {"n": SHIPPED_REFERENTIALS[0]})
    for table in ("ref_criteria", "ref_competencies", "ref_blocks"):
        db.session.execute(db.text(f"DELETE FROM {table} WHERE referential_id > :n"), {"n": shipped})
    db.session.execute(db.text("DELETE FROM referentials WHERE id > :n"), {"n": shipped})
    db.session.commit()


@pytest.fixture
def client(app):
    """A bare client; prefer `web`, whose requests each get their own app context."""
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class Browserless:
    """A test client that logs in and posts like the pages do (CSRF token included).

    Each request runs in an app context of its own, as in production (the test's
    context would otherwise be reused and share `g` and the database session);
    afterwards the test's session starts a new transaction and forgets what it
    had loaded, so assertions see the database as the request left it.
    """

    def __init__(self, client):
        self.client = client
        self.token = None

    def _call(self, method, *args, **kwargs):
        app = self.client.application
        with app.app_context():
            response = getattr(self.client, method)(*args, **kwargs)
        # End the test's read transaction (its SQLite snapshot) and reload on next access.
        db.session.commit()
        db.session.expire_all()
        return response

    def login(self, user, password=PASSWORD):
        page = self._call("get", "/connexion")
        token = CSRF_RE.search(page.text).group(1)
        response = self._call("post", "/connexion", data={
            "email": user.email, "password": password, "csrf_token": token})
        assert response.status_code == 302, response.text
        self.refresh_token()
        return response

    def refresh_token(self):
        page = self._call("get", "/compte")
        self.token = CSRF_RE.search(page.text).group(1)

    def get(self, url, htmx=False, headers=None, **kwargs):
        headers = {**({"HX-Request": "true"} if htmx else {}), **(headers or {})}
        return self._call("get", url, headers=headers, **kwargs)

    def post(self, url, data=None, htmx=False, csrf=True, headers=None, **kwargs):
        headers = dict(headers or {})
        if htmx:
            headers["HX-Request"] = "true"
            if csrf:
                headers["X-CSRFToken"] = self.token
        data = dict(data or {})
        if csrf and not htmx:
            data["csrf_token"] = self.token
        return self._call("post", url, data=data, headers=headers, **kwargs)


@pytest.fixture
def web(client):
    return Browserless(client)


@pytest.fixture
def make_web(app):
    """Several logged-in clients at once (the two jurors of a jury)."""
    def factory(user):
        web = Browserless(app.test_client())
        web.login(user)
        return web
    return factory


# The two jurors' clients for the exam a test module sets up (its `setup` fixture).
@pytest.fixture
def president(setup, make_web):
    return make_web(setup.president)


@pytest.fixture
def member(setup, make_web):
    return make_web(setup.member)
