"""Recording the blocks an attempt validated (called when the session's minutes are signed),
and revoking them with their attempt."""
from __future__ import annotations

from ...audit.services import record
from ...extensions import db
from ...sessions.models import Exam
from ...timeutil import paris_day, utcnow
from .models import BlockValidation


def record_validations(actor, exam: Exam, blocks: dict[str, str]) -> list[BlockValidation]:
    """Inside a write transaction: `blocks` (code -> title) validated by `exam`, each recorded
    once (a repeated call records nothing more) and audited."""
    if not blocks:
        return []
    session = exam.jury.session
    have = set(db.session.scalars(db.select(BlockValidation.block_code)
                                  .where(BlockValidation.exam_id == exam.id)))
    created = []
    for code, title in blocks.items():
        if code in have:
            continue
        row = BlockValidation(
            candidate_id=exam.candidate_id, exam_id=exam.id,
            referential_code=session.referential.code, block_code=code, block_title=title,
            session_number=session.number, attempt_starts_at=session.starts_at,
            validated_on=paris_day(session.starts_at), recorded_by_id=getattr(actor, "id", None))
        db.session.add(row)
        db.session.flush()
        record(actor, "block.validate", "block_validation", row.id, None, code,
               exam_id=exam.id, candidate_id=exam.candidate_id, session=session.number)
        created.append(row)
    return created


def revoke_exam_validations(actor, exam_id: int, reason: str) -> int:
    """Inside a write transaction: the attempt is revoked, so are the blocks it validated."""
    rows = list(db.session.scalars(db.select(BlockValidation).where(
        BlockValidation.exam_id == exam_id, BlockValidation.revoked_at.is_(None))))
    for row in rows:
        row.revoked_at, row.revocation_reason = utcnow(), reason
        record(actor, "block.revoke", "block_validation", row.id, None, reason,
               exam_id=exam_id, block=row.block_code)
    return len(rows)
