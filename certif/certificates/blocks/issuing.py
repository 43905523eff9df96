"""Producing the attestations de validation de bloc of a session, numbered and sealed, with its
certificates (once the minutes have their visa): one per block validated at that session."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ...audit.services import record
from ...database import write_transaction
from ...documents.seal import seal_pdf
from ...documents.sealed import store_sealed
from ...errors import Conflict
from ...extensions import db
from ...grading.blocks.models import BlockValidation
from ...sessions.models import Exam, ExamSession, Jury
from ...timeutil import paris_day
from .. import rules
from .content import attestation_filename, attestation_pdf
from .models import SEALED_BLOCK_ATTESTATION, BlockAttestation
from .queries import attestations_of_exams, is_sealed

MSG_NUMBER_TAKEN = ("Des attestations de bloc ont été produites en même temps par ailleurs : rien "
                    "n'est enregistré, recommencez.")


def _session_validations(session: ExamSession) -> list[BlockValidation]:
    return list(db.session.scalars(
        db.select(BlockValidation).join(Exam, Exam.id == BlockValidation.exam_id)
        .join(Jury, Jury.id == Exam.jury_id).where(Jury.session_id == session.id,
                                                   BlockValidation.revoked_at.is_(None))
        .order_by(Exam.jury_id, Exam.position, BlockValidation.block_code)))


def holders_to_attest(session: ExamSession) -> list:
    """The candidates whose block attestation of this session is still to be made or sealed."""
    validations = _session_validations(session)
    done = {a.validation_id for a in attestations_of_exams({v.exam_id for v in validations})
            if is_sealed(a)}
    return [v.candidate for v in validations if v.id not in done]


def create_attestations(actor, session: ExamSession) -> list[BlockAttestation]:
    """Inside the write transaction: number the attestation of each block validated at the
    session that has none (`RNCP-CM-BC01-2026-0001`: certification, block, year, order)."""
    validations = _session_validations(session)
    have = {a.validation_id for a in attestations_of_exams({v.exam_id for v in validations})}
    year = paris_day(session.starts_at).year
    created = []
    for validation in validations:
        if validation.id in have:
            continue
        code = f"{validation.referential_code}-{validation.block_code}"
        used = db.session.scalars(db.select(BlockAttestation.number).where(
            BlockAttestation.number.startswith(rules.number_prefix(code, year), autoescape=True)))
        number = rules.certificate_number(code, year, rules.next_sequence(used, code, year))
        attestation = BlockAttestation(validation_id=validation.id, number=number,
                                       verification_code=rules.new_code(),
                                       created_by_id=getattr(actor, "id", None))
        db.session.add(attestation)
        try:
            db.session.flush()
        except IntegrityError:
            raise Conflict(MSG_NUMBER_TAKEN) from None
        record(actor, "block_attestation.create", "block_attestation", attestation.id, None, number,
               exam_id=validation.exam_id, candidate_id=validation.candidate_id,
               block=validation.block_code)
        created.append(attestation)
    return created


def seal_attestations(actor, session_id: int) -> int:
    """Outside any transaction: build and seal the PDF of each attestation of the session that has
    none, then keep them. Returns how many were sealed."""
    exam_ids = db.session.scalars(db.select(Exam.id).join(Jury, Jury.id == Exam.jury_id)
                                  .where(Jury.session_id == session_id))
    unsealed = [a for a in attestations_of_exams(exam_ids) if not is_sealed(a)]
    produced = [(a, seal_pdf(attestation_pdf(a),
                             reason=f"Attestation de validation de bloc n° {a.number}"))
                for a in unsealed]
    sealed = 0
    with write_transaction():
        for attestation, data in produced:
            if is_sealed(attestation):
                continue
            store_sealed(SEALED_BLOCK_ATTESTATION, attestation.id,
                         attestation_filename(attestation), data, actor=actor)
            sealed += 1
    return sealed
