"""When a juror's grid opens (seed 000, I.C.2): once the reception is done (both jurors
signed the jury's sheet, the candidate's identity is checked, the candidate signed or the
jury recorded why they could not: `ExamAccess.opening_steps`), and, before the slot's
start, once the juror has confirmed starting early (recorded, with its time, and audited).
"""
from __future__ import annotations

from datetime import datetime

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict
from ..examday.access import ExamAccess, exam_access
from ..extensions import db
from ..sessions.models import GRADING
from ..timeutil import french_datetime, french_time, to_paris, utcnow
from .models import EarlyStart

MSG_BEFORE_SLOT = ("Le passage de ce candidat est prévu le {when} : confirmez d'abord que vous "
                   "commencez l'évaluation avant l'heure (bouton « Commencer maintenant »).")
MSG_EARLY_NOT_OPEN = "La grille n'est pas encore ouverte : rien à commencer avant l'heure."


def early_start_of(exam_id: int, juror_id: int) -> EarlyStart | None:
    return db.session.scalar(db.select(EarlyStart).filter_by(exam_id=exam_id, juror_id=juror_id))


def before_slot(access: ExamAccess, now: datetime | None = None) -> bool:
    return (now or utcnow()) < access.exam.starts_at


def slot_label(access: ExamAccess) -> str:
    """"1 décembre 2026 à 14:00" (Paris), as the early-start messages name the slot."""
    return french_datetime(access.exam.starts_at)


def early_refusal(access: ExamAccess, user, now: datetime | None = None) -> str | None:
    """Why this juror may not mark yet because the slot has not started (French), or None.
    Reads the confirmation only before the slot: a click after it costs nothing more."""
    if not before_slot(access, now) or early_start_of(access.exam.id, user.id) is not None:
        return None
    return MSG_BEFORE_SLOT.format(when=slot_label(access))


def start_early(user, exam_id: int) -> EarlyStart | None:
    """The juror confirms grading before the slot's start: recorded once, audited with the
    time and the slot. After the start there is nothing to confirm (None)."""
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        if access.exam.phase != GRADING:
            raise Conflict("La délibération est ouverte ou close : l'évaluation individuelle est terminée.")
        if access.write_refusal is not None:
            raise Conflict(access.write_refusal)
        if access.declaration is None or access.declaration.has_conflict:
            raise Conflict(MSG_EARLY_NOT_OPEN)
        if access.grid_closed_reason is not None:
            raise Conflict(access.grid_closed_reason)
        existing = early_start_of(exam_id, user.id)
        now = utcnow()
        if existing is not None or not before_slot(access, now):
            return existing
        row = EarlyStart(exam_id=exam_id, juror_id=user.id, confirmed_at=now,
                         slot_starts_at=access.exam.starts_at)
        db.session.add(row)
        db.session.flush()
        minutes = int((access.exam.starts_at - now).total_seconds() // 60)
        record(user, "grading.early_start", "exam", exam_id, None,
               to_paris(now).strftime("%H:%M"), slot=french_time(access.exam.starts_at),
               minutes_before=minutes)
    return row
