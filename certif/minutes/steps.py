"""The minutes' conditions on a session's last two steps (see `sessions.guards`).

A session is deliberated once every juror of its sitting juries has signed its minutes,
and closed once the organiser has put the visa on them.
"""
from __future__ import annotations

from ..extensions import db
from ..sessions.guards import register_guard
from ..sessions.models import DELIBERATED, SESSION_CLOSED, ExamSession
from .models import Minutes


def minutes_problem(session: ExamSession) -> str | None:
    """The minutes must be signed by every juror of the sitting juries."""
    minutes = db.session.scalar(db.select(Minutes).where(Minutes.session_id == session.id))
    if minutes is None or minutes.locked_at is None:
        return "Le procès-verbal de la session n'est pas encore signé par les jurés."
    if minutes.signed_at is None:
        return "Le procès-verbal de la session n'est pas encore signé par tous les jurés."
    return None


def visa_problem(session: ExamSession) -> str | None:
    """Closing the session needs the organiser's visa on the signed minutes."""
    minutes = db.session.scalar(db.select(Minutes).where(Minutes.session_id == session.id))
    if minutes is None or minutes.signed_at is None:
        return "Le procès-verbal de la session n'est pas encore signé par tous les jurés."
    if minutes.visa_at is None:
        return "Le procès-verbal de la session attend le visa du responsable d'organisation."
    return None


def register() -> None:
    """Called by `create_app`."""
    register_guard(DELIBERATED, minutes_problem)
    register_guard(SESSION_CLOSED, visa_problem)
