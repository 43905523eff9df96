"""Evidence files of corrective actions: PDF, PNG or JPEG (checked by content), kept under
FILES_DIR/uploads/evidence.

As for the jurors' CVs (certif/jurors/storage.py), the files are never under static/: a
view that checks who asks serves them. Each file gets a random name; the name it was sent
with is kept in the database.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ..documents.private_files import PrivateFolder, looks_like_pdf, size_label
from ..errors import InvalidInput

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_FOLDER = PrivateFolder("evidence", "Evidence")

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


def max_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_size_label() -> str:
    return size_label(max_bytes())


def sniff(data: bytes) -> str | None:
    """The file's type from its bytes (never from its name), or None when not accepted."""
    if looks_like_pdf(data):
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
    return _FOLDER.path_of(name)


def write(evidence: Evidence) -> str:
    """Write a new evidence file; return its random name."""
    return _FOLDER.write(evidence.data, EXTENSIONS[evidence.mime])


def delete(name: str | None) -> None:
    """Remove a file nothing references; a missing file is not an error."""
    _FOLDER.delete(name)
