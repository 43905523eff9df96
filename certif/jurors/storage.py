"""Jurors' CV files: PDF only (checked by content), kept under FILES_DIR/uploads/cv.

The files are never under static/: they are served by a view that checks who asks.
Each file gets a random name; the name the juror gave is kept in the database.
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..documents.private_files import PrivateFolder, looks_like_pdf, size_label
from ..errors import InvalidInput

MSG_EMPTY = "Le fichier est vide : choisissez votre CV au format PDF."
MSG_NOT_PDF = ("Ce fichier n'est pas un PDF valide : le CV doit être un document PDF "
               "(enregistrez-le au format PDF puis recommencez).")
_FOLDER = PrivateFolder("cv", "CV")


def cv_dir() -> Path:
    return _FOLDER.path


def max_bytes() -> int:
    return int(current_app.config["CV_MAX_BYTES"])


def max_size_label() -> str:
    return size_label(max_bytes())


def check_pdf(data: bytes) -> None:
    """Refuse what is not a PDF of an acceptable size (InvalidInput, in French)."""
    if not data:
        raise InvalidInput(MSG_EMPTY)
    if len(data) > max_bytes():
        raise InvalidInput(f"Le fichier est trop volumineux : {max_size_label()} au maximum.")
    if not looks_like_pdf(data):
        raise InvalidInput(MSG_NOT_PDF)


def path_of(name: str) -> Path:
    return _FOLDER.path_of(name)


def write(data: bytes) -> str:
    """Write a new CV file; return its random name."""
    return _FOLDER.write(data, "pdf")


def delete(name: str | None) -> None:
    """Remove a file no longer referenced; a missing file is not an error."""
    _FOLDER.delete(name)
