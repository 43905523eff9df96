"""What every change to the plan reads: bounded texts, a sitting's result and marks."""
from __future__ import annotations

from datetime import date

from ...errors import InvalidInput
from ...text import clean_text
from ...timeutil import paris_day
from .. import rules
from ..models import ABSENT_EXCUSED, ABSENT_UNEXCUSED, CLOSED, Exam
from ..references import MARKS, exam_has

ABSENT_STATUSES = (ABSENT_EXCUSED, ABSENT_UNEXCUSED)

MSG_HAS_MARKS = ("Un juré a déjà commencé à noter ce candidat : son passage ne peut plus "
                 "être modifié ainsi.")


def checked_text(raw: str | None, *, required: str | None = None, limit: int = rules.MAX_TEXT) -> str:
    """Trimmed text (browsers send CRLF); `required` is the message when it is empty."""
    text = clean_text(raw)
    if required and not text:
        raise InvalidInput(required)
    if len(text) > limit:
        raise InvalidInput(f"Le texte ne doit pas dépasser {limit} caractères.")
    return text


def has_marks(exam_id: int) -> bool:
    """Whether a juror has marked at least one criterion of this exam."""
    return exam_has(MARKS, exam_id)


def is_unfavourable(exam: Exam) -> bool:
    """A result that allows a retake: closed with an unfavourable decision (both rules)."""
    return exam.phase == CLOSED and exam.decision == rules.UNFAVORABLE and exam.closed_at is not None


def result_day(exam: Exam) -> date | None:
    """The day of the result: the Paris date the deliberation was closed."""
    return paris_day(exam.closed_at) if exam.closed_at is not None else None
