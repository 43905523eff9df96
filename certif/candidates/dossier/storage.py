"""The PDF pieces of candidates' files, kept under FILES_DIR/uploads/dossiers (0600 files in
0700 folders, random names) and served only by views that check who asks.

Checked by content: the %PDF header and trailer (as every upload), then parsed with pypdf
(a file that merely looks like a PDF is refused), within DOSSIER_MAX_BYTES.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from flask import current_app
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ...documents.private_files import PrivateFolder, looks_like_pdf, size_label
from ...errors import InvalidInput

MSG_MISSING = "Choisissez le fichier à envoyer, au format PDF."
MSG_EMPTY = "Le fichier est vide : choisissez un document PDF."
MSG_NOT_PDF = ("Ce fichier n'est pas un PDF valide : enregistrez votre document au format PDF "
               "puis recommencez.")
_FOLDER = PrivateFolder("dossiers", "Candidate file")


def max_bytes() -> int:
    return int(current_app.config["DOSSIER_MAX_BYTES"])


def max_size_label() -> str:
    return size_label(max_bytes())


def too_big_message() -> str:
    return f"Le fichier est trop volumineux : {max_size_label()} au maximum."


def check_pdf(data: bytes | None) -> str:
    """The PDF's SHA-256; InvalidInput (French) when missing, empty, too big or not a PDF."""
    if data is None:
        raise InvalidInput(MSG_MISSING)
    if not data:
        raise InvalidInput(MSG_EMPTY)
    if len(data) > max_bytes():
        raise InvalidInput(too_big_message())
    if not looks_like_pdf(data):
        raise InvalidInput(MSG_NOT_PDF)
    try:
        PdfReader(io.BytesIO(data)).pages[0]  # noqa: B018 (parse the document and its first page)
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError, OSError):
        raise InvalidInput(MSG_NOT_PDF) from None
    return hashlib.sha256(data).hexdigest()


def write(data: bytes) -> str:
    return _FOLDER.write(data, "pdf")


def read(name: str) -> bytes:
    return path_of(name).read_bytes()


def path_of(name: str) -> Path:
    return _FOLDER.path_of(name)


def delete(name: str | None) -> None:
    _FOLDER.delete(name)
