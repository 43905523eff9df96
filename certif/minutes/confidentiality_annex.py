"""The jurors' confidentiality attestations (seed 001, 5-3-4), annexed to the general minutes:
who signed, for which candidate, when, how, and the SHA-256 of what they signed. Read from
the signatures (each one with its evidence) when the minutes' PDF is rendered."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..extensions import db
from ..sessions.models import Exam, Jury
from ..signatures.models import CONFIDENTIALITY, Signature


@dataclass(frozen=True)
class Attestation:
    juror: str
    candidate: str
    signed_at: datetime
    method: str
    auth_method: str
    content_sha256: str


def attestations_of(session_id: int) -> list[Attestation]:
    """Every confidentiality attestation signed for a candidate of the session, in order."""
    rows = db.session.execute(
        db.select(Signature, Exam).join(Exam, Exam.id == Signature.subject_id)
        .join(Jury, Jury.id == Exam.jury_id)
        .where(Signature.document == CONFIDENTIALITY, Jury.session_id == session_id)
        .order_by(Jury.position, Exam.position, Signature.signed_at)).all()
    return [Attestation(s.signer_name, e.candidate.full_name, s.signed_at, s.method_label,
                        s.auth_method, s.content_sha256) for s, e in rows]
