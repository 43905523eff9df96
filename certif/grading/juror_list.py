"""The juror's list (page model): the sessions they sit on, each jury's exams, and how far
their own grid is, in a fixed number of statements."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func

from ..extensions import db
from ..jurors.models import ConflictDeclaration
from ..referentials.services import Layout, layout
from ..sessions.models import (
    ABSENT_EXCUSED,
    ABSENT_UNEXCUSED,
    GRADING,
    MOVED,
    Exam,
    ExamSession,
    Jury,
    JuryMember,
)
from ..timeutil import to_paris, utcnow
from .blocks.queries import prior_validations
from .models import Grid, Mark

# Why a row of the juror's list is no longer theirs to grade (None: still theirs).
NOT_SITTING_LABELS = {MOVED: "Reporté", ABSENT_EXCUSED: "Absent", ABSENT_UNEXCUSED: "Absent"}
LABEL_CARENCE = "Jury arrêté (carence)"
TODAY, UPCOMING, PAST = "today", "upcoming", "past"


@dataclass
class JurorExam:
    exam: Exam
    marked: int
    criteria: int
    declaration: ConflictDeclaration | None = None

    @property
    def not_sitting(self) -> str | None:
        """"Reporté", "Absent" or "Jury arrêté (carence)" when the juror no longer grades
        this candidate here (same rule as ExamAccess.write_refusal); None otherwise."""
        if self.exam.status in NOT_SITTING_LABELS:
            return NOT_SITTING_LABELS[self.exam.status]
        if self.exam.phase == GRADING and not self.exam.jury.sits:
            return LABEL_CARENCE
        return None

    @property
    def must_declare(self) -> bool:
        return (self.exam.phase == GRADING and self.declaration is None
                and self.not_sitting is None)


@dataclass
class JurorJury:
    jury: Jury
    rows: list[JurorExam]


@dataclass
class JurorSession:
    session: ExamSession
    layout: Layout
    when: str  # TODAY, UPCOMING or PAST (Paris days)
    juries: list[JurorJury]


def _when(starts_at, today) -> str:
    day = to_paris(starts_at).date()
    return TODAY if day == today else (UPCOMING if day > today else PAST)


def juror_sessions(user) -> list[JurorSession]:
    """The sessions `user` sits on, with each jury's exams and how far their own grid is.

    Today's sessions first, then the upcoming ones (soonest first), then the past ones
    (latest first); juries by position, exams by slot. A fixed number of statements.
    """
    exams = db.session.scalars(
        db.select(Exam).join(JuryMember, JuryMember.jury_id == Exam.jury_id)
        .where(JuryMember.juror_id == user.id)
        .options(db.joinedload(Exam.jury).joinedload(Jury.session))
        .order_by(Exam.starts_at, Exam.position, Exam.id)).unique().all()
    marked = dict(db.session.execute(
        db.select(Grid.exam_id, func.count(Mark.id)).join(Mark, Mark.grid_id == Grid.id)
        .where(Grid.juror_id == user.id).group_by(Grid.exam_id)).all())
    declared = {d.exam_id: d for d in db.session.scalars(
        db.select(ConflictDeclaration).where(ConflictDeclaration.juror_id == user.id))}
    today = to_paris(utcnow()).date()
    sessions: dict[int, JurorSession] = {}
    juries: dict[int, JurorJury] = {}
    kept = prior_validations(exams)  # a retake grades only the blocks not validated before
    for exam in exams:
        jury, session = exam.jury, exam.jury.session
        if session.id not in sessions:
            sessions[session.id] = JurorSession(session, layout(session.referential_id),
                                                _when(session.starts_at, today), [])
        if jury.id not in juries:
            juries[jury.id] = JurorJury(jury, [])
            sessions[session.id].juries.append(juries[jury.id])
        group = sessions[session.id]
        juries[jury.id].rows.append(JurorExam(exam, marked.get(exam.id, 0),
                                              len(group.layout.scheme.keeping(kept[exam.id]).criteria),
                                              declared.get(exam.id)))
    for group in sessions.values():
        group.juries.sort(key=lambda j: (j.jury.position, j.jury.id))
    order = {TODAY: 0, UPCOMING: 1, PAST: 2}
    result = sorted(sessions.values(), key=lambda g: (order[g.when], g.session.starts_at, g.session.id))
    past = [g for g in result if g.when == PAST]
    return [g for g in result if g.when != PAST] + past[::-1]
