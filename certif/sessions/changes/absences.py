"""A candidate's absence (excused or not) and the move of a sitting to another session."""
from __future__ import annotations

from datetime import date

from ...audit.services import record
from ...database import write_transaction
from ...errors import Conflict, InvalidInput
from ..models import ABSENT_EXCUSED, ABSENT_UNEXCUSED, GRADING, SCHEDULED, Exam
from ..queries import get_exam
from .common import ABSENT_STATUSES, MSG_HAS_MARKS, checked_text, has_marks
from .moves import chosen_target, movable_problem, move_sitting, open_targets


def mark_absent(actor, exam_id: int, *, excused: bool | None, note: str | None) -> Exam:
    """The candidate did not come (excused or not); their slot stays as it was."""
    if excused is None:
        raise InvalidInput("Indiquez si l'absence est excusée ou non.")
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        if not exam.is_active or exam.phase != GRADING:
            raise Conflict(f"Ce passage ne peut plus être déclaré absent "
                           f"(état : {exam.status_label.lower()}, {exam.phase_label.lower()}).")
        if has_marks(exam.id):
            raise Conflict(MSG_HAS_MARKS)
        note = checked_text(note)
        exam.status = ABSENT_EXCUSED if excused else ABSENT_UNEXCUSED
        record(actor, "exam.absent", "exam", exam.id, SCHEDULED, exam.status, note=note or None)
    return exam


def move_exam(actor, exam_id: int, jury_id: int | None, *, confirmed: bool = False,
              today: date | None = None) -> Exam:
    """Move a sitting (scheduled or absent, not graded) to a jury of another session.

    When the candidate would sit more than 3 months after their training, the
    organiser must confirm; the warning is kept in the audit entry."""
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        problem = movable_problem(exam)
        if problem:
            raise Conflict(problem)
        target = chosen_target(open_targets(exam, today), jury_id)
        if target.warning and not confirmed:
            raise InvalidInput(f"{target.warning} Cochez la case de confirmation pour reporter "
                               "le candidat malgré tout.")
        new = move_sitting(actor, exam, target.jury,
                           reason="absence" if exam.status in ABSENT_STATUSES else "report",
                           warning=target.warning)
    return new
