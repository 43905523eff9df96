"""`flask backup`: one timestamped archive holding everything needed to rebuild the instance.

certif-backup-20261203T221500Z.tar.gz (0600) holds:
  database/certif.sqlite3 or database/certif.pgdump  a consistent snapshot (see snapshot.py)
  files/…        the files folder (uploads, outbox, sealed documents, the generated seal/)
  seal-config/…  the seal's certificate and key when configured outside the files folder
  manifest.json  SHA-256 and size of every other member, the schema's revision, the database
                 kind, created_at and the rows per table (a restore drill compares them)

The database is copied first, then the files: every file the snapshot refers to was written
before its row was committed, so it is in the archive. A file written after the snapshot may
be copied too; nothing refers to it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from ..audit.services import record
from ..database import write_transaction
from ..extensions import db
from ..files import private_dir
from . import BackupError
from .snapshot import SQLITE, SQLITE_SIDE_FILES, kind_of, sqlite_path, take

FORMAT, FORMAT_VERSION = "certif-backup", 1
MANIFEST = "manifest.json"
FILES_PREFIX, SEAL_CONFIG_PREFIX = "files/", "seal-config/"
# The seal configured outside the files folder: config key -> name in the archive.
SEAL_CONFIG_MEMBERS = {"SEAL_CERT_FILE": "seal-config/certificate.pem",
                       "SEAL_KEY_FILE": "seal-config/key.pem",
                       "SEAL_PKCS12_FILE": "seal-config/seal.p12"}
GENERATED_SEAL = ("files/seal/seal-cert.pem", "files/seal/seal-key.pem")
ARCHIVE_RE = re.compile(r"^certif-backup-(\d{8}T\d{6}Z)(?:-(\d+))?\.tar\.gz$")
CHUNK = 1024 * 1024


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    deleted: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def backup_dir(app: Flask) -> Path:
    """CERTIF_BACKUP_DIR, else beside the files folder (inside the instance folder when the
    files folder is the instance folder itself: the copy then leaves it out)."""
    if app.config.get("BACKUP_DIR"):
        return Path(app.config["BACKUP_DIR"]).resolve()
    files = Path(app.config["FILES_DIR"]).resolve()
    instance = Path(app.instance_path).resolve()
    return instance / "backups" if files == instance else files.parent / "backups"


def create_backup(app: Flask, to: Path | None = None, keep: int | None = None) -> BackupResult:
    """Write one archive into `to` (default: backup_dir) and return its path and manifest."""
    folder = Path(to).resolve() if to else backup_dir(app)
    private_dir(folder)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(dir=folder, prefix=".certif-backup-") as work:
        dump = Path(work) / "database"
        snapshot = take(db.engine, dump)
        members: dict[str, dict] = {}
        fd, partial = tempfile.mkstemp(dir=work, suffix=".partial")  # 0600
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                members[snapshot.member] = _add_file(tar, snapshot.member, dump)
                for name, path in _files_to_copy(app, folder):
                    entry = _add_file(tar, name, path, warnings)
                    if entry:
                        members[name] = entry
                seal = _add_seal_config(tar, app, members, warnings)
                manifest = _manifest(now, snapshot, seal, members)
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
            raw.flush()
            os.fsync(raw.fileno())
        final = _publish(Path(partial), folder, now)
    _audit(final, manifest, warnings)
    deleted = prune(folder, keep) if keep else []
    return BackupResult(final, manifest, deleted, warnings)


def _audit(path: Path, manifest: dict, warnings: list[str]) -> None:
    """Record the backup (after its snapshot: the archive never holds its own row)."""
    try:
        with write_transaction():
            record(None, "backup.create", "backup", None, new=path.name,
                   database=manifest["database"]["kind"], members=len(manifest["members"]),
                   size=path.stat().st_size)
    except Exception as exc:  # noqa: BLE001 — the archive is written; a read-only base only warns
        warnings.append(f"Sauvegarde écrite, mais non inscrite au journal d'audit : {exc}")


def _publish(partial: Path, folder: Path, now: dt.datetime) -> Path:
    """Give the finished archive its name; only complete archives ever carry one. Two backups
    within one second get -2, -3…: a link never replaces an existing file."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    n = 1
    while True:
        path = folder / (f"certif-backup-{stamp}.tar.gz" if n == 1 else f"certif-backup-{stamp}-{n}.tar.gz")
        try:
            os.link(partial, path)
        except FileExistsError:
            n += 1
            continue
        except OSError:  # a file system without hard links (some network shares)
            if path.exists():
                n += 1
                continue
            os.replace(partial, path)
            return path
        partial.unlink()
        return path


