"""Downloading a block attestation's sealed PDF: the organiser, or its holder through their link
(audited; refused once the validation is revoked)."""
from __future__ import annotations

from flask import url_for

from ...audit.services import record
from ...database import write_transaction
from ...errors import NotFound
from .models import BlockAttestation
from .queries import get_attestation, sealed_attestation

MSG_REVOKED = ("Cette attestation de validation de bloc a été révoquée par l'organisme "
               "certificateur : elle n'est plus téléchargeable.")


def attestation_url(attestation: BlockAttestation) -> str:
    return url_for("certificates.block_attestation_pdf", attestation_id=attestation.id)


def organiser_pdf(attestation_id: int) -> tuple[str, bytes]:
    return sealed_attestation(get_attestation(attestation_id))


def holder_pdf(candidate, attestation_id: int) -> tuple[str, bytes]:
    """The holder's own attestation (NotFound for anyone else's, as if it did not exist)."""
    attestation = get_attestation(attestation_id)
    if attestation.validation.candidate_id != candidate.id:
        raise NotFound("Attestation de validation de bloc introuvable.")
    if attestation.revoked:
        raise NotFound(MSG_REVOKED)
    found = sealed_attestation(attestation)
    with write_transaction():
        record(None, "block_attestation.download", "block_attestation", attestation.id, None,
               attestation.number, candidate_id=candidate.id)
    return found
