"""An exam's grading history: every recorded change to its grids and deliberation, for the
organiser and the council, hidden from a sitting juror while grading is open."""
from __future__ import annotations

from ..audit.models import AuditEntry
from ..database import get_row
from ..errors import Conflict
from ..extensions import db
from ..sessions.models import GRADING, Exam, JuryMember
from .models import Grid


def exam_history(viewer, exam_id: int) -> tuple[Exam, list[AuditEntry]]:
    """Every recorded change to an exam's grids and deliberation, oldest first.

    A viewer who also sits on this exam's jury sees it only once grading is over,
    so the history cannot reveal the other juror's marks.
    """
    exam = get_row(Exam, exam_id, "Examen introuvable.")
    sits = db.session.scalar(db.select(JuryMember.id).filter_by(
        jury_id=exam.jury_id, juror_id=viewer.id))
    if sits is not None and exam.phase == GRADING:
        raise Conflict("Vous êtes juré de cet examen : son historique sera visible "
                       "à l'ouverture de la délibération.")
    grid_ids = db.select(Grid.id).where(Grid.exam_id == exam_id).scalar_subquery()
    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(db.or_(db.and_(AuditEntry.entity == "exam", AuditEntry.entity_id == exam_id),
                      db.and_(AuditEntry.entity == "grid", AuditEntry.entity_id.in_(grid_ids))))
        .options(db.joinedload(AuditEntry.actor))
        .order_by(AuditEntry.at, AuditEntry.id)).unique().all()
    return exam, entries
