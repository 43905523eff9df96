"""Sealed PDFs kept by certif: one file per kind+subject under FILES_DIR/sealed/, with its SHA-256.

The file gets a random name (the offered filename lives in the database) and is written
atomically; if the caller's transaction rolls back, the file goes too.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit.services import record
from ..errors import Conflict, ServiceError
from ..extensions import db
from ..files import write_private
from ..timeutil import utcnow
from .models import SealedDocument
from .pdf import sha256

MSG_ALREADY_SEALED = "Ce document a déjà été scellé : la version scellée ne peut pas être remplacée."
_PENDING = "certif_sealed_files"  # session.info key: files written in the current transaction


class SealedFileError(ServiceError):
    """A sealed file is missing or no longer matches its recorded SHA-256."""

    status = 500


def sealed_dir() -> Path:
    return Path(current_app.config["FILES_DIR"]) / "sealed"


def _path_of(stored_name: str) -> Path:
    # Names are ours (random hex), but never trust a stored path blindly.
    if not stored_name or Path(stored_name).name != stored_name:
        raise SealedFileError("Nom de fichier scellé invalide.")
    return sealed_dir() / stored_name


def sealed_document(kind: str, subject_id: int) -> SealedDocument | None:
    return db.session.scalar(db.select(SealedDocument).filter_by(kind=kind, subject_id=subject_id))


def store_sealed(kind: str, subject_id: int, filename: str, data: bytes, *,
                 actor=None) -> SealedDocument:
    """Keep a sealed PDF; call inside the caller's write_transaction (409 if already sealed)."""
    if sealed_document(kind, subject_id) is not None:
        raise Conflict(MSG_ALREADY_SEALED)
    stored_name = f"{secrets.token_hex(16)}.pdf"
    path = _path_of(stored_name)
    write_private(path, data)
    db.session.info.setdefault(_PENDING, []).append(path)
    doc = SealedDocument(kind=kind, subject_id=subject_id, filename=filename,
                         stored_name=stored_name, sha256=sha256(data), sealed_at=utcnow())
    db.session.add(doc)
    try:
        db.session.flush()
    except IntegrityError as exc:  # another request sealed it in between
        raise Conflict(MSG_ALREADY_SEALED) from exc
    record(actor, "document.seal", "sealed_document", doc.id, new=filename,
           kind=kind, subject_id=subject_id, sha256=doc.sha256)
    return doc


def read_sealed(kind: str, subject_id: int) -> tuple[str, bytes] | None:
    """(filename, bytes) of the sealed PDF, checked against its SHA-256; None if never sealed."""
    doc = sealed_document(kind, subject_id)
    if doc is None:
        return None
    try:
        data = _path_of(doc.stored_name).read_bytes()
    except OSError as exc:
        current_app.logger.error("sealed file %s missing: %s", doc.stored_name, exc)
        raise SealedFileError(
            f"Le fichier scellé « {doc.filename} » est introuvable sur le serveur.") from exc
    if sha256(data) != doc.sha256:
        current_app.logger.error("sealed file %s: SHA-256 mismatch", doc.stored_name)
        raise SealedFileError(
            f"Le fichier scellé « {doc.filename} » a été altéré sur le serveur "
            "(son empreinte SHA-256 ne correspond plus).")
    return doc.filename, data


# A rolled-back transaction leaves no file behind; a committed one keeps them.
@event.listens_for(Session, "after_commit")
def _keep_files(session) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_rollback")
def _remove_files(session) -> None:
    for path in session.info.pop(_PENDING, None) or ():
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
