"""Fixtures in the style of Flask's tutorial: an app per test on its own SQLite file.

The schema comes from the real migrations, applied once to a template database
that each test copies; CSRF protection stays on, as in production.
"""
import shutil

import pytest
from flask_migrate import upgrade

from certif import create_app
from certif.extensions import db
from certif.referentials.services import import_all

from .factories.database import POSTGRES_URL

# The makers' shared fixtures (users and their logged-in clients, the clock, an SMTP server).
pytest_plugins = ["tests.factories.fixtures"]


def pytest_configure(config):
    # The PostgreSQL pass empties the one test database after each test: one process only.
    if POSTGRES_URL and config.getoption("numprocesses", None):
        raise pytest.UsageError("Sur PostgreSQL, la suite tourne dans un seul processus : "
                                "lancez-la sans -n (make test-postgres).")


SHIPPED_REFERENTIALS = [0]  # the highest referential id after the template's import
SHIPPED_ROWS: list[dict] = []  # the shipped referentials as imported, restored after each test
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
            SHIPPED_ROWS[:] = [dict(row) for row in db.session.execute(
                db.select(db.metadata.tables["referentials"])).mappings()]
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
    # A test may change a shipped version in place (its registration's end, its titles): undone.
    referentials = db.metadata.tables["referentials"]
    for row in SHIPPED_ROWS:
        db.session.execute(referentials.update().where(referentials.c.id == row["id"]).values(**row))
    db.session.commit()
