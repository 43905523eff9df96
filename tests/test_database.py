"""SQLite set up for concurrent jurors, migrations in step with the models."""
import threading

import pytest

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event

from certif.audit.models import AuditEntry
from certif.database import write_transaction
from certif.extensions import db
from certif.grading.models import Mark

from .conftest import Browserless
from .factories import make_exam


def pragma(name):
    return db.session.execute(db.text(f"PRAGMA {name}")).scalar()


@pytest.mark.sqlite_only
def test_sqlite_pragmas(app):
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == 30000
    assert pragma("synchronous") == 2  # FULL


@pytest.mark.sqlite_only
def test_write_transactions_take_the_write_lock_at_their_start(app):
    statements = []
    listener = lambda conn, cursor, statement, *a: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with write_transaction():
            db.session.add(AuditEntry(action="test", entity="test"))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements[1].startswith("INSERT INTO audit_log")


def test_a_failed_write_transaction_leaves_nothing_behind(app):
    try:
        with write_transaction():
            db.session.add(AuditEntry(action="half", entity="test"))
            db.session.flush()
            raise ValueError("boom")
    except ValueError:
        pass
    assert db.session.scalar(db.select(db.func.count()).where(AuditEntry.action == "half")) == 0


def test_write_transactions_do_not_nest(app):
    with pytest.raises(RuntimeError, match="nested"):
        with write_transaction():
            with write_transaction():
                pass
    with write_transaction():  # the lock was released
        db.session.add(AuditEntry(action="after", entity="test"))
    assert db.session.scalar(db.select(db.func.count()).where(AuditEntry.action == "after")) == 1


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_simultaneous_clicks_never_fail_and_the_last_value_stands(app, make_web):
    """Both jurors of a jury click every criterion at the same time, from threads."""
    setup = make_exam("RS6240")
    webs = [make_web(setup.president), make_web(setup.member)]
    errors, lock = [], threading.Lock()
    exam_id, criteria = setup.exam.id, setup.criteria  # read here: threads have no app context

    def click_all(web: Browserless, value):
        for cid in criteria:
            for v in ("acquis", "non_acquis", value):
                response = web.client.post(
                    f"/jury/examens/{exam_id}/grille/criteres/{cid}", data={"value": v},
                    headers={"HX-Request": "true", "X-CSRFToken": web.token})
                if response.status_code != 200:
                    with lock:
                        errors.append((response.status_code, response.text[:200]))

    # Requests from threads get their own app context (no context is pushed there).
    threads = [threading.Thread(target=click_all, args=(w, v))
               for w, v in zip(webs, ("acquis", "non_acquis"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.commit()
    values = db.session.execute(db.select(Mark.value)).scalars().all()
    assert len(values) == 48
    assert values.count(True) == 24 and values.count(False) == 24
