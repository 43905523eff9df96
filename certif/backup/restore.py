"""`flask restore ARCHIVE`: check an archive completely, then rebuild an empty instance from it.

Nothing of the instance is touched before the whole archive has been read into a private
staging folder and every member matched the manifest (names, sizes, SHA-256). Member names
are checked before anything is written, even to the staging folder: plain files only, under
database/, files/ or seal-config/, no absolute path, no "..".

The service must be stopped during a restore (the README's drill says so).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Flask

from ..extensions import db
from ..files import private_dir
from . import BackupError
from .archive import (
    FILES_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SEAL_CONFIG_MEMBERS,
    backup_dir,
    is_temporary,
)
from .snapshot import (
    POSTGRES_MEMBER,
    SQLITE,
    SQLITE_MEMBER,
    SQLITE_SIDE_FILES,
    kind_of,
    postgres_has_users,
    restore_postgres,
    restore_sqlite,
    sqlite_has_users,
    sqlite_path,
)

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
MSG_NOT_EMPTY = ("L'instance n'est pas vide ({what}) : la restauration écraserait ses données. "
                 "Restaurez dans une instance vide, ou ajoutez --force si c'est bien voulu.")
MSG_UNREADABLE = "Archive illisible ou tronquée : {detail}. Rien n'a été restauré."
MSG_ALTERED = "Archive altérée : {detail}. Rien n'a été restauré."
MSG_UNSAFE = "Archive refusée : {detail}. Rien n'a été restauré."
MSG_UPGRADE = ("La sauvegarde est à la révision {old} du schéma, ce code à la révision {new} : "
               "lancez « flask db upgrade » (ou « flask setup ») pour migrer la base avant de "
               "démarrer certif.")


@dataclass
class RestoreResult:
    manifest: dict
    notes: list[str] = field(default_factory=list)  # French, for the operator


def restore_backup(app: Flask, archive: Path, force: bool = False) -> RestoreResult:
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Archive introuvable : {archive}")
    kind = kind_of(db.engine)
    if not force:
        _refuse_if_not_empty(app, kind)
    files_root = Path(app.config["FILES_DIR"]).resolve()
    files_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=files_root.parent, prefix=".certif-restore-"))
    try:
        manifest = read_verified(archive, staging)
        if manifest["database"]["kind"] != kind:
            raise BackupError(f"Cette sauvegarde vient d'une base {manifest['database']['kind']} ; "
                              f"l'instance utilise {kind}. Rien n'a été restauré.")
        notes = _revision_notes(app, manifest["database"].get("alembic_revision"))
        _restore_database(kind, staging / manifest["database"]["member"])
        _restore_files(staging, manifest, files_root)
        notes += _restore_seal_config(app, staging, manifest, files_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(manifest, notes)


# ---------------------------------------------------------------- is the instance empty?

def _refuse_if_not_empty(app: Flask, kind: str) -> None:
    what = []
    has_users = sqlite_has_users(sqlite_path(db.engine)) if kind == SQLITE else postgres_has_users(db.engine)
    if has_users:
        what.append("la base contient des comptes")
    files = files_in_use(app)
    if files:
        what.append(f"le dossier des fichiers contient {len(files)} fichier(s), dont {files[0]}")
    if what:
        raise BackupError(MSG_NOT_EMPTY.format(what=" ; ".join(what)))


def files_in_use(app: Flask) -> list[str]:
    """Files under FILES_DIR a restore would overwrite or orphan; what certif makes on its
    own at start (the generated seal, the secret key, the database, backups) does not count."""
    root = Path(app.config["FILES_DIR"]).resolve()
    if not root.is_dir():
        return []
    ignored = {root / "seal", backup_dir(app), Path(app.instance_path).resolve() / "secret_key"}
    if kind_of(db.engine) == SQLITE:
        database = sqlite_path(db.engine)
        ignored |= {database} | {Path(f"{database}{suffix}") for suffix in SQLITE_SIDE_FILES}
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if here / d not in ignored)
        found += [(here / n).relative_to(root).as_posix() for n in sorted(filenames)
                  if here / n not in ignored and not is_temporary(n)]
    return found


# ---------------------------------------------------------------- reading and checking

def safe_member_name(name: str) -> bool:
    """A relative POSIX name under one of the archive's folders, with nothing odd in it."""
    if not name or len(name) > 4096 or name.startswith("/") or "\\" in name:
        return False
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return False
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return False
    if name == MANIFEST:
        return True
    if parts[0] == "database":
        return name in (SQLITE_MEMBER, POSTGRES_MEMBER)
    if parts[0] == "seal-config":
        return name in SEAL_CONFIG_MEMBERS.values()
    return parts[0] == "files" and len(parts) >= 2


