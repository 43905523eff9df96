"""Recording the council's meetings: who may, what is checked, what it changes, the countdown."""
import json
from datetime import date
from html import unescape

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, ORGANISER
from certif.council.deadlines import due_meetings
from certif.council.models import CouncilMeeting, CouncilReview
from certif.extensions import db

from ..factories.council import make_action, make_anomaly, make_meeting, make_review
from ..factories.examday import make_breach_sheet
from ..factories.sessions import make_exam
from ..factories.users import make_user

TODAY = date(2026, 12, 20)


@pytest.fixture(autouse=True)
def today(set_paris_today):
    set_paris_today(TODAY)

    return TODAY


@pytest.fixture
def reported(exam_setup):
    """The exam's session (1 December 2026) reported an anomaly."""
    return make_anomaly(exam_setup.session, exam_setup.president)


def form(member, session=None, *, kind="exceptional", held_on="2026-12-15", **extra):
    data = {"kind": kind, "held_on": held_on, "place": "Locaux ALLOKOM, Paris",
            "member_ids": [member.id], "other_attendees": "Manon Garcia (invitée)",
            "session_ids": [session.id] if session else [],
            "decisions": "Tester la connexion la veille.",
            "programme_opinion": "Programmes adaptés.",
            "certification_adjustments": "Aucun ajustement."}
    data.update(extra)
    return data


def meetings():
    return db.session.scalars(db.select(CouncilMeeting)).all()


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


# --- Recording ----------------------------------------------------------------------------

def test_council_records_a_meeting_which_then_is_listed(council, council_user, exam_setup, reported):
    assert [d.session_id for d in due_meetings()] == [None, exam_setup.session.id]
    data = form(council_user, exam_setup.session, sheet_refs=[f"anomalie-{reported.id}"])
    response = council.post("/conseil/reunions/nouvelle", data)
    assert response.status_code == 303
    [meeting] = meetings()
    assert response.headers["Location"].endswith(f"/conseil/reunions/{meeting.id}")
    assert (meeting.kind, meeting.held_on, meeting.place) == ("exceptional", date(2026, 12, 15),
                                                             "Locaux ALLOKOM, Paris")
    assert meeting.members == [council_user] and meeting.sessions == [exam_setup.session]
    assert meeting.created_by_id == council_user.id
    # The sheet had no review yet: the meeting created it.
    assert [r.anomaly_sheet_id for r in meeting.reviews] == [reported.id]
    # The exceptional meeting owed for the session is no longer due; the annual one still is.
    assert [d.kind for d in due_meetings()] == ["annual"]
    [entry] = audit("meeting.record")
    assert entry.entity_id == meeting.id and entry.actor_id == council_user.id
    assert json.loads(entry.new_value)["sessions"] == [exam_setup.session.number]

    page = council.get("/conseil/reunions/")
    assert page.status_code == 200
    assert "15 décembre 2026" in page.text and "Réunion exceptionnelle" in page.text
    assert f"n° {exam_setup.session.number}" in page.text
    shown = council.get(f"/conseil/reunions/{meeting.id}")
    assert shown.status_code == 200
    assert "Tester la connexion la veille." in shown.text and "tenue en retard" not in shown.text


def test_an_existing_review_is_linked_not_duplicated(council, council_user, exam_setup, reported):
    review = make_review(anomaly=reported)
    breach = make_breach_sheet(exam_setup.jury)
    data = form(council_user, exam_setup.session,
                sheet_refs=[f"anomalie-{reported.id}", f"conditions-{breach.id}"])
    assert council.post("/conseil/reunions/nouvelle", data).status_code == 303
    [meeting] = meetings()
    assert meeting.reviews[0].id == review.id
    assert meeting.reviews[1].conditions_sheet_id == breach.id
    assert db.session.scalar(db.select(db.func.count(CouncilReview.id))) == 2


def test_annual_meeting_without_session(council, council_user):
    response = council.post("/conseil/reunions/nouvelle", form(council_user, kind="annual"))
    assert response.status_code == 303
    [meeting] = meetings()
    assert meeting.kind == "annual" and meeting.sessions == []
    assert due_meetings()[0].due == date(2027, 12, 15)


def test_exceptional_meeting_held_late_is_recorded_and_shown_so(council, council_user,
                                                                exam_setup, reported, set_paris_today):
    set_paris_today(date(2027, 1, 10))

    data = form(council_user, exam_setup.session, held_on="2027-01-02")
    assert council.post("/conseil/reunions/nouvelle", data).status_code == 303
    [meeting] = meetings()
    assert "tenue en retard" in council.get("/conseil/reunions/").text
    page = council.get(f"/conseil/reunions/{meeting.id}")
    assert "tenue en retard" in page.text and "1er janvier 2027" in page.text


