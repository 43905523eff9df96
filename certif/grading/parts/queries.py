"""Reading an exam's parts (the referential's), their log and the jury's coverage marks."""
from __future__ import annotations

from datetime import datetime

from ...extensions import db
from ...referentials.models import Referential
from .models import CompetencyCoverage, ExamPartStart


def declared_parts(referential_id: int) -> list[dict]:
    referential = db.session.get(Referential, referential_id)
    return referential.exam_parts if referential is not None else []


def part_starts(exam_id: int) -> dict[int, datetime]:
    """position -> when it started, for the parts the president started."""
    return dict(db.session.execute(
        db.select(ExamPartStart.position, ExamPartStart.started_at)
        .where(ExamPartStart.exam_id == exam_id).order_by(ExamPartStart.position)).all())


def coverage_of(exam_id: int) -> dict[str, CompetencyCoverage]:
    """competency code -> the jury's coverage mark (absent: nothing said yet)."""
    rows = db.session.scalars(db.select(CompetencyCoverage).where(CompetencyCoverage.exam_id == exam_id))
    return {row.competency_code: row for row in rows}
