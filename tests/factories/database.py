"""The test database: which one (SQLite files, or PostgreSQL when set), and counted statements."""
import os
from contextlib import contextmanager

from sqlalchemy import event

from certif.config import database_url
from certif.extensions import db

# Set to run the suite on PostgreSQL instead of SQLite files, e.g.
# CERTIF_TEST_DATABASE_URL=postgresql://certif:certif@localhost/certif_test pytest -m "not sqlite_only"
POSTGRES_URL = database_url(os.environ.get("CERTIF_TEST_DATABASE_URL"))


@contextmanager
def counting_statements():
    """The SQL statements sent to the database inside the block."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def count_queries(function) -> int:
    """How many SELECTs `function` sends to the database."""
    statements = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):  # not BEGIN / SAVEPOINT
            statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        function()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)
