"""Grids and closed deliberations, written as rows (the grading services are tested by their
own tests, not exercised by other tests' setup)."""
from datetime import time, timedelta
from decimal import Decimal

from certif.extensions import db
from certif.grading import services as grading_services
from certif.grading.models import Grid, Mark
from certif.grading.rules import FAVORABLE, UNFAVORABLE
from certif.sessions.models import CLOSED
from certif.timeutil import paris_to_utc, paris_today, utcnow

from .sessions import make_exam, upcoming_exam


def make_grids(setup, exam, failing: tuple[str, ...] = ()) -> None:
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


def closing_form(president, exam_id: int, **fields) -> dict:
    """What the deliberation's closing form posts: the ticked confirmation and the result
    it states (the final grid's, as computed now)."""
    result = grading_services.deliberation(president, exam_id).result
    return {"confirm": "oui", "shown_total": "" if result.total is None else str(result.total),
            "shown_decision": result.decision or "", **fields}


def close_exam(exam, decision=UNFAVORABLE, on=None):
    """A deliberation closed on `on` (Paris; today unless told) with this decision."""
    exam.phase = CLOSED
    exam.decision = decision
    exam.total = Decimal("9.50") if decision == UNFAVORABLE else Decimal("16.00")
    exam.closed_at = paris_to_utc(on or paris_today(), time(17, 0))
    db.session.commit()
    return exam


def failed_exam(on, **kwargs):
    """An exam held yesterday whose deliberation closed unfavourably on `on`."""
    setup = upcoming_exam(days=-1, **kwargs)
    close_exam(setup.exam, UNFAVORABLE, on=on)
    return setup


def fast_close(setup, exams):
    """Closed deliberations written directly (both jurors agree, all acquired): for big sessions."""
    for exam in exams:
        for juror in (setup.president, setup.member):
            grid = Grid(exam_id=exam.id, juror_id=juror.id)
            db.session.add(grid)
            db.session.flush()
            db.session.add_all(Mark(grid_id=grid.id, criterion_id=c, value=True) for c in setup.criteria)
        exam.phase, exam.president_id, exam.closed_at = "closed", setup.president.id, utcnow()
        exam.total, exam.decision = Decimal("20.00"), "favorable"
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
            make_grids(setup, exam, () if decision == FAVORABLE else ("C3",))
    return setup
