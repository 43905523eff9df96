"""Read-only lookups of block attestations."""
from __future__ import annotations

from ...database import get_row
from ...documents.sealed import read_sealed, sealed_document
from ...errors import NotFound
from ...extensions import db
from ...grading.blocks.models import BlockValidation
from .models import SEALED_BLOCK_ATTESTATION, BlockAttestation

MSG_NO_ATTESTATION = "Attestation de validation de bloc introuvable."
MSG_NOT_SEALED = ("Le PDF scellé de cette attestation n'est pas encore produit : utilisez « Produire "
                  "les certificats » sur la page des résultats.")


def get_attestation(attestation_id: int) -> BlockAttestation:
    return get_row(BlockAttestation, attestation_id, MSG_NO_ATTESTATION)


def attestations_of(validation_ids) -> dict[int, BlockAttestation]:
    """validation id -> its attestation, for the ids that have one."""
    ids = list(validation_ids)
    if not ids:
        return {}
    return {a.validation_id: a for a in db.session.scalars(
        db.select(BlockAttestation).where(BlockAttestation.validation_id.in_(ids)))}


def attestations_of_exams(exam_ids) -> list[BlockAttestation]:
    ids = list(exam_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        db.select(BlockAttestation).join(BlockValidation)
        .where(BlockValidation.exam_id.in_(ids)).order_by(BlockAttestation.number)))


def is_sealed(attestation: BlockAttestation) -> bool:
    return sealed_document(SEALED_BLOCK_ATTESTATION, attestation.id) is not None


def sealed_attestation(attestation: BlockAttestation) -> tuple[str, bytes]:
    found = read_sealed(SEALED_BLOCK_ATTESTATION, attestation.id)
    if found is None:
        raise NotFound(MSG_NOT_SEALED)
    return found


def by_number(number: str) -> BlockAttestation | None:
    return db.session.scalar(db.select(BlockAttestation).where(BlockAttestation.number == number))
