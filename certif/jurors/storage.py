"""Jurors' CV files: PDF only (checked by content), kept under FILES_DIR/uploads/cv.

The files are never under static/: they are served by a view that checks who asks.
Each file gets a random name; the name the juror gave is kept in the database.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app

from ..errors import InvalidInput

MSG_EMPTY = "Le fichier est vide : choisissez votre CV au format PDF."
MSG_NOT_PDF = ("Ce fichier n'est pas un PDF valide : le CV doit être un document PDF "
               "(enregistrez-le au format PDF puis recommencez).")
_TRAILER_WINDOW = 2048  # "%%EOF" must close the file (a few bytes of padding allowed)


def cv_dir() -> Path:
    return Path(current_app.config["FILES_DIR"]) / "uploads" / "cv"


def max_bytes() -> int:
    return int(current_app.config["CV_MAX_BYTES"])


def max_size_label() -> str:
    size = max_bytes()
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} Mo".replace(".", ",")
    return f"{size // 1024} Ko"


def check_pdf(data: bytes) -> None:
    """Refuse what is not a PDF of an acceptable size (InvalidInput, in French)."""
    if not data:
        raise InvalidInput(MSG_EMPTY)
    if len(data) > max_bytes():
        raise InvalidInput(f"Le fichier est trop volumineux : {max_size_label()} au maximum.")
    # The header must open the file; the trailer must close it (a PNG renamed .pdf has neither).
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-_TRAILER_WINDOW:]:
        raise InvalidInput(MSG_NOT_PDF)


def path_of(name: str) -> Path:
    # Names are ours (random hex), but never trust a stored path blindly.
    if not name or Path(name).name != name:
        raise ValueError(f"bad CV file name {name!r}")
    return cv_dir() / name


def write(data: bytes) -> str:
    """Write a new CV file; return its random name."""
    folder = cv_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.pdf"
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return name


def delete(name: str | None) -> None:
    """Remove a file no longer referenced; a missing file is not an error."""
    if not name:
        return
    try:
        path_of(name).unlink(missing_ok=True)
    except (OSError, ValueError):
        current_app.logger.warning("CV file %s could not be deleted", name)
