"""What the layers above keep about an exam, which sessions respect before they re-seat,
move or delete it.

Sessions place candidates in juries; convocations keep what was sent to them, grading
their grids and the jury's deliberation marks. Sessions sit below those layers and never
import them: each registers, when its models are imported (as `certif.models` does for
every table), the column that points to the exam (and the rows to read it from, when
they reach the exam through another table).
"""
from __future__ import annotations

from collections.abc import Iterable

from ..extensions import db

CONVOCATIONS = "convocations"  # a convocation was sent for the exam
GRIDS = "grids"  # a juror started grading the exam
MARKS = "marks"  # a juror marked at least one criterion of the exam
DELIBERATION_MARKS = "deliberation_marks"  # the jury recorded a value in deliberation

_rows: dict = {}  # kind -> (the exam id column, a select of it over the kind's rows)


def register_exam_column(kind: str, column, query=None) -> None:
    """`query`: a select of `column` (with its joins); by default, `column`'s own table."""
    _rows[kind] = (column, query if query is not None else db.select(column))


def _query(kind: str):
    if kind not in _rows:
        raise RuntimeError(f"nobody registered the exams' {kind}: is certif.models imported?")
    return _rows[kind]


def exams_with(kind: str, exam_ids: Iterable[int]) -> set[int]:
    """The ids among `exam_ids` of the exams that have rows of `kind`."""
    ids = list(exam_ids)
    if not ids:
        return set()
    column, query = _query(kind)
    return set(db.session.scalars(query.where(column.in_(ids)).distinct()))


def exam_has(kind: str, exam_id: int) -> bool:
    column, query = _query(kind)
    return db.session.scalar(query.where(column == exam_id).limit(1)) is not None
