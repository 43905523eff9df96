"""Helpers of the backup tests: a fresh instance to restore into, archives rewritten member
by member, snapshots of tables and files."""
import hashlib
import io
import json
import tarfile
from pathlib import Path

from sqlalchemy import Column, MetaData, Table

from certif import create_app
from certif.extensions import db

from ..factories.database import POSTGRES_URL


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
