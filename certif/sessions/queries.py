"""Read-only lookups on sessions, their juries and sittings: used by the session services,
the exception services (`sessions.changes`) and the layers above (convocations, exam day,
certificates, council)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func

from ..auth.models import User
from ..database import get_row
from ..errors import NotFound
from ..extensions import db
from ..jurors.models import ConflictDeclaration
from ..referentials.models import Referential
from ..timeutil import paris_today, to_paris
from .models import Exam, ExamSession, Jury, JuryMember
from .references import GRIDS, exams_with


def sessions_overview(today: date | None = None) -> list[ExamSession]:
    """Every session with its juries and exams: those to come (today included) soonest
    first, then past ones most recent first."""
    today = today or paris_today()
    sessions = db.session.scalars(
        db.select(ExamSession)
        .options(db.selectinload(ExamSession.juries).selectinload(Jury.exams)
                 .joinedload(Exam.candidate),
                 db.joinedload(ExamSession.referential))
        .order_by(ExamSession.starts_at.desc())).unique().all()
    upcoming = [s for s in sessions if session_day(s) >= today]
    past = [s for s in sessions if session_day(s) < today]
    return upcoming[::-1] + past


def get_session(session_id: int, *, lock: bool = False) -> ExamSession:
    query = db.select(ExamSession).where(ExamSession.id == session_id)
    if lock:
        query = query.with_for_update(of=ExamSession).execution_options(populate_existing=True)
    session = db.session.scalar(query)
    if session is None:
        raise NotFound("Session introuvable.")
    return session


def session_for_page(session_id: int) -> ExamSession:
    """A session with what its page shows loaded in a fixed number of queries: juries,
    their slots and candidates, their jurors and the jurors' habilitation profiles and
    decisions per certification."""
    juries = db.selectinload(ExamSession.juries)
    jurors = juries.selectinload(Jury.members).joinedload(JuryMember.juror)
    session = db.session.scalar(
        db.select(ExamSession).where(ExamSession.id == session_id)
        .options(db.joinedload(ExamSession.referential),
                 juries.selectinload(Jury.exams),
                 jurors.selectinload(User.juror_profile),
                 jurors.selectinload(User.juror_habilitations)))
    if session is None:
        raise NotFound("Session introuvable.")
    return session


def get_jury(jury_id: int, *, lock: bool = False) -> Jury:
    return get_row(Jury, jury_id, "Jury introuvable.", lock=lock)


def get_exam(exam_id: int, *, lock: bool = False) -> Exam:
    return get_row(Exam, exam_id, "Passage introuvable.", lock=lock)


def _by_slot(jury: Jury) -> list[Exam]:
    return sorted(jury.exams, key=lambda e: (e.position, e.id))


def sitting_juries(session: ExamSession) -> list[Jury]:
    """Who sits, the one rule with `sitting_exams`: the juries not stopped by a carence
    (`Jury.sits`), by position."""
    return [j for j in sorted(session.juries, key=lambda j: (j.position, j.id)) if j.sits]


def sitting_exams(of: ExamSession | Jury) -> list[Exam]:
    """The candidates who sit (`Exam.sits`), the ones on the attendance sheets: still
    expected (not absent, not moved), before a jury that sits; in jury then slot order."""
    juries = sitting_juries(of) if isinstance(of, ExamSession) else [of]
    return [e for jury in juries if jury.sits for e in _by_slot(jury) if e.is_active]


def active_exams(of: ExamSession | Jury) -> list[Exam]:
    """The candidates still expected (`Exam.is_active`) whatever their jury: unlike
    `sitting_exams`, a jury stopped by a carence counts, its candidates waiting for the
    replacement session (what an annulation would leave behind). In jury then slot order."""
    juries = of.juries if isinstance(of, ExamSession) else [of]
    return [e for jury in juries for e in _by_slot(jury) if e.is_active]


def session_day(session: ExamSession) -> date:
    return to_paris(session.starts_at).date()


def latest_referentials() -> list[Referential]:
    """The latest version of each certification: the ones a new session can pin."""
    latest = (db.select(Referential.code, func.max(Referential.version).label("version"))
              .group_by(Referential.code).subquery())
    return db.session.scalars(
        db.select(Referential).join(latest, (Referential.code == latest.c.code)
                                    & (Referential.version == latest.c.version))
        .order_by(Referential.code)).all()


def graded_exam_ids(exam_ids) -> set[int]:
    return exams_with(GRIDS, exam_ids)


def conflict_with(jury: Jury, candidate_id: int) -> ConflictDeclaration | None:
    """A conflict declared by a juror of `jury` about this candidate (on any sitting)."""
    members = [m.juror_id for m in jury.members]
    if not members:
        return None
    return db.session.scalar(
        db.select(ConflictDeclaration).join(Exam, ConflictDeclaration.exam_id == Exam.id)
        .where(Exam.candidate_id == candidate_id, ConflictDeclaration.has_conflict.is_(True),
               ConflictDeclaration.juror_id.in_(members)).limit(1))
