"""Two more things the dashboard tells: a juror whose profile changed after a favourable
decision (to review), and candidates left scheduled in a cancelled session."""
from datetime import datetime, timedelta
from html import unescape

from certif.auth.models import JUROR
from certif.dashboard.juror_items import HABILITATION_REVIEW_DAYS
from certif.dashboard.page import due_items
from certif.extensions import db
from certif.jurors.models import JurorHabilitation, JurorProfile
from certif.people import of
from certif.timeutil import paris_today

from ..factories.sessions import upcoming_exam
from ..factories.users import make_user
from .helpers import kinds


def profile(result, decided_at, updated_at, first_name="Inès"):
    user = make_user(JUROR, first_name=first_name)
    db.session.add(JurorProfile(user_id=user.id, updated_at=updated_at))
    db.session.add(JurorHabilitation(juror_id=user.id, referential_code="RS6240", result=result,
                                     decided_at=decided_at))
    db.session.commit()
    return user


def test_a_profile_changed_after_a_favourable_decision_is_to_review(app, organiser_user, make_web):
    decided = datetime(2026, 1, 10, 9, 0)
    changed = profile("favourable", decided, decided + timedelta(days=3))
    profile("favourable", decided, decided - timedelta(days=1), "Stable")  # unchanged since
    profile("unfavourable", decided, decided + timedelta(days=3), "Refusé")  # cannot sit anyway

    [item] = kinds(due_items(), "habilitation_review")
    assert changed.full_name in item.label and "à revoir" in item.label
    assert item.links[0] == ("jurors.show", {"user_id": changed.id})
    assert item.due == (decided + timedelta(days=3)).date() + timedelta(
        days=HABILITATION_REVIEW_DAYS)
    assert item.overdue

    page = unescape(make_web(organiser_user).get("/tableau-de-bord/").text)
    assert "Habilitations à revoir" in page
    assert f"Habilitation {of(changed.full_name)} à revoir" in page


def test_a_juror_to_review_who_sits_soon_is_due_on_that_day(app):
    setup = upcoming_exam(days=12)
    juror_profile = setup.member.juror_profile
    for habilitation in setup.member.juror_habilitations:
        habilitation.decided_at = datetime(2026, 1, 10)
    juror_profile.updated_at = datetime(2026, 1, 11)
    db.session.commit()
    [item] = kinds(due_items(), "habilitation_review")
    assert item.due == paris_today() + timedelta(days=12)
    assert "siège le" in item.detail


def test_candidates_left_in_a_cancelled_session_are_to_move(app):
    setup = upcoming_exam(days=9, candidates=2)
    setup.session.status = "cancelled"  # as sessions cancelled before the check was made
    db.session.commit()
    items = kinds(due_items(), "stranded")
    assert len(items) == 2
    assert all(setup.session.number in i.label and "annulée" in i.label for i in items)
    assert items[0].links == [("exceptions.exam", {"exam_id": setup.jury.exams[0].id})]
    assert items[0].due == paris_today() + timedelta(days=9)
    setup.jury.exams[0].status = "absent_excused"
    db.session.commit()
    assert len(kinds(due_items(), "stranded")) == 1
