"""Insurance certificates: PDF only (checked by content, as the jurors' CVs), kept under
FILES_DIR/uploads/insurance and served by a view that checks who asks."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app

from ..documents.private_files import PrivateFolder, looks_like_pdf, size_label
from ..errors import FieldError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MSG_MISSING = "Choisissez l'attestation d'assurance, au format PDF."
MSG_EMPTY = "Le fichier est vide : choisissez l'attestation d'assurance au format PDF."
MSG_NOT_PDF = ("Ce fichier n'est pas un PDF valide : l'attestation doit être un document PDF "
               "(enregistrez-la au format PDF puis recommencez).")
_FOLDER = PrivateFolder("insurance", "Insurance certificate")


def max_bytes() -> int:
    return int(current_app.config.get("INSURANCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_size_label() -> str:
    return size_label(max_bytes())


def check_pdf(data: bytes | None) -> str:
    """The PDF's SHA-256; FieldError (French) when missing, empty, too big or not a PDF."""
    if data is None:
        raise FieldError("certificate", MSG_MISSING)
    if not data:
        raise FieldError("certificate", MSG_EMPTY)
    if len(data) > max_bytes():
        raise FieldError("certificate", f"Le fichier est trop volumineux : {max_size_label()} au maximum.")
    if not looks_like_pdf(data):
        raise FieldError("certificate", MSG_NOT_PDF)
    return hashlib.sha256(data).hexdigest()


def path_of(name: str) -> Path:
    return _FOLDER.path_of(name)


def write(data: bytes) -> str:
    return _FOLDER.write(data, "pdf")


def delete(name: str | None) -> None:
    _FOLDER.delete(name)
