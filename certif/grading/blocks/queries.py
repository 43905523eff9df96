"""Reading the blocks validated across attempts: for an exam's grid (from its access), for a list
of exams (minutes, results), for a candidate (their page)."""
from __future__ import annotations

from collections.abc import Iterable

from ...examday.access import ExamAccess
from ...examday.prior_blocks import PriorBlock
from ...extensions import db
from ...referentials.services import layout
from ...sessions.models import Exam, ExamSession, Jury
from ...timeutil import french_date
from .models import BlockValidation

MSG_KEPT = ("Le bloc {code} a été validé le {day} (session n° {number}) lors d'une précédente "
            "tentative : ses critères ne sont pas évalués à nouveau.")


def origin_label(day, number: str) -> str:
    """« Validé le 12 mars 2026 (session n° 2026-CM-00) »."""
    return f"Validé le {french_date(day)} (session n° {number})"


def kept_block_of(access: ExamAccess, criterion) -> PriorBlock | None:
    """The earlier validation of the criterion's block, when this exam does not grade it."""
    code = access.layout.competencies[criterion.competency_code].block_code
    return access.prior_blocks.get(code) if code in access.scheme.kept else None


def kept_refusal(block: PriorBlock) -> str:
    return MSG_KEPT.format(code=block.code, day=french_date(block.validated_on),
                           number=block.session_number)


def _validations(candidate_ids: Iterable[int]) -> list[BlockValidation]:
    ids = sorted(set(candidate_ids))
    if not ids:
        return []
    return list(db.session.scalars(
        db.select(BlockValidation).where(BlockValidation.candidate_id.in_(ids))
        .order_by(BlockValidation.attempt_starts_at, BlockValidation.block_code)))


def prior_validations(exams: list[Exam]) -> dict[int, dict[str, BlockValidation]]:
    """For each exam: the blocks its candidate validated before it (earlier attempts at the same
    certification, not revoked), by block code, the earliest first. One query."""
    found: dict[int, dict[str, BlockValidation]] = {e.id: {} for e in exams}
    rows = _validations(e.candidate_id for e in exams)
    for exam in exams:
        session = exam.jury.session
        for row in rows:
            if (row.candidate_id == exam.candidate_id and row.exam_id != exam.id and not row.revoked
                    and row.referential_code == layout(session.referential_id).code
                    and row.attempt_starts_at < session.starts_at):
                found[exam.id].setdefault(row.block_code, row)
    return found


def validations_by_exam(exams: list[Exam]) -> dict[int, list[BlockValidation]]:
    """The blocks each exam validated itself (revoked ones included: the caller says so)."""
    ids = [e.id for e in exams]
    found: dict[int, list[BlockValidation]] = {i: [] for i in ids}
    if ids:
        for row in db.session.scalars(db.select(BlockValidation)
                                      .where(BlockValidation.exam_id.in_(ids))
                                      .order_by(BlockValidation.block_code)):
            found[row.exam_id].append(row)
    return found


def candidate_validations(candidate_id: int) -> list[BlockValidation]:
    """Every block validation of a candidate, with its attempt, oldest first."""
    return list(db.session.scalars(
        db.select(BlockValidation).where(BlockValidation.candidate_id == candidate_id)
        .join(Exam, Exam.id == BlockValidation.exam_id).join(Jury, Jury.id == Exam.jury_id)
        .join(ExamSession, ExamSession.id == Jury.session_id)
        .order_by(BlockValidation.attempt_starts_at, BlockValidation.block_code)))


def get_validation(validation_id: int) -> BlockValidation | None:
    return db.session.get(BlockValidation, validation_id)
