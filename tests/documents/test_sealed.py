"""Sealed PDFs kept on disk with their SHA-256, one per kind and subject."""
import hashlib
from pathlib import Path

import pytest

from certif.audit.models import AuditEntry
from certif.database import write_transaction
from certif.documents.models import SEALED_CERTIFICATE, SEALED_GRID, SealedDocument
from certif.documents.sealed import SealedFileError, read_sealed, store_sealed
from certif.errors import Conflict
from certif.extensions import db


def sealed_files(app):
    folder = Path(app.config["FILES_DIR"]) / "sealed"
    return sorted(p for p in folder.glob("*") if not p.name.startswith(".")) if folder.exists() else []


def test_store_then_read_with_the_checksum(app, sealed_pdf):
    with write_transaction():
        doc = store_sealed(SEALED_GRID, 7, "grille-Dupont.pdf", sealed_pdf)
    stored = db.session.get(SealedDocument, doc.id)
    assert stored.sha256 == hashlib.sha256(sealed_pdf).hexdigest()
    [path] = sealed_files(app)
    assert path.name == stored.stored_name and len(path.stem) == 32
    assert path.read_bytes() == sealed_pdf
    assert read_sealed(SEALED_GRID, 7) == ("grille-Dupont.pdf", sealed_pdf)
    assert read_sealed(SEALED_GRID, 8) is None
    assert read_sealed(SEALED_CERTIFICATE, 7) is None
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="document.seal"))
    assert entry.entity_id == doc.id and entry.new_value == "grille-Dupont.pdf"


def test_a_second_seal_of_the_same_subject_is_a_conflict(app, sealed_pdf):
    with write_transaction():
        store_sealed(SEALED_GRID, 7, "a.pdf", sealed_pdf)
    with pytest.raises(Conflict) as raised:
        with write_transaction():
            store_sealed(SEALED_GRID, 7, "b.pdf", sealed_pdf)
    assert raised.value.status == 409
    assert len(sealed_files(app)) == 1
    assert read_sealed(SEALED_GRID, 7)[0] == "a.pdf"


def test_a_rolled_back_transaction_leaves_no_file(app, sealed_pdf):
    with pytest.raises(RuntimeError):
        with write_transaction():
            store_sealed(SEALED_GRID, 9, "a.pdf", sealed_pdf)
            raise RuntimeError("later step failed")
    assert sealed_files(app) == []
    assert read_sealed(SEALED_GRID, 9) is None


def test_a_file_changed_on_disk_is_reported(app, sealed_pdf):
    with write_transaction():
        store_sealed(SEALED_GRID, 7, "grille.pdf", sealed_pdf)
    [path] = sealed_files(app)
    path.write_bytes(sealed_pdf + b"\n")
    with pytest.raises(SealedFileError) as raised:
        read_sealed(SEALED_GRID, 7)
    assert "a été altéré" in raised.value.message
    path.unlink()
    with pytest.raises(SealedFileError) as raised:
        read_sealed(SEALED_GRID, 7)
    assert "introuvable" in raised.value.message
