"""Sessions graded through the services up to closed deliberations, and their users logged in."""
import pytest

from certif.extensions import db
from certif.grading import services as grading

from ..factories import ORGANISER, make_exam, make_user


def sign_form(name="Paule Presidente"):
    return {"signature_method": "typed", "signature_typed": name}


def grade(setup, exam, values=None):
    """Both jurors mark every criterion the same (acquis unless `values` says otherwise)."""
    values = values or {}
    for juror in (setup.president, setup.member):
        for criterion_id in setup.criteria:
            value = "acquis" if values.get(criterion_id, True) else "non_acquis"
            grading.set_mark(juror, exam.id, criterion_id, value)


def close(setup, exam, values=None, comment="Très bonne prestation."):
    grade(setup, exam, values)
    grading.open_deliberation(setup.president, exam.id)
    grading.close_deliberation(setup.president, exam.id, confirmed=True, comment=comment)
    db.session.expire_all()


def fast_close(setup, exams):
    """Closed deliberations written directly (both jurors agree, all acquired): for big sessions."""
    from decimal import Decimal
    from certif.grading.models import Grid, Mark
    from certif.timeutil import utcnow
    for exam in exams:
        for juror in (setup.president, setup.member):
            grid = Grid(exam_id=exam.id, juror_id=juror.id)
            db.session.add(grid)
            db.session.flush()
            db.session.add_all(Mark(grid_id=grid.id, criterion_id=c, value=True) for c in setup.criteria)
        exam.phase, exam.president_id, exam.closed_at = "closed", setup.president.id, utcnow()
        exam.total, exam.decision = Decimal("20.00"), "favorable"
    db.session.commit()


def exams_of(setup):
    return sorted(setup.jury.exams, key=lambda e: e.id)


@pytest.fixture
def organiser(app):
    return make_user(ORGANISER, first_name="Olga", last_name="Organisatrice")


@pytest.fixture
def closed_setup(app):
    """RS6240, two candidates: one passes (all acquired), one fails (C1 not acquired)."""
    setup = make_exam("RS6240", candidates=2)
    first, second = exams_of(setup)
    close(setup, first)
    c1 = setup.criteria[:3]
    close(setup, second, {cid: False for cid in c1}, comment="C1 à retravailler.")
    return setup
