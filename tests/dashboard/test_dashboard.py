"""The organiser's dashboard: what is due, soonest first, with counts per kind,
overdue items flagged, links to where each is done; organisers only."""
from datetime import datetime, time, timedelta
from html import unescape

from certif.auth.models import COUNCIL, JUROR, ORGANISER
from certif.candidates.models import RetakeRequest
from certif.convocations.models import Convocation
from certif.dashboard.page import counts, due_items
from certif.dashboard.result_items import RETAKE_ANSWER_DAYS
from certif.dashboard.session_items import CONVENE_LEAD_DAYS
from certif.extensions import db
from certif.grading.rules import UNFAVORABLE
from certif.jurors.models import JurorHabilitation, JurorProfile
from certif.sessions.changes import carence, retakes
from certif.sessions.rules import add_months, replacement_deadline, retake_deadline
from certif.timeutil import paris_today

from ..factories.grading import close_exam
from ..factories.jurors import make_juror
from ..factories.sessions import upcoming_exam
from ..factories.users import make_user
from .helpers import declare_conflict, kinds


def convene_all(setup):
    """Current convocations for every candidate and juror of the session."""
    for exam in setup.jury.exams:
        db.session.add(Convocation(kind="candidate", session_id=setup.session.id, exam_id=exam.id,
                                   channel="hand", handed_on=paris_today(), handed_by="Olivia",
                                   announced_start=exam.starts_at, pdf_sha256="0" * 64))
    for juror in setup.jury.jurors:
        db.session.add(Convocation(kind="juror", session_id=setup.session.id, juror_id=juror.id,
                                   channel="hand", handed_on=paris_today(), handed_by="Olivia",
                                   announced_start=setup.session.starts_at, pdf_sha256="0" * 64))
    db.session.commit()


# --- Authorisation and empty state --------------------------------------------------------

def test_anonymous_goes_to_login_and_only_organisers_see_it(app, web, make_web):
    response = web.get("/tableau-de-bord/")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    for role in (JUROR, COUNCIL):
        assert make_web(make_user(role)).get("/tableau-de-bord/").status_code == 403
    assert make_web(make_user(ORGANISER)).get("/tableau-de-bord/").status_code == 200


def test_the_organiser_lands_on_the_dashboard(app, web, organiser_user):
    response = web.login(organiser_user)
    assert response.headers["Location"].endswith("/tableau-de-bord/")


def test_nothing_to_do(app, make_web, organiser_user):
    assert due_items() == []
    page = make_web(organiser_user).get("/tableau-de-bord/")
    assert "Rien à faire pour l'instant." in unescape(page.text)


# --- Each kind ----------------------------------------------------------------------------

def test_a_session_to_convene_is_due_two_weeks_before(app):
    setup = upcoming_exam(days=20, candidates=2)
    [item] = kinds(due_items(), "convene")
    assert item.due == paris_today() + timedelta(days=20 - CONVENE_LEAD_DAYS)
    assert "2 candidats et 2 jurés" in item.label
    assert item.links[0] == ("convocations.session", {"session_id": setup.session.id})
    convene_all(setup)
    assert kinds(due_items(), "convene") == []
    # A later change of time makes the convocations outdated: to send again.
    setup.exam.starts_at += timedelta(minutes=15)
    db.session.commit()
    [item] = kinds(due_items(), "convene")
    assert "1 candidat)" in item.label


def test_cancelled_and_past_sessions_are_not_to_convene(app):
    cancelled = upcoming_exam(days=20)
    cancelled.session.status = "cancelled"
    upcoming_exam(days=-2)
    db.session.commit()
    assert kinds(due_items(), "convene") == []


def test_a_stopped_jury_waits_for_its_replacement_until_day_30(app, organiser_user):
    setup = upcoming_exam(days=0)
    convene_all(setup)
    carence.stop_jury(organiser_user, setup.jury.id, setup.member.id, "Absent")
    [item] = kinds(due_items(), "replacement")
    assert item.due == replacement_deadline(paris_today())
    assert item.links == [("exceptions.replacement", {"jury_id": setup.jury.id})]
    plan = carence.ReplacementPlan("R-1", paris_today() + timedelta(days=10), time(9), "remote", None,
                              "https://v.example.fr", (make_juror().id, make_juror().id), None)
    plan.president_id = plan.juror_ids[0]
    carence.create_replacement(organiser_user, setup.jury.id, plan)
    items = due_items()
    assert kinds(items, "replacement") == []
    # The replacement session now has its candidates and jurors to convene.
    assert any("R-1" in i.label for i in kinds(items, "convene"))


