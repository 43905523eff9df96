"""Helpers of the certificates tests: a session whose deliberations are closed."""
from datetime import time, timedelta
from decimal import Decimal

import pytest

from certif.extensions import db
from certif.grading.models import Grid, Mark
from certif.grading.rules import FAVORABLE, UNFAVORABLE
from certif.minutes.models import Minutes
from certif.sessions.models import CLOSED
from certif.timeutil import paris_to_utc, paris_today, utcnow

from ..factories import ORGANISER, make_exam, make_user


def grade(setup, exam, failing: tuple[str, ...] = ()) -> None:
    """Both jurors mark every criterion acquired, except those of the `failing` competencies."""
    lay = setup.layout
    failed = {k.id for code in failing for k in lay.competencies[code].criteria}
    for juror in (setup.president, setup.member):
        grid = Grid(exam_id=exam.id, juror_id=juror.id)
        db.session.add(grid)
        db.session.flush()
        db.session.add_all(Mark(grid_id=grid.id, criterion_id=c, value=c not in failed)
                           for c in lay.criteria)
    db.session.commit()


def finished_session(decisions=(FAVORABLE, UNFAVORABLE), days_ago: int = 3,
                     status: str = "deliberated", emails: bool = True, code: str = "RS6240"):
    """A session held `days_ago` days ago whose exams are closed with these decisions;
    the unfavourable ones fail C3 on the final grid."""
    setup = make_exam(code, candidates=len(decisions))
    day = paris_today() - timedelta(days=days_ago)
    setup.session.starts_at = paris_to_utc(day, time(9, 0))
    setup.session.status = status
    for i, (exam, decision) in enumerate(zip(setup.jury.exams, decisions, strict=True)):
        exam.starts_at = setup.session.starts_at + timedelta(minutes=30 * i)
        exam.phase = CLOSED
        exam.decision = decision
        exam.total = Decimal("17.00") if decision == FAVORABLE else Decimal("17.00") - 3
        exam.closed_at = paris_to_utc(day, time(17, 0))
        exam.president_id = setup.president.id
        exam.candidate.email = f"candidat{exam.candidate_id}@exemple.fr" if emails else None
    db.session.commit()
    if code == "RS6240":
        for exam, decision in zip(setup.jury.exams, decisions, strict=True):
            grade(setup, exam, () if decision == FAVORABLE else ("C3",))
    return setup


def give_visa(session, organiser=None) -> Minutes:
    minutes = Minutes(session_id=session.id, visa_at=utcnow(), place="Lyon",
                      visa_by_id=getattr(organiser, "id", None))
    db.session.add(minutes)
    db.session.commit()
    return minutes


@pytest.fixture
def organiser(app):
    return make_user(ORGANISER, first_name="Olga", last_name="Organisatrice")


@pytest.fixture
def staff(organiser, make_web):
    return make_web(organiser)
