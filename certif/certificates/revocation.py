"""Revoking a certificate (organiser): a reason always, audited; the public check then says
"révoqué" with the date. A revoked certificate stays in the register, with its number."""
from __future__ import annotations

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, InvalidInput
from ..grading.blocks.records import revoke_exam_validations
from ..sessions.rules import has_control_chars
from ..text import clean_text
from ..timeutil import french_date, utcnow
from . import rules
from .models import Certificate
from .queries import get_certificate

MSG_ALREADY_REVOKED = "Le certificat n° {number} a déjà été révoqué le {day}."
MSG_NOT_CONFIRMED = ("Cochez la case de confirmation : la révocation est définitive et la "
                     "vérification publique dira « révoqué ».")
MSG_BAD_CHARACTER = "Le motif de la révocation contient un caractère invalide."


def _check_not_revoked(certificate: Certificate) -> None:
    if certificate.revoked:
        raise Conflict(MSG_ALREADY_REVOKED.format(number=certificate.number,
                                                  day=french_date(certificate.revoked_at)))


def check_reason(raw: str | None) -> str:
    reason = clean_text(raw)
    if has_control_chars(reason, multiline=True):
        raise InvalidInput(MSG_BAD_CHARACTER)
    problem = rules.revocation_reason_problem(reason)
    if problem:
        raise InvalidInput(problem)
    return reason


def revoke_certificate(actor, certificate_id: int, raw_reason: str | None,
                       confirmed: bool) -> Certificate:
    """Revoke for `raw_reason` (required), once the organiser confirmed; 409 when already done."""
    certificate = get_certificate(certificate_id)
    _check_not_revoked(certificate)
    reason = check_reason(raw_reason)
    if not confirmed:
        raise InvalidInput(MSG_NOT_CONFIRMED)
    with write_transaction():
        certificate = get_certificate(certificate_id, lock=True)
        _check_not_revoked(certificate)
        certificate.revoked_at, certificate.revoked_by_id = utcnow(), actor.id
        certificate.revocation_reason = reason
        record(actor, "certificate.revoke", "certificate", certificate.id, None, reason,
               number=certificate.number, exam_id=certificate.exam_id,
               candidate_id=certificate.exam.candidate_id)
        # The attempt is revoked: the blocks it validated count no more (their attestations say so).
        revoke_exam_validations(actor, certificate.exam_id, reason)
    return certificate
