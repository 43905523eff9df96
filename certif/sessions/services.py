from ..extensions import db
from .models import Exam, ExamSession, Jury


def sessions_overview() -> list[ExamSession]:
    """Every session with its juries and exams, most recent first."""
    return db.session.scalars(
        db.select(ExamSession)
        .options(db.selectinload(ExamSession.juries).selectinload(Jury.exams)
                 .joinedload(Exam.candidate),
                 db.joinedload(ExamSession.referential))
        .order_by(ExamSession.starts_at.desc())).unique().all()
