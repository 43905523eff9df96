"""The public check of a block attestation (same page, same number and code as certificates):
the block, its holder, the day it was validated, valid or revoked."""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

from ...timeutil import paris_day
from .queries import by_number


@dataclass(frozen=True)
class CheckedBlock:
    number: str
    holder: str
    certification_code: str
    certification_title: str
    block_code: str
    block_title: str
    validated_on: date
    session_number: str
    revoked_on: date | None

    is_block = True

    @property
    def revoked(self) -> bool:
        return self.revoked_on is not None


def match(number: str, code: str, no_code: str) -> CheckedBlock | None:
    """The attestation with this (normalised) number and code, or None (compared in constant time)."""
    attestation = by_number(number)
    stored = attestation.verification_code if attestation is not None else None
    if not hmac.compare_digest(code.encode(), (stored or no_code).encode()) or attestation is None:
        return None
    validation = attestation.validation
    referential = validation.exam.jury.session.referential
    return CheckedBlock(
        number=attestation.number, holder=validation.candidate.full_name,
        certification_code=validation.referential_code,
        certification_title=referential.registered_title, block_code=validation.block_code,
        block_title=validation.block_title, validated_on=validation.validated_on,
        session_number=validation.session_number,
        revoked_on=paris_day(validation.revoked_at) if validation.revoked_at else None)
