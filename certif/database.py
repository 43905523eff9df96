"""Database plumbing: SQLite tuned for concurrent jurors, and write transactions.

SQLite allows one writer at a time. A deferred transaction that reads first and
writes later can fail with "database is locked" when another writer got in
between; starting write transactions with BEGIN IMMEDIATE takes the write lock
up front, so concurrent clicks queue on the busy timeout instead of failing.
"""
import threading
from contextlib import contextmanager, nullcontext

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .errors import NotFound
from .extensions import db

BUSY_TIMEOUT_MS = 30_000
_IMMEDIATE = "certif_begin_immediate"
# SQLite has one writer: threads of a process queue here, in order, rather than
# in SQLite's busy handler, which polls with growing sleeps and serves unevenly.
_SQLITE_WRITER = threading.Lock()


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get(_IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction():
    """Run a block of writes in one transaction holding the write lock from its start.

    Commits on success, rolls back on any exception. Whatever the request read
    before is committed (read-only) first, so the write transaction starts fresh.
    """
    if db.session.info.get("in_write_transaction"):
        raise RuntimeError("write_transaction() cannot be nested")
    session = db.session
    session.commit()
    queue = _SQLITE_WRITER if db.engine.dialect.name == "sqlite" else nullcontext()
    with queue:
        session.info["in_write_transaction"] = True
        session.connection(execution_options={_IMMEDIATE: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop("in_write_transaction", None)


def get_row(model, row_id: int, missing: str, *, lock: bool = False):
    """A row by id, or NotFound(`missing`). `lock`: inside a write transaction, the row as it
    is now, locked on PostgreSQL (SQLite holds the write lock already)."""
    options = {"with_for_update": {"of": model}, "populate_existing": True} if lock else {}
    row = db.session.get(model, row_id, **options)
    if row is None:
        raise NotFound(missing)
    return row