@pytest.mark.parametrize("change, message", [
    ({"held_on": "2026-12-21"}, "ne peut pas être dans le futur"),
    ({"held_on": ""}, "Indiquez la date"),
    ({"held_on": "32/13/2026"}, "Date invalide"),
    ({"kind": "weekly"}, "Choisissez le type de réunion"),
    ({"session_ids": []}, "cochez au moins une session"),
    ({"member_ids": []}, "Cochez au moins un membre"),
    ({"sheet_refs": ["anomalie-999"]}, "Une des fiches cochées"),
    ({"sheet_refs": ["nimportequoi"]}, "Une des fiches cochées"),
    ({"session_ids": ["999"]}, "Une des sessions cochées n'existe pas"),
    ({"held_on": "2026-11-30"}, "a eu lieu après cette date"),
    ({"place": "x" * 301}, "300 caractères au plus"),
])
def test_bad_input_is_refused_and_nothing_written(council, council_user, exam_setup, reported,
                                                  change, message):
    response = council.post("/conseil/reunions/nouvelle", form(council_user, exam_setup.session,
                                                               **change))
    assert response.status_code == 400
    assert message in unescape(response.text)
    assert meetings() == [] and audit("meeting.record") == []
    assert db.session.scalar(db.select(db.func.count(CouncilReview.id))) == 0


def test_a_member_must_hold_the_council_role(council, council_user, exam_setup, reported):
    juror = exam_setup.president
    response = council.post("/conseil/reunions/nouvelle",
                            form(council_user, exam_setup.session, member_ids=[juror.id]))
    assert response.status_code == 400
    assert "n'est pas un membre actif du conseil" in unescape(response.text)
    assert meetings() == []


def test_conditions_sheet_not_in_breach_is_refused(council, council_user, exam_setup, reported):
    sheet = make_breach_sheet(exam_setup.jury, breached=())
    response = council.post("/conseil/reunions/nouvelle",
                            form(council_user, exam_setup.session,
                                 sheet_refs=[f"conditions-{sheet.id}"]))
    assert response.status_code == 400 and meetings() == []


def test_form_lists_members_sessions_and_open_sheets(council, council_user, exam_setup, reported):
    breach = make_breach_sheet(exam_setup.jury)
    page = council.get("/conseil/reunions/nouvelle")
    assert page.status_code == 200
    assert council_user.full_name in page.text
    assert f'value="{exam_setup.session.id}"' in page.text and "anomalie signalée" in page.text
    assert f'value="anomalie-{reported.id}"' in page.text
    assert f'value="conditions-{breach.id}"' in page.text
    # Prefilled from a due item: the session and its sheets are checked.
    page = council.get(f"/conseil/reunions/nouvelle?session={exam_setup.session.id}")
    assert f'value="{exam_setup.session.id}" checked' in page.text
    assert f'value="anomalie-{reported.id}" checked' in page.text
    assert 'value="exceptional" checked' in page.text


# --- Editing ------------------------------------------------------------------------------

def test_edit_keeps_an_audit_entry(council, council_user, exam_setup, reported):
    meeting = make_meeting(sessions=[exam_setup.session], members=[council_user])
    page = council.get(f"/conseil/reunions/{meeting.id}/modifier")
    assert page.status_code == 200 and 'value="2026-12-15"' in page.text
    data = form(council_user, exam_setup.session, decisions="Décision corrigée.")
    response = council.post(f"/conseil/reunions/{meeting.id}/modifier", data)
    assert response.status_code == 303
    db.session.refresh(meeting)
    assert meeting.decisions == "Décision corrigée."
    [entry] = audit("meeting.edit")
    assert json.loads(entry.old_value)["decisions"] == "Actions adoptées."
    assert json.loads(entry.new_value)["decisions"] == "Décision corrigée."
    assert "decisions" in entry.details["fields"]


def test_edit_refused_input_changes_nothing(council, council_user, exam_setup, reported):
    meeting = make_meeting(sessions=[exam_setup.session], members=[council_user])
    response = council.post(f"/conseil/reunions/{meeting.id}/modifier",
                            form(council_user, exam_setup.session, held_on="2027-03-01"))
    assert response.status_code == 400
    db.session.refresh(meeting)
    assert meeting.held_on == date(2026, 12, 15) and audit("meeting.edit") == []


