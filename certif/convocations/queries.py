"""Which convocations are sent and still valid: read by the session page and the dashboard."""
from __future__ import annotations

from ..extensions import db
from .models import CANDIDATE, JUROR, Convocation


def latest_candidate_convocations(exam_ids) -> dict[int, Convocation]:
    """The last sending for each exam (candidates' convocations)."""
    rows = db.session.scalars(
        db.select(Convocation).where(Convocation.kind == CANDIDATE,
                                     Convocation.exam_id.in_(list(exam_ids)))
        .order_by(Convocation.sent_at, Convocation.id)).all()
    return {c.exam_id: c for c in rows}


def latest_juror_convocations(session_id: int) -> dict[int, Convocation]:
    """The last sending to each juror of a session."""
    rows = db.session.scalars(
        db.select(Convocation).where(Convocation.kind == JUROR,
                                     Convocation.session_id == session_id)
        .order_by(Convocation.sent_at, Convocation.id)).all()
    return {c.juror_id: c for c in rows}


def is_current(convocation: Convocation | None, starts_at) -> bool:
    """Sent, and announcing the time that still holds (else it must be sent again)."""
    return convocation is not None and convocation.announced_start == starts_at
