"""SQLite set up for concurrent jurors, migrations in step with the models."""
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event

from certif import ROOT
from certif.audit.models import AuditEntry
from certif.database import write_transaction
from certif.extensions import db
from certif.grading.models import Grid, Mark
from certif.sessions.models import Exam

from .factories.sessions import make_exam
from .factories.web import Browserless


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


def test_migrations_run_down_and_up_on_a_database_holding_data(app, make_web):
    """SQLite copies a table to alter it: a referenced table with rows must survive."""
    from flask_migrate import downgrade, upgrade
    setup = make_exam("RS6240")
    web = make_web(setup.president)
    exam_id, candidate_id = setup.exam.id, setup.exam.candidate_id
    web.post(f"/jury/examens/{exam_id}/grille/criteres/{setup.criteria[0]}",
             {"value": "acquis"}, htmx=True)
    db.session.close()
    downgrade(revision="0001")
    upgrade()
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 1
    assert db.session.get(Exam, exam_id).candidate_id == candidate_id


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
               for w, v in zip(webs, ("acquis", "non_acquis"), strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.commit()
    values = db.session.execute(db.select(Mark.value)).scalars().all()
    assert len(values) == 48
    assert values.count(True) == 24 and values.count(False) == 24


def test_one_juror_clicking_fast_on_many_criteria_at_once_loses_nothing(app, make_web):
    """First clicks in parallel (two tabs, fast clicks) all create the same grid once."""
    setup = make_exam("RS6240")
    web = make_web(setup.president)
    exam_id, criteria = setup.exam.id, setup.criteria
    statuses, lock = [], threading.Lock()

    def click(cid):
        response = web.client.post(f"/jury/examens/{exam_id}/grille/criteres/{cid}",
                                   data={"value": "acquis"},
                                   headers={"HX-Request": "true", "X-CSRFToken": web.token})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=click, args=(cid,)) for cid in criteria[:8]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 8
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Grid.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 8


WRITER = """
import sys
from certif import create_app
from certif.audit.models import AuditEntry
from certif.database import write_transaction
from certif.extensions import db
app = create_app("test", SQLALCHEMY_DATABASE_URI=sys.argv[1])
with app.app_context():
    for i in range(150):
        with write_transaction():
            db.session.add(AuditEntry(action="writer", entity="test", entity_id=int(sys.argv[2])))
print("ok")
"""


@pytest.mark.sqlite_only
def test_writers_in_separate_processes_never_meet_database_is_locked(app):
    """gunicorn runs several processes: each one's writes wait their turn in SQLite."""
    import subprocess
    import sys
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, uri, str(n)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(3)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err[-500:] for _, err in outputs]
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).where(AuditEntry.action == "writer")) == 450
