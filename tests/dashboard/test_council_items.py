"""The organiser's dashboard lists the council's mandatory actions not applied yet and the
council's meetings owed (issue 5)."""
from datetime import date, datetime, timedelta
from html import unescape

from certif.auth.models import ORGANISER
from certif.council.models import ADOPTED, APPLIED, IN_PROGRESS, PROPOSED, SET_ASIDE, VERIFIED
from certif.dashboard.organisation_items import MEETING_NOTICE_DAYS, council_actions, council_meetings
from certif.dashboard.page import counts, due_items
from certif.extensions import db

from ..factories.council import make_action, make_anomaly, make_meeting, make_review
from ..factories.database import counting_statements
from ..factories.sessions import make_exam
from ..factories.users import make_user
from .helpers import kinds

TODAY = date(2026, 12, 10)


def test_adopted_and_started_actions_are_listed_by_due_date_overdue_flagged(app):
    setup = make_exam()
    review = make_review(anomaly=make_anomaly(setup.session, setup.president), signed=True)
    late = make_action(review, title="En retard", status=IN_PROGRESS, due_on=TODAY - timedelta(days=1))
    today = make_action(review, title="Aujourd'hui", status=ADOPTED, due_on=TODAY)
    for status in (PROPOSED, APPLIED, SET_ASIDE):
        make_action(review, title=f"Pas listée ({status})", status=status, due_on=TODAY - timedelta(days=3))
    make_action(review, title="Vérifiée", status=VERIFIED, verified_at=datetime(2026, 12, 9),
                evidence_text="Vu.", due_on=TODAY - timedelta(days=3))

    items = kinds(due_items(TODAY), "council_action")
    assert [(i.due, i.overdue) for i in items] == [(late.due_on, True), (today.due_on, False)]
    assert "« En retard »" in items[0].label
    assert items[0].links == [("council.action", {"action_id": late.id})]
    counted = {kind: n for kind, _, n in counts(items)}
    assert counted == {"council_action": 2}


def test_the_exceptional_meeting_after_a_session_with_an_anomaly_is_listed(app):
    setup = make_exam()  # session on 1 December 2026
    make_anomaly(setup.session, setup.president)
    [item] = kinds(due_items(TODAY), "council_meeting")[1:]  # after the annual one
    assert item.due == date(2027, 1, 1) and not item.overdue
    assert f"session n° {setup.session.number}" in item.label
    assert item.links == [("meetings.index", {})]
    overdue = kinds(due_items(date(2027, 1, 2)), "council_meeting")
    assert [i.overdue for i in overdue if "exceptionnelle" in i.label] == [True]
    make_meeting(sessions=[setup.session], held_on=date(2026, 12, 15))
    meetings = kinds(due_items(TODAY), "council_meeting")
    assert [i for i in meetings if "exceptionnelle" in i.label] == []


def test_the_annual_meeting_shows_two_months_ahead_once_a_session_exists(app):
    assert kinds(due_items(TODAY), "council_meeting") == []  # no session yet
    make_exam()  # first session in 2026: the first annual meeting by 31 December 2026
    [annual] = kinds(due_items(TODAY), "council_meeting")
    assert annual.due == date(2026, 12, 31) and "annuelle" in annual.label
    far = date(2026, 12, 31) - timedelta(days=MEETING_NOTICE_DAYS + 1)
    assert kinds(due_items(far), "council_meeting") == []


def test_the_dashboard_page_links_to_the_action_and_flags_it(app, make_web, set_paris_today):
    set_paris_today(TODAY)
    setup = make_exam()
    review = make_review(anomaly=make_anomaly(setup.session, setup.president), signed=True)
    action = make_action(review, title="Afficher la fiche anomalie", status=ADOPTED,
                         due_on=TODAY - timedelta(days=2))
    page = unescape(make_web(make_user(ORGANISER)).get("/tableau-de-bord/").text)
    assert "Actions correctives à appliquer" in page
    assert f'href="/conseil/actions/{action.id}"' in page
    item = page[page.index(f'/conseil/actions/{action.id}') - 400:page.index(f'/conseil/actions/{action.id}')]
    assert "En retard" in item
    assert "Réunions du conseil de pilotage à tenir" in page and 'href="/conseil/reunions/"' in page


def test_the_council_items_cost_a_fixed_number_of_queries(app):
    def council_case():
        setup = make_exam()
        sheet = make_anomaly(setup.session, setup.president)
        review = make_review(anomaly=sheet, signed=True)
        make_action(review, status=IN_PROGRESS, due_on=TODAY - timedelta(days=1))
        make_action(review, status=ADOPTED, due_on=TODAY + timedelta(days=3))

    def statements() -> int:
        db.session.expire_all()
        with counting_statements() as sent:
            council_actions(TODAY)
            council_meetings(TODAY)
        return len(sent)

    council_case()
    few = statements()
    for _ in range(4):
        council_case()
    assert statements() == few
    assert len(kinds(due_items(TODAY), "council_action")) == 10
