"""Moving a sitting to a jury of another session (a candidate's absence or report, a carence,
a retake): the juries that can take it, with the lateness warning, and the move itself."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from ...audit.services import record
from ...candidates.models import RetakeRequest
from ...errors import InvalidInput
from ...extensions import db
from ...referentials.models import Referential
from ...timeutil import paris_to_utc, paris_today
from .. import rules
from ..locks import locked_at_of
from ..models import GRADING, MOVED, PLANNING, SCHEDULED, Exam, ExamSession, Jury
from ..queries import session_day
from ..slots import add_exam
from .common import ABSENT_STATUSES, MSG_HAS_MARKS, has_marks, result_day


@dataclass
class Target:
    """A jury that can receive a candidate, with the 3-month warning for that day."""

    jury: Jury
    day: date
    warning: str | None = None

    @property
    def session(self) -> ExamSession:
        return self.jury.session


def movable_problem(exam: Exam) -> str | None:
    """Why this sitting cannot be moved to another session (409), or None."""
    if exam.status == MOVED:
        return "Ce passage a déjà été reporté sur une autre session."
    if exam.phase != GRADING:
        return "La délibération de ce passage est ouverte ou close : il ne peut plus être reporté."
    if exam.status not in (SCHEDULED, *ABSENT_STATUSES):
        return "Ce passage ne peut pas être reporté."
    if has_marks(exam.id):
        return MSG_HAS_MARKS
    return None


def open_targets(exam: Exam, today: date | None = None, *,
                 with_warning: bool = True) -> list[Target]:
    """Juries of the same certification that can take this candidate: sessions not
    cancelled or over (nor with signed minutes), from today on, juries not stopped,
    where they do not sit already."""
    today = today or paris_today()
    code = exam.jury.session.referential.code
    sessions = db.session.scalars(
        db.select(ExamSession).join(Referential, ExamSession.referential_id == Referential.id)
        # Sessions that can still receive a candidate (moved, replaced or retaking).
        .where(Referential.code == code, ExamSession.status.in_(PLANNING),
               ExamSession.starts_at >= paris_to_utc(today, time(0)),
               locked_at_of(ExamSession.id).is_(None))
        .options(db.selectinload(ExamSession.juries).selectinload(Jury.exams))
        .order_by(ExamSession.starts_at, ExamSession.number)).all()
    targets = []
    for session in sessions:
        if any(e.candidate_id == exam.candidate_id and e.is_active
               for jury in session.juries for e in jury.exams):
            continue
        day = session_day(session)
        warning = late_warning(exam, day) if with_warning else None
        targets.extend(Target(jury, day, warning) for jury in session.juries
                       if jury.sits and jury.id != exam.jury_id)
    return targets


def late_warning(exam: Exam, day: date) -> str | None:
    """Why sitting on `day` would be late: a retake more than 2 months after the result it
    follows, any other sitting more than 3 months after the training (told, not refused)."""
    if exam.retake_of is not None and exam.retake_of.closed_at is not None:
        return rules.retake_sitting_warning(result_day(exam.retake_of), day)
    return rules.sitting_warning(exam.candidate.training_end_date, day)


def chosen_target(targets: list[Target], jury_id: int | None) -> Target:
    """The target the organiser chose, refused (400) when it is not one of `targets`."""
    target = next((t for t in targets if t.jury.id == jury_id), None)
    if target is None:
        raise InvalidInput("Choisissez une session et un jury parmi ceux proposés.")
    return target


def move_sitting(actor, exam: Exam, target: Jury, *, reason: str, warning: str | None) -> Exam:
    """The sitting becomes `moved`, pointing to a new sitting (same attempt) in `target`.
    The caller runs it inside its `write_transaction`."""
    old_status = exam.status
    new = add_exam(target, exam.candidate, attempt=exam.attempt, retake_of=exam.retake_of)
    exam.status = MOVED
    exam.moved_to = new
    # A retake that moves stays the retake the request led to.
    request = db.session.scalar(db.select(RetakeRequest).filter_by(new_exam_id=exam.id))
    if request is not None:
        request.new_exam = new
    details = dict(to_exam_id=new.id, to_session_id=target.session_id, reason=reason)
    if warning:  # only ever moved despite a warning once the organiser confirmed it
        details.update(warning=warning, confirmed=True)
    record(actor, "exam.move", "exam", exam.id, old_status, MOVED, **details)
    record(actor, "exam.create", "exam", new.id, None, SCHEDULED, moved_from_exam_id=exam.id,
           attempt=new.attempt, reason=reason)
    return new