def test_unknown_meeting_is_404(council):
    assert council.get("/conseil/reunions/999").status_code == 404
    assert council.get("/conseil/reunions/999/modifier").status_code == 404
    assert council.get("/conseil/reunions/999.pdf").status_code == 404


# --- Who may ------------------------------------------------------------------------------

def test_organiser_reads_but_cannot_write(organiser_user, make_web, council_user, exam_setup, reported):
    meeting = make_meeting(sessions=[exam_setup.session], members=[council_user])
    web = make_web(organiser_user)
    for url in ("/conseil/reunions/", "/conseil/reunions/nouvelle", f"/conseil/reunions/{meeting.id}",
                f"/conseil/reunions/{meeting.id}/modifier", f"/conseil/reunions/{meeting.id}.pdf"):
        assert web.get(url).status_code == 200, url
    assert "Consigner une réunion" not in web.get("/conseil/reunions/").text
    assert "Lecture seule" in web.get("/conseil/reunions/nouvelle").text
    assert web.post("/conseil/reunions/nouvelle", form(council_user, exam_setup.session)).status_code == 403
    assert web.post(f"/conseil/reunions/{meeting.id}/modifier",
                    form(council_user, exam_setup.session, decisions="Non.")).status_code == 403
    assert len(meetings()) == 1 and audit("meeting.edit") == []


def test_organiser_who_sits_on_the_council_may_write(make_web, exam_setup, reported):
    chair = make_user(ORGANISER, COUNCIL, first_name="Sephora", last_name="Labi")
    web = make_web(chair)
    assert "Consigner une réunion" in web.get("/conseil/reunions/").text
    assert web.post("/conseil/reunions/nouvelle", form(chair, exam_setup.session)).status_code == 303


def test_juror_gets_403_and_anonymous_the_login(web, make_web, council_user, exam_setup):
    meeting = make_meeting(members=[council_user])
    juror = make_web(exam_setup.president)
    for url in ("/conseil/reunions/", "/conseil/reunions/nouvelle", f"/conseil/reunions/{meeting.id}",
                f"/conseil/reunions/{meeting.id}.pdf"):
        assert juror.get(url).status_code == 403, url
        response = web.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert juror.post("/conseil/reunions/nouvelle", form(council_user)).status_code == 403


def test_post_without_csrf_token_is_refused(council, council_user, exam_setup, reported):
    response = council.post("/conseil/reunions/nouvelle", form(council_user, exam_setup.session),
                            csrf=False)
    assert response.status_code == 400 and meetings() == []


# --- Countdown ----------------------------------------------------------------------------

def _session_on(day):
    from datetime import datetime
    setup = make_exam()
    setup.session.starts_at = datetime(day.year, day.month, day.day, 8, 0)
    db.session.commit()
    make_anomaly(setup.session, setup.president, observed_on=day)
    return setup.session


def test_countdown_for_due_today_and_overdue_items(council, set_paris_today):
    set_paris_today(date(2027, 1, 20))

    due = _session_on(date(2027, 1, 8))         # last day 8 February: in 19 days
    today = _session_on(date(2026, 12, 20))     # last day 20 January: today
    _session_on(date(2026, 12, 17))             # last day 17 January: 3 days late
    page = unescape(council.get("/conseil/reunions/").text)
    assert f"Réunion exceptionnelle — session n° {due.number}" in page
    assert "8 février 2027" in page and "dans 19 jours" in page
    assert f"Réunion exceptionnelle — session n° {today.number}" in page and "aujourd'hui" in page
    assert "en retard de 3 jours" in page and "En retard" in page
    assert "Réunion annuelle" in page
    assert 'class="overdue"' in page


def test_countdown_singular(council, set_paris_today):
    set_paris_today(date(2027, 1, 18))

    _session_on(date(2026, 12, 19))   # last day 19 January
    _session_on(date(2026, 12, 17))   # last day 17 January
    page = council.get("/conseil/reunions/").text
    assert "dans 1 jour<" in page and "en retard de 1 jour<" in page


def test_meeting_page_lists_its_actions(council, council_user, exam_setup):
    meeting = make_meeting(sessions=[exam_setup.session], members=[council_user])
    make_action(meeting=meeting, title="Former les jurés à la visioconférence", due_on=date(2027, 2, 1))
    page = council.get(f"/conseil/reunions/{meeting.id}").text
    assert "Former les jurés à la visioconférence" in page and "1er février 2027" in page
    assert "Adoptée" in page
    row = council.get("/conseil/reunions/").text
    assert "<td>1</td>" in row  # one action adopted