def test_retake_requests_to_schedule_and_windows_closing(app, organiser_user):
    requested = upcoming_exam(days=-40)
    close_exam(requested.exam, UNFAVORABLE, on=paris_today() - timedelta(days=40))
    retakes.request_retake(requested.exam.id, actor=organiser_user, channel="organiser")
    closing = upcoming_exam(days=-50)
    close_exam(closing.exam, UNFAVORABLE, on=paris_today() - timedelta(days=50))
    far = upcoming_exam(days=-2)
    close_exam(far.exam, UNFAVORABLE, on=paris_today() - timedelta(days=2))  # window closes in ~2 months
    gone = upcoming_exam(days=-90)
    close_exam(gone.exam, UNFAVORABLE, on=paris_today() - timedelta(days=90))  # window closed

    items = due_items()
    [to_schedule] = kinds(items, "retake_schedule")
    assert to_schedule.due == paris_today() + timedelta(days=RETAKE_ANSWER_DAYS)
    assert to_schedule.links == [("exceptions.schedule_retake", {"exam_id": requested.exam.id})]
    [window] = kinds(items, "retake_window")
    assert window.due == retake_deadline(paris_today() - timedelta(days=50))
    assert closing.exam.candidate.full_name in window.label


def test_a_declared_conflict_is_due_on_the_sitting_day_until_the_candidate_moves(app):
    setup = upcoming_exam(days=8)
    declare_conflict(setup.exam, setup.member)
    declare_conflict(setup.exam, setup.president, False)
    [item] = kinds(due_items(), "conflict")
    assert item.due == paris_today() + timedelta(days=8)
    assert setup.member.full_name in item.label and setup.exam.candidate.full_name in item.label
    setup.exam.status = "absent_excused"
    db.session.commit()
    assert kinds(due_items(), "conflict") == []


def test_habilitations_to_decide(app):
    waiting = make_user(JUROR, first_name="Inès")
    db.session.add(JurorProfile(user_id=waiting.id, updated_at=datetime(2026, 1, 1)))
    decided = make_user(JUROR)
    db.session.add(JurorProfile(user_id=decided.id))
    db.session.add(JurorHabilitation(juror_id=decided.id, referential_code="RS6240",
                                     result="unfavourable"))
    db.session.commit()
    [item] = kinds(due_items(), "habilitation")
    assert waiting.full_name in item.label
    assert item.overdue
    assert item.links[0] == ("jurors.show", {"user_id": waiting.id})


def test_a_sitting_more_than_3_months_after_training(app):
    day = paris_today() + timedelta(days=9)
    late = upcoming_exam(days=9, training_end=add_months(day, -3) - timedelta(days=1))
    upcoming_exam(days=9, training_end=add_months(day, -3))  # on the limit: fine
    [item] = kinds(due_items(), "late_sitting")
    assert late.exam.candidate.full_name in item.label
    assert item.due == day


# --- Order, counts, page ------------------------------------------------------------------

def test_items_come_soonest_first_with_overdue_ones_flagged(app, organiser_user, make_web):
    soon = upcoming_exam(days=3)  # convene: due 11 days ago → overdue
    later = upcoming_exam(days=30)  # convene: due in 16 days
    convene_all(later)
    declare_conflict(later.exam, later.member)
    db.session.add(RetakeRequest(exam_id=close_exam(upcoming_exam(days=-1).exam, UNFAVORABLE).id,
                                 channel="candidate"))
    db.session.commit()
    items = due_items()
    assert [i.due for i in items] == sorted(i.due for i in items)
    assert items[0].overdue and items[0].kind == "convene"
    assert soon.session.number in items[0].label
    assert not items[-1].overdue
    counted = {kind: n for kind, _, n in counts(items)}
    assert counted["conflict"] == 1 and counted["retake_schedule"] == 1

    page = make_web(organiser_user).get("/tableau-de-bord/")
    text = unescape(page.text)
    assert "Conflits d'intérêts à résoudre" in text
    assert 'class="overdue"' in page.text and "En retard" in text
    positions = [text.index(i.label) for i in items]
    assert positions == sorted(positions)
    assert f'href="/sessions/{later.session.id}"' in page.text or \
        f'href="/sessions/examens/{later.exam.id}"' in page.text
    assert 'href="/sessions/examens/' in page.text  # the retake page
