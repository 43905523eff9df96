"""The organiser's page of one sitting: its convocations, attempts, moves, retakes, appeals
and the journal of its changes, with what may be done next (a page model, read-only)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...audit.models import AuditEntry
from ...candidates.models import Appeal, RetakeRequest
from ...extensions import db
from ...timeutil import paris_today
from .. import rules
from ..convened import convocation_reader
from ..models import CLOSED, GRADING, Exam, ExamSession, Jury
from ..queries import get_exam, session_day
from .carence import replacement_session_of
from .common import has_marks, result_day
from .moves import late_warning, movable_problem
from .retakes import RetakeStatus, retake_status

EXCEPTION_ACTIONS = ("jury.stop", "exam.absent", "exam.move", "exam.create", "retake.request",
                     "retake.schedule", "appeal.record", "appeal.decide",
                     "appeal.request", "appeal.answer_mail", "appeal.answer_failed")


@dataclass
class Sitting:
    """Everything the organiser's page of one sitting shows."""

    exam: Exam
    convocations: list  # the candidate's, oldest first (see convened)
    attempts: list[Exam]
    moved_from: Exam | None
    retakes: list[Exam]
    retake: RetakeStatus
    appeals: list[Appeal]
    journal: list[AuditEntry]
    marked: bool
    replacement: ExamSession | None
    today: date
    move_problem: str | None = field(default=None)

    @property
    def session(self) -> ExamSession:
        return self.exam.jury.session

    @property
    def convocation_current(self) -> bool:
        last = self.convocations[-1] if self.convocations else None
        return convocation_reader().candidate_convocation_current(self.exam, last)

    @property
    def can_mark_absent(self) -> bool:
        e = self.exam
        return e.is_active and e.phase == GRADING and not self.marked

    @property
    def can_move(self) -> bool:
        return self.move_problem is None

    @property
    def has_result(self) -> bool:
        return self.exam.phase == CLOSED and self.exam.closed_at is not None

    @property
    def result_day(self) -> date | None:
        return result_day(self.exam)

    @property
    def retake_request(self) -> RetakeRequest | None:
        return self.retake.request

    @property
    def can_schedule_retake(self) -> bool:
        return self.retake_request is not None and self.retake_request.new_exam_id is None

    @property
    def sitting_deadline(self) -> date | None:
        end = self.exam.candidate.training_end_date
        return rules.sitting_deadline(end) if end else None

    @property
    def sitting_warning(self) -> str | None:
        # A retake follows the 2-month window after its result, not the 3 months after training.
        return late_warning(self.exam, session_day(self.session))


def sitting(exam_id: int, today: date | None = None) -> Sitting:
    today = today or paris_today()
    exam = get_exam(exam_id)
    convocations = convocation_reader().candidate_convocations(exam)
    attempts = db.session.scalars(
        db.select(Exam).where(Exam.candidate_id == exam.candidate_id)
        .options(db.joinedload(Exam.jury).joinedload(Jury.session))
        .order_by(Exam.starts_at, Exam.id)).unique().all()
    moved_from = next((e for e in attempts if e.moved_to_id == exam.id), None)
    retakes = [e for e in attempts if e.retake_of_id == exam.id]
    appeals = db.session.scalars(db.select(Appeal).filter_by(exam_id=exam.id)
                                 .order_by(Appeal.filed_on, Appeal.id)).all()
    journal = db.session.scalars(
        db.select(AuditEntry)
        .where(db.or_(db.and_(AuditEntry.entity == "exam", AuditEntry.entity_id == exam.id,
                              AuditEntry.action.in_(EXCEPTION_ACTIONS)),
                      db.and_(AuditEntry.entity == "jury", AuditEntry.entity_id == exam.jury_id,
                              AuditEntry.action == "jury.stop")))
        .options(db.joinedload(AuditEntry.actor))
        .order_by(AuditEntry.at, AuditEntry.id)).unique().all()
    marked = has_marks(exam.id)
    replacement = replacement_session_of(exam.jury_id) if not exam.jury.sits else None
    return Sitting(exam, list(convocations), list(attempts), moved_from, retakes,
                   retake_status(exam, today), list(appeals), list(journal), marked,
                   replacement, today, movable_problem(exam))
