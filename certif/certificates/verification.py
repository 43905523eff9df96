"""Public verification of a certificate by its number and code, throttled per client."""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, timedelta

from ..auth.services import client_address
from ..errors import InvalidInput
from ..extensions import db
from ..throttling import services as throttling
from ..timeutil import paris_day
from . import rules
from .blocks.verification import CheckedBlock
from .blocks.verification import match as block_match
from .content import award_day
from .models import Certificate

# Compared against when the number is unknown, so that both answers take the same time.
_NO_CODE = "#" * rules.CODE_LENGTH
# Checks that match no certificate (or are malformed) from one client address.
VERIFY_LIMIT = throttling.Limit("certificate-verify-ip", 20, timedelta(minutes=15))
MSG_TOO_MANY_CHECKS = ("Trop de vérifications infructueuses depuis votre connexion : la "
                       "vérification des certificats est suspendue.")
VERIFY_SURFACE = "verification-certificat"


@dataclass(frozen=True)
class CheckedCertificate:
    """What the public check shows of a genuine certificate, and nothing more (issue 13):
    the holder's name, the certification, the day of award, valid or revoked (with its day)."""

    number: str
    holder: str
    certification_code: str
    certification_title: str
    awarded_on: date
    valid_until: date | None
    revoked_on: date | None

    @property
    def revoked(self) -> bool:
        return self.revoked_on is not None


def verify(raw_number: str | None, raw_code: str | None) -> CheckedCertificate | CheckedBlock | None:
    """The certificate these number and code belong to (issued or not, valid or revoked),
    None when they match none. Every check that fails counts against the client (429 past
    the limit, even a right one)."""
    address = client_address()
    with throttling.guarding(VERIFY_LIMIT, address, MSG_TOO_MANY_CHECKS, VERIFY_SURFACE):
        certificate = _matches(raw_number, raw_code)
        block = None if certificate is not None else _block_matches(raw_number, raw_code)
    if block is not None:
        return block
    if certificate is None:
        throttling.count_failure(VERIFY_LIMIT, address, MSG_TOO_MANY_CHECKS, VERIFY_SURFACE)
        return None
    referential = certificate.exam.jury.session.referential
    awarded = award_day(certificate)
    return CheckedCertificate(
        number=certificate.number, holder=certificate.exam.candidate.full_name,
        certification_code=referential.code, certification_title=referential.registered_title,
        awarded_on=awarded,
        valid_until=rules.valid_until(awarded, referential.certificate_validity_years),
        revoked_on=paris_day(certificate.revoked_at) if certificate.revoked_at else None)


def _block_matches(raw_number: str | None, raw_code: str | None) -> CheckedBlock | None:
    """A block attestation's number and code (blocks/verification.py), the input already checked."""
    return block_match(rules.normalise_number(raw_number), rules.normalise_code(raw_code), _NO_CODE)


def _matches(raw_number: str | None, raw_code: str | None) -> Certificate | None:
    problem = rules.verification_input_problem(raw_number, raw_code)
    if problem:
        raise InvalidInput(problem)
    number, code = rules.normalise_number(raw_number), rules.normalise_code(raw_code)
    certificate = db.session.scalar(db.select(Certificate).where(Certificate.number == number))
    stored = certificate.verification_code if certificate is not None else None
    matches = hmac.compare_digest(code.encode(), (stored or _NO_CODE).encode())
    return certificate if certificate is not None and matches else None