def archives_in(folder: Path) -> list[Path]:
    """certif's archives in `folder`, oldest first (by the time in their name)."""
    found = []
    for path in folder.iterdir():
        match = ARCHIVE_RE.match(path.name)
        if match and path.is_file() and not path.is_symlink():
            found.append(((match.group(1), int(match.group(2) or 1)), path))
    return [path for _key, path in sorted(found)]


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives; other files in the folder are left alone."""
    if keep < 1:
        raise BackupError("--keep doit valoir au moins 1.")
    doomed = archives_in(folder)[:-keep]
    for path in doomed:
        path.unlink()
    return doomed


# ---------------------------------------------------------------- what goes in

def _files_to_copy(app: Flask, target: Path):
    """(archive name, path) of every regular file under FILES_DIR, but for what must stay out:
    the backups, the database itself, the instance's secret key, half-written temporary files."""
    root = Path(app.config["FILES_DIR"]).resolve()
    if not root.is_dir():
        return
    skipped_dirs = {target, backup_dir(app)}
    skipped_files = {Path(app.instance_path).resolve() / "secret_key"}
    if kind_of(db.engine) == SQLITE:
        database = sqlite_path(db.engine)
        skipped_files |= {database} | {Path(f"{database}{suffix}") for suffix in SQLITE_SIDE_FILES}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if here / d not in skipped_dirs
                             and not (here / d).is_symlink())
        for name in sorted(filenames):
            path = here / name
            if path in skipped_files or is_temporary(name) or path.is_symlink() or not path.is_file():
                continue
            yield FILES_PREFIX + path.relative_to(root).as_posix(), path


def is_temporary(name: str) -> bool:
    return name.startswith(".") and (name.endswith(".tmp") or name.endswith(".partial")
                                     or name.endswith(".restoring"))


def _add_seal_config(tar, app: Flask, members: dict, warnings: list[str]) -> dict:
    """Copy the configured seal files (if any); say where the seal comes from."""
    configured = {key: app.config.get(key) for key in SEAL_CONFIG_MEMBERS if app.config.get(key)}
    if not configured:
        present = all(name in members for name in GENERATED_SEAL)
        return {"source": "generated" if present else "none",
                "members": list(GENERATED_SEAL) if present else []}
    copied, origins = [], {}
    for key, value in configured.items():
        name = SEAL_CONFIG_MEMBERS[key]
        entry = _add_file(tar, name, Path(value), warnings)
        if entry:
            members[name] = entry
            copied.append(name)
            origins[name] = {"config": "CERTIF_" + key, "path": str(Path(value).resolve())}
    return {"source": "configured", "members": copied, "origins": origins}


class _HashingReader(io.RawIOBase):
    def __init__(self, handle):
        self.handle, self.digest, self.count = handle, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.count += len(data)
        return data


def _add_file(tar, name: str, path: Path, warnings: list[str] | None = None) -> dict | None:
    """Add `path` as `name`, hashing exactly the bytes that go into the archive."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        if warnings is None:
            raise
        warnings.append(f"Fichier illisible, non sauvegardé : {path} ({exc.strerror})")
        return None
    with handle:
        info = tar.gettarinfo(fileobj=handle, arcname=name)
        info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": reader.count}


def _add_bytes(tar, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _manifest(now: dt.datetime, snapshot, seal: dict, members: dict) -> dict:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "database": {"kind": snapshot.kind, "member": snapshot.member,
                     "alembic_revision": snapshot.alembic_revision, "tables": snapshot.tables},
        "seal": seal,
        "members": members,
    }
