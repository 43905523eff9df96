"""When the council must meet: the database side of `rules.exceptional_meetings_due` and
`rules.annual_meeting_due` (read by the council's home, the meetings page, the dashboard)."""
from __future__ import annotations

from datetime import date

from .. import timeutil
from ..examday.models import ConditionsSheet
from ..extensions import db
from ..sessions.models import CANCELLED, ExamSession, Jury
from . import rules
from .models import AnomalySheet, CouncilMeeting


def reporting_sessions() -> list[rules.ReportingSession]:
    """Sessions (not cancelled) with an anomaly sheet or a handed conditions sheet in breach."""
    with_anomaly = db.select(AnomalySheet.session_id)
    with_breach = (db.select(Jury.session_id).join(ConditionsSheet, ConditionsSheet.jury_id == Jury.id)
                   .where(ConditionsSheet.has_breach.is_(True), ConditionsSheet.handed_at.is_not(None)))
    sessions = db.session.scalars(
        db.select(ExamSession)
        .where(ExamSession.status != CANCELLED,
               db.or_(ExamSession.id.in_(with_anomaly), ExamSession.id.in_(with_breach)))
        .order_by(ExamSession.starts_at)).all()
    return [rules.ReportingSession(s.id, s.number, timeutil.paris_day(s.starts_at)) for s in sessions]


def held_meetings() -> list[rules.HeldMeeting]:
    meetings = db.session.scalars(
        db.select(CouncilMeeting).options(db.selectinload(CouncilMeeting.sessions))).all()
    return [rules.HeldMeeting(m.kind, m.held_on, frozenset(s.id for s in m.sessions)) for m in meetings]


def first_session_day() -> date | None:
    first = db.session.scalar(db.select(db.func.min(ExamSession.starts_at))
                              .where(ExamSession.status != CANCELLED))
    return timeutil.paris_day(first) if first else None


def due_meetings(today: date | None = None) -> list[rules.MeetingDue]:
    """The annual meeting, then each exceptional meeting owed, soonest first."""
    today = today or timeutil.paris_today()
    held = held_meetings()
    exceptional = rules.exceptional_meetings_due(reporting_sessions(), held, today)
    annual = rules.annual_meeting_due(held, first_session_day(), today)
    return sorted([annual, *exceptional], key=lambda item: item.due)
