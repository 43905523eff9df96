"""Helpers of the sessions tests: the page's text, Paris times, audit entries, replacement
plans, the session form. (Rows are made by tests/factories.)"""
import html
from datetime import time

from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.sessions.changes import carence
from certif.sessions.models import ExamSession
from certif.timeutil import to_paris

from ..factories.sessions import FUTURE, referential


def text(response) -> str:
    """The page's text as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def paris(value):
    """A stored UTC time as Paris "HH:MM"."""
    return to_paris(value).strftime("%H:%M")


def audit(action, entity_id=None):
    query = db.select(AuditEntry).filter_by(action=action)
    if entity_id is not None:
        query = query.filter_by(entity_id=entity_id)
    return db.session.scalars(query.order_by(AuditEntry.id)).all()


def plan(day, jurors, president=None, number="REMPL-1", **overrides):
    values = dict(number=number, day=day, start=time(9, 30), mode="remote", place=None,
                  video_link="https://visio.example.fr/salle",
                  juror_ids=tuple(j.id for j in jurors),
                  president_id=(president or jurors[0]).id)
    values.update(overrides)
    return carence.ReplacementPlan(**values)


def form(**overrides):
    data = {"number": "2026-RS-01", "referential_id": str(referential("RS6240").id),
            "day": FUTURE.isoformat(), "start": "09:00", "mode": "remote", "place": "",
            "video_link": "https://visio.example.fr/certif", "technical_requirements": ""}
    data.update(overrides)
    return data


def sessions_count():
    return db.session.scalar(db.select(db.func.count(ExamSession.id)))
