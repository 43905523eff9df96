"""Helpers shared by the sessions tests (and the dashboard tests): exams some days from today,
habilitated jurors, other sessions, closed deliberations, replacement plans, the session form,
audit entries and counted SQL statements."""
from contextlib import contextmanager
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import event

from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.grading.rules import UNFAVORABLE
from certif.jurors.models import JurorProfile
from certif.sessions import exceptions as ex
from certif.sessions.models import CLOSED, ExamSession, Jury, JuryMember
from certif.timeutil import paris_to_utc

from ..factories import JUROR, make_exam, make_user, referential
from .conftest import FUTURE


def today() -> date:
    return ex.paris_today()


def habilitated(first_name="Claire", last_name=None):
    user = make_user(JUROR, first_name=first_name, last_name=last_name)
    db.session.add(JurorProfile(user_id=user.id, habilitation_result="favourable"))
    db.session.commit()
    return user


def upcoming_exam(days=5, code="RS6240", candidates=1, training_end=None):
    """make_exam, with the session `days` from today at 9:00 (Paris)."""
    setup = make_exam(code, candidates=candidates)
    start = paris_to_utc(today() + timedelta(days=days), time(9, 0))
    setup.session.starts_at = start
    for i, exam in enumerate(setup.jury.exams):
        exam.starts_at = start + timedelta(minutes=30 * i)
        exam.candidate.training_end_date = training_end
    db.session.commit()
    return setup


def open_session(days, code="RS6240", number=None, status="draft"):
    """Another session with one jury of two habilitated jurors and no candidate."""
    first, second = habilitated("Jeanne"), habilitated("Hugo")
    session = ExamSession(number=number or f"AUTRE-{first.id}", referential=referential(code),
                          starts_at=paris_to_utc(today() + timedelta(days=days), time(14, 0)),
                          status=status)
    jury = Jury(position=1, president=first)
    jury.members = [JuryMember(juror=first, seat=1), JuryMember(juror=second, seat=2)]
    session.juries.append(jury)
    db.session.add(session)
    db.session.commit()
    return session


def close(exam, decision=UNFAVORABLE, on: date | None = None):
    """A deliberation closed on `on` (Paris) with this decision."""
    exam.phase = CLOSED
    exam.decision = decision
    exam.total = Decimal("9.50") if decision == UNFAVORABLE else Decimal("16.00")
    exam.closed_at = paris_to_utc(on or today(), time(17, 0))
    db.session.commit()
    return exam


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
    return ex.ReplacementPlan(**values)


def failed(on: date, **kwargs):
    setup = upcoming_exam(days=-1, **kwargs)
    close(setup.exam, UNFAVORABLE, on=on)
    return setup


def form(**overrides):
    data = {"number": "2026-RS-01", "referential_id": str(referential("RS6240").id),
            "day": FUTURE.isoformat(), "start": "09:00", "mode": "remote", "place": "",
            "video_link": "https://visio.example.fr/certif", "technical_requirements": ""}
    data.update(overrides)
    return data


def sessions_count():
    return db.session.scalar(db.select(db.func.count(ExamSession.id)))


@contextmanager
def counting_statements():
    """The SQL statements sent to the database inside the block."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
