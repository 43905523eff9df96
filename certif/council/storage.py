"""Evidence files of corrective actions: PDF, PNG or JPEG (checked by content), kept under
FILES_DIR/uploads/evidence.

As for the jurors' CVs (certif/jurors/storage.py), the files are never under static/: a
view that checks who asks serves them. Each file gets a random name; the name it was sent
with is kept in the database.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ..errors import InvalidInput

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_PDF_TRAILER_WINDOW = 2048  # "%%EOF" must close a PDF (a few bytes of padding allowed)

MSG_EMPTY = "Le fichier de preuve est vide : choisissez un document PDF, PNG ou JPEG."
MSG_BAD_TYPE = ("Ce fichier n'est ni un PDF, ni une image PNG ou JPEG : la preuve doit être un "
                "document PDF ou une image (PNG, JPEG).")

# What each accepted type starts with (and, for a PDF, ends with), and its extension.
MIME_PDF, MIME_PNG, MIME_JPEG = "application/pdf", "image/png", "image/jpeg"
EXTENSIONS = {MIME_PDF: "pdf", MIME_PNG: "png", MIME_JPEG: "jpg"}


@dataclass(frozen=True)
class Evidence:
    """A checked file, ready to store."""

    data: bytes
    filename: str
    mime: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def evidence_dir() -> Path:
    return Path(current_app.config["FILES_DIR"]) / "uploads" / "evidence"


def max_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_size_label() -> str:
    size = max_bytes()
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} Mo".replace(".", ",")
    return f"{size // 1024} Ko"


def sniff(data: bytes) -> str | None:
    """The file's type from its bytes (never from its name), or None when not accepted."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-_PDF_TRAILER_WINDOW:]:
        return MIME_PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return MIME_PNG
    if data.startswith(b"\xff\xd8\xff"):
        return MIME_JPEG
    return None


def check(data: bytes, filename: str | None) -> Evidence:
    """The file as Evidence, or InvalidInput (French) when empty, too big or of another type."""
    if not data:
        raise InvalidInput(MSG_EMPTY)
    if len(data) > max_bytes():
        raise InvalidInput(f"Le fichier de preuve est trop volumineux : {max_size_label()} au maximum.")
    mime = sniff(data)
    if mime is None:
        raise InvalidInput(MSG_BAD_TYPE)
    return Evidence(data, clean_filename(filename, mime), mime)


_DROPPED = frozenset('"\'`')  # quotes: the name goes back out in a Content-Disposition header
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
MAX_FILENAME = 255


def clean_filename(filename: str | None, mime: str) -> str:
    """The name the file was sent with, as shown on pages and given back on download: its
    last path part, printable characters only, no quotes, and the extension of the type
    its content was found to be (a PNG sent as "scan.pdf" is kept as "scan.png"); "preuve"
    when nothing is left."""
    name = "".join(ch for ch in (filename or "") if ch.isprintable() and ch not in _DROPPED)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    extension = f".{EXTENSIONS[mime]}"
    stem = _EXTENSION.sub("", name.strip()).strip(" .")
    return (stem or "preuve")[:MAX_FILENAME - len(extension)] + extension


def path_of(name: str) -> Path:
    # Names are ours (random hex), but never trust a stored path blindly.
    if not name or Path(name).name != name or name.startswith("."):
        raise ValueError(f"bad evidence file name {name!r}")
    return evidence_dir() / name


def write(evidence: Evidence) -> str:
    """Write a new evidence file; return its random name."""
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{EXTENSIONS[evidence.mime]}"
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(evidence.data)
    return name


def delete(name: str | None) -> None:
    """Remove a file nothing references; a missing file is not an error."""
    if not name:
        return
    try:
        path_of(name).unlink(missing_ok=True)
    except (OSError, ValueError):
        current_app.logger.warning("Evidence file %s could not be deleted", name)
