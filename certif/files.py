"""Files and folders that certif writes, readable by the service's user only.

Outbox messages, uploaded CVs and evidence, sealed documents, the seal's key and the
secret key all hold personal or secret data: files are 0600, folders 0700, whatever the
process's umask. Every write goes through `write_private`.
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: str | os.PathLike) -> Path:
    """The folder, created 0700 with its missing parents; when it already exists and others
    may read it (made by an earlier version), it is closed to them. Parents that already
    existed are the administrator's and stay as they are."""
    path = Path(path)
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # another worker made it just now
            pass
    if not missing:
        _close(path, DIR_MODE)
    return path


def _close(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(mode)
    except PermissionError:  # not ours (a folder the administrator shares): leave it
        pass


def write_private(path: str | os.PathLike, data: bytes | str, *, exclusive: bool = False) -> None:
    """Write a whole file (0600) through a temporary one, synced then renamed into place: a
    reader never sees half a file, and a crash leaves none. `exclusive`: the first writer
    wins, a second one gets FileExistsError and the file stays as the first wrote it."""
    path = Path(path)
    private_dir(path.parent)
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)  # fails if the file exists: never replaces it
            tmp.unlink()
        else:
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def open_private(path: str | os.PathLike, flags: int = os.O_WRONLY | os.O_CREAT):
    """A file object on `path`, created 0600 (lock files and the like)."""
    path = Path(path)
    private_dir(path.parent)
    return os.fdopen(os.open(path, flags, FILE_MODE), "w")
