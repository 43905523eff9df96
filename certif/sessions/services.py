"""Session operations shared by the organiser's screens.

Primitives here (lookups, placing a candidate in a jury, rescheduling a jury's
slots) are used by the session, exception and convocation services; each caller
runs them inside its own `write_transaction` and records the audit entry.
"""
from __future__ import annotations

from ..errors import NotFound
from ..extensions import db
from . import rules
from .models import SCHEDULED, Exam, ExamSession, Jury


def sessions_overview() -> list[ExamSession]:
    """Every session with its juries and exams, most recent first."""
    return db.session.scalars(
        db.select(ExamSession)
        .options(db.selectinload(ExamSession.juries).selectinload(Jury.exams)
                 .joinedload(Exam.candidate),
                 db.joinedload(ExamSession.referential))
        .order_by(ExamSession.starts_at.desc())).unique().all()


def get_session(session_id: int, *, lock: bool = False) -> ExamSession:
    query = db.select(ExamSession).where(ExamSession.id == session_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    session = db.session.scalar(query)
    if session is None:
        raise NotFound("Session introuvable.")
    return session


def get_jury(jury_id: int) -> Jury:
    jury = db.session.get(Jury, jury_id)
    if jury is None:
        raise NotFound("Jury introuvable.")
    return jury


def get_exam(exam_id: int) -> Exam:
    exam = db.session.get(Exam, exam_id)
    if exam is None:
        raise NotFound("Passage introuvable.")
    return exam


def active_exams(jury: Jury) -> list[Exam]:
    """The candidates still to sit before this jury, in slot order."""
    return [e for e in jury.exams if e.status == SCHEDULED]


def reschedule(jury: Jury) -> None:
    """Recompute the slots of a jury's active exams, in position order, from the session's start.

    Each lasts the referential's duration plus the candidate's extra time.
    Positions are renumbered 1..n so that reordering stays simple."""
    exams = sorted(active_exams(jury), key=lambda e: (e.position, e.id))
    session = jury.session
    slots = rules.schedule(session.starts_at, session.referential.exam_minutes,
                           [e.candidate.extra_minutes or 0 for e in exams])
    for position, (exam, slot) in enumerate(zip(exams, slots), start=1):
        exam.position = position
        exam.starts_at = slot.starts_at
        exam.duration_minutes = slot.minutes


def add_exam(jury: Jury, candidate, *, attempt: int = 1, retake_of: Exam | None = None) -> Exam:
    """Place `candidate` at the end of `jury`'s slots (caller audits and commits)."""
    last = max((e.position for e in jury.exams), default=0)
    exam = Exam(candidate=candidate, position=last + 1, attempt=attempt, retake_of=retake_of,
                starts_at=jury.session.starts_at,
                duration_minutes=jury.session.referential.exam_minutes)
    jury.exams.append(exam)
    db.session.flush()
    reschedule(jury)
    return exam
