"""The dashboard reads the database a fixed number of times, however many sessions,
conflicts, stopped juries and retake requests there are (no N+1)."""
from datetime import datetime, timedelta

from certif.auth.models import ORGANISER
from certif.dashboard.page import counts, due_items
from certif.extensions import db
from certif.grading.rules import UNFAVORABLE
from certif.sessions.changes import carence, retakes
from certif.timeutil import paris_today

from ..factories.database import counting_statements
from ..factories.grading import close_exam
from ..factories.sessions import upcoming_exam
from ..factories.users import make_user
from .helpers import declare_conflict


def everything_due(organiser_user, n: int) -> None:
    """n of each kind: sessions to convene with a conflict, stopped juries, retakes,
    candidates left in a cancelled session, jurors to review."""
    for i in range(n):
        setup = upcoming_exam(days=10 + i, candidates=2)
        declare_conflict(setup.exam, setup.member)
        stopped = upcoming_exam(days=0)
        carence.stop_jury(organiser_user, stopped.jury.id, stopped.member.id, "Absent")
        failed = upcoming_exam(days=-40 - i)
        close_exam(failed.exam, UNFAVORABLE, on=paris_today() - timedelta(days=40 + i))
        if i % 2:
            retakes.request_retake(failed.exam.id, actor=organiser_user, channel="organiser")
        stranded = upcoming_exam(days=15 + i)
        stranded.session.status = "cancelled"
        profile = setup.president.juror_profile  # changed since its favourable decision
        for habilitation in setup.president.juror_habilitations:
            habilitation.decided_at = datetime(2026, 1, 10)
        profile.updated_at = datetime(2026, 1, 11)
        db.session.commit()


def statements_for(web) -> int:
    db.session.expire_all()
    with counting_statements() as statements:
        response = web.get("/tableau-de-bord/")
    assert response.status_code == 200
    return len(statements)


def test_the_dashboard_costs_the_same_for_one_or_many_items(app, make_web):
    organiser_user = make_user(ORGANISER)
    web = make_web(organiser_user)
    everything_due(organiser_user, 1)
    web.get("/tableau-de-bord/")  # warm up
    few = statements_for(web)
    everything_due(organiser_user, 5)
    assert statements_for(web) == few
    counted = {kind: n for kind, _, n in counts(due_items())}
    for kind in ("convene", "conflict", "replacement", "retake_schedule", "retake_window",
                 "stranded", "habilitation_review"):
        assert counted.get(kind, 0) >= 2, (kind, counted)