def read_verified(archive: Path, staging: Path) -> dict:
    """Copy every member into `staging` and check it against the manifest; return the manifest."""
    found: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in tar:
                name = member.name
                if not safe_member_name(name):
                    raise BackupError(MSG_UNSAFE.format(detail=f"nom de fichier dangereux « {name} »"))
                if not member.isreg():
                    raise BackupError(MSG_UNSAFE.format(detail=f"« {name} » n'est pas un fichier ordinaire"))
                if name in found or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(MSG_UNSAFE.format(detail=f"« {name} » y figure deux fois"))
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest_bytes = source.read(MAX_MANIFEST_BYTES + 1)
                else:
                    dest = staging / PurePosixPath(name)
                    if not dest.resolve().is_relative_to(staging.resolve()):  # belt and braces
                        raise BackupError(MSG_UNSAFE.format(detail=f"nom de fichier dangereux « {name} »"))
                    found[name] = _stage(source, dest)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(MSG_UNREADABLE.format(detail=exc)) from exc
    manifest = _parse_manifest(manifest_bytes)
    _compare(manifest, found)
    return manifest


def _stage(source, dest: Path) -> dict:
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest, size = hashlib.sha256(), 0
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _parse_manifest(data: bytes | None) -> dict:
    if data is None:
        raise BackupError(MSG_ALTERED.format(detail="manifest.json est absent (archive incomplète)"))
    if len(data) > MAX_MANIFEST_BYTES:
        raise BackupError(MSG_ALTERED.format(detail="manifest.json est démesuré"))
    try:
        manifest = json.loads(data)
        ok = (manifest["format"] == FORMAT and isinstance(manifest["members"], dict)
              and manifest["database"]["member"] in manifest["members"])
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise BackupError(MSG_ALTERED.format(detail="manifest.json n'est pas celui d'une sauvegarde certif"))
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(f"Format de sauvegarde {manifest.get('version')} inconnu de cette version "
                          "de certif. Rien n'a été restauré.")
    return manifest


def _compare(manifest: dict, found: dict[str, dict]) -> None:
    listed = manifest["members"]
    for name in sorted(set(listed) - set(found)):
        raise BackupError(MSG_ALTERED.format(detail=f"« {name} » manque"))
    for name in sorted(set(found) - set(listed)):
        raise BackupError(MSG_ALTERED.format(detail=f"« {name} » n'est pas dans le manifeste"))
    for name in sorted(found):
        expected = listed[name]
        if not isinstance(expected, dict) or found[name] != {"sha256": expected.get("sha256"),
                                                             "size": expected.get("size")}:
            raise BackupError(MSG_ALTERED.format(
                detail=f"l'empreinte SHA-256 de « {name} » ne correspond pas au manifeste"))


def _revision_notes(app: Flask, revision: str | None) -> list[str]:
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    heads = script.get_heads()
    if revision in heads:
        return []
    try:
        known = revision is not None and script.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError(f"La sauvegarde est à une révision du schéma inconnue de ce code ({revision}) : "
                          "installez la version de certif qui l'a produite. Rien n'a été restauré.")
    return [MSG_UPGRADE.format(old=revision, new=", ".join(heads))]


# ---------------------------------------------------------------- putting it back

def _restore_database(kind: str, snapshot: Path) -> None:
    engine = db.engine
    db.session.remove()
    engine.dispose()  # no connection of ours keeps the old file or a lock on a table
    if kind == SQLITE:
        restore_sqlite(snapshot, sqlite_path(engine))
    else:
        restore_postgres(snapshot, engine)
    engine.dispose()


def _restore_files(staging: Path, manifest: dict, root: Path) -> None:
    for name in sorted(manifest["members"]):
        if name.startswith(FILES_PREFIX):
            _place(staging / PurePosixPath(name), root / PurePosixPath(name[len(FILES_PREFIX):]))


def _place(staged: Path, dest: Path) -> None:
    private_dir(dest.parent)
    try:
        os.replace(staged, dest)
    except OSError:  # another file system: copy beside, then rename
        partial = dest.with_name(f".{dest.name}.restoring")
        shutil.copyfile(staged, partial)
        os.replace(partial, dest)
    os.chmod(dest, 0o600)


def _restore_seal_config(app: Flask, staging: Path, manifest: dict, root: Path) -> list[str]:
    """Configured seal files go back where this instance's configuration expects them (never
    over a different existing file), or under FILES_DIR/seal-config/ with a note."""
    notes = []
    names = {name: key for key, name in SEAL_CONFIG_MEMBERS.items()}
    for name in sorted(manifest["members"]):
        if name not in names:
            continue
        key, staged = names[name], staging / PurePosixPath(name)
        configured = app.config.get(key)
        if not configured:
            dest = root / PurePosixPath(name)
            _place(staged, dest)
            notes.append(f"Cachet : {dest} restauré ; définissez CERTIF_{key}={dest} "
                         "pour que les documents scellés avant la sauvegarde restent vérifiables.")
        elif not Path(configured).exists():
            _place(staged, Path(configured))
            notes.append(f"Cachet : {configured} restauré (CERTIF_{key}).")
        elif Path(configured).read_bytes() != staged.read_bytes():
            dest = root / PurePosixPath(name)
            _place(staged, dest)
            notes.append(f"Cachet : {configured} (CERTIF_{key}) diffère de la sauvegarde et n'a pas été "
                         f"remplacé ; la copie sauvegardée est dans {dest}.")
    return notes
