"""Helpers for the backup tests: an instance with a bit of everything, a fresh instance to
restore into, archives rewritten member by member, and snapshots of tables and files."""
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import Column, MetaData, Table, inspect

from certif import create_app
from certif.database import write_transaction
from certif.documents.models import SEALED_GRID
from certif.documents.private_files import PrivateFolder
from certif.documents.seal import seal_pdf
from certif.documents.sealed import store_sealed
from certif.extensions import db
from certif.mail.services import send
from certif.referentials.services import import_all

from ..conftest import POSTGRES_URL
from ..documents.conftest import plain_pdf
from ..factories import make_exam


@pytest.fixture
def instance(app):
    """An exam of 5 candidates ready to grade, a juror's CV, a mail in the outbox and a sealed
    grid (which makes the seal under FILES_DIR/seal)."""
    setup = make_exam("RS6240", candidates=5)
    PrivateFolder("cv", "CV").write(plain_pdf("CV de Paule"), "pdf")
    send(["candidat@test.fr"], "Convocation", "Bonjour, vous êtes convoqué.")
    sealed = seal_pdf(plain_pdf("Grille d'évaluation"), reason="Grille scellée")
    with write_transaction():
        store_sealed(SEALED_GRID, setup.exam.id, "grille.pdf", sealed)
    yield setup, sealed
    if POSTGRES_URL and not inspect(db.engine).has_table("users"):
        # A restore that failed after the schema was wiped: rebuild it for the next tests.
        db.session.remove()
        upgrade()
        import_all()
        db.session.commit()


def fresh_app(root: Path):
    """A new instance: its own files folder and, on SQLite, its own database file (not even
    created yet). On PostgreSQL the one test database is emptied instead (call this from
    the source app's context, once every reader of the source is done)."""
    if POSTGRES_URL:
        db.session.commit()
        db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    root.mkdir(parents=True, exist_ok=True)
    return create_app("test", SQLALCHEMY_DATABASE_URI=POSTGRES_URL or f"sqlite:///{root / 'certif.db'}",
                      FILES_DIR=str(root / "files"))


def all_rows(engine) -> dict[str, list[tuple]]:
    """Every row of every table (certif's and alembic's), in a stable order."""
    tables = dict(db.metadata.tables)
    tables["alembic_version"] = Table("alembic_version", MetaData(), Column("version_num"))
    with engine.connect() as conn:
        return {name: sorted((tuple(row) for row in conn.execute(table.select())), key=repr)
                for name, table in sorted(tables.items())}


def file_hashes(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(Path(root).rglob("*")) if path.is_file()}


def members_of(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def write_archive(path: Path, members: dict[str, bytes], *, fix_manifest: bool = True,
                  special: list[tarfile.TarInfo] = ()) -> Path:
    """An archive with these members; with fix_manifest the manifest lists their true sums,
    so that a refusal comes from what is being tested, not from a checksum."""
    members = dict(members)
    if fix_manifest:
        manifest = json.loads(members["manifest.json"])
        manifest["members"] = {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                               for name, data in members.items() if name != "manifest.json"}
        members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(path, "w:gz") as tar:
        for info in special:
            tar.addfile(info)
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path
