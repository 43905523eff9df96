"""Consistent database snapshots, and putting one back.

SQLite: the online backup API copies the live database, WAL content included, in one step.
In WAL mode that step is a read transaction: jurors keep writing while it runs (copying
the file instead would miss every commit still in the WAL). A stepped copy would restart
each time another connection writes, that is forever during a busy exam day.

PostgreSQL: `pg_dump --format=custom` run on a snapshot exported by a REPEATABLE READ
transaction, in which the manifest's row counts are taken too: both see the same instant.
The connection settings go to pg_dump/pg_restore through libpq's environment (PGPASSWORD…),
never on their command line.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, Engine

from . import BackupError

SQLITE, POSTGRESQL = "sqlite", "postgresql"
SQLITE_MEMBER, POSTGRES_MEMBER = "database/certif.sqlite3", "database/certif.pgdump"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
MSG_NO_PG_TOOL = ("{tool} est introuvable : installez le client PostgreSQL (paquet postgresql-client, "
                  "même version majeure que le serveur).")


@dataclass
class Snapshot:
    kind: str
    member: str  # its name in the archive
    alembic_revision: str | None
    tables: dict[str, int] = field(default_factory=dict)  # rows per table, at the snapshot


def kind_of(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in (SQLITE, POSTGRESQL):
        raise BackupError(f"Base de données non prise en charge pour les sauvegardes : {name}.")
    return name


def sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("La base SQLite doit être un fichier pour être sauvegardée.")
    return Path(database).resolve()


def take(engine: Engine, dest: Path) -> Snapshot:
    """Write a consistent snapshot of the database behind `engine` to `dest`."""
    if kind_of(engine) == SQLITE:
        return _sqlite_snapshot(sqlite_path(engine), dest)
    return _postgres_snapshot(engine, dest)


# ---------------------------------------------------------------- SQLite

def _sqlite_snapshot(source: Path, dest: Path) -> Snapshot:
    if not source.is_file():
        raise BackupError(f"Base SQLite introuvable : {source}")
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)  # pages=-1: one step, one read snapshot, writers go on (WAL)
            # A self-contained file: no WAL beside it, whatever the source's journal mode.
            dst.execute("PRAGMA journal_mode=DELETE")
            problem = dst.execute("PRAGMA quick_check").fetchone()[0]
            if problem != "ok":
                raise BackupError(f"La copie de la base SQLite est incohérente : {problem}")
            return Snapshot(SQLITE, SQLITE_MEMBER, _sqlite_revision(dst), _sqlite_counts(dst))
        finally:
            dst.close()
    finally:
        src.close()


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _sqlite_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def sqlite_has_users(path: Path) -> bool:
    """Any row in users? Read only: a missing database file is not created."""
    if not path.exists():
        return False
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'").fetchone():
            return False
        return conn.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0] == 1
    finally:
        conn.close()


def restore_sqlite(snapshot: Path, target: Path) -> None:
    """Put the snapshot file in place of the database (the service must be stopped).

    The stale -wal/-shm go first: left beside the new file, a WAL from the old database
    could be replayed into it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(snapshot, staged)
    os.chmod(staged, 0o600)
    with open(staged, "rb") as handle:
        os.fsync(handle.fileno())
    for suffix in SQLITE_SIDE_FILES:
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)


# ---------------------------------------------------------------- PostgreSQL

def libpq_env(url: URL) -> dict[str, str]:
    """The environment that points pg_dump/pg_restore at `url`'s database (password included)."""
    env = dict(os.environ)
    query = dict(url.query)
    values = {"PGHOST": url.host or query.get("host"), "PGPORT": url.port or query.get("port"),
              "PGUSER": url.username or query.get("user"), "PGPASSWORD": url.password,
              "PGDATABASE": url.database, "PGSSLMODE": query.get("sslmode"),
              "PGSSLROOTCERT": query.get("sslrootcert"), "PGAPPNAME": "certif-backup"}
    for name, value in values.items():
        if isinstance(value, tuple):  # a query parameter given several times
            value = value[0]
        if value:
            env[name] = str(value)
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(MSG_NO_PG_TOOL.format(tool=name))
    return path


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise BackupError(f"{what} a échoué (code {done.returncode}) : {detail}")


def _postgres_snapshot(engine: Engine, dest: Path) -> Snapshot:
    pg_dump = pg_tool("pg_dump")
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot_id = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            # The transaction stays open until pg_dump has read everything from its snapshot.
            _run([pg_dump, "--format=custom", "--compress=6", f"--snapshot={snapshot_id}",
                  f"--file={dest}"], libpq_env(engine.url), "pg_dump")
            return Snapshot(POSTGRESQL, POSTGRES_MEMBER, _pg_revision(conn), _pg_counts(conn))


def _pg_counts(conn) -> dict[str, int]:
    names = conn.execute(text(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name")).scalars().all()
    return {name: conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar_one() for name in names}


def _pg_revision(conn) -> str | None:
    if conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar() is None:
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def postgres_has_users(engine: Engine) -> bool:
    with engine.connect() as conn:
        if conn.exec_driver_sql("SELECT to_regclass('users')").scalar() is None:
            return False
        return bool(conn.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM users)").scalar())


def restore_postgres(dump: Path, engine: Engine) -> None:
    """Load a custom-format dump into the configured database, in one transaction."""
    pg_restore = pg_tool("pg_restore")
    env = libpq_env(engine.url)
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={env['PGDATABASE']}", str(dump)], env, "pg_restore")
