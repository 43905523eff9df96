"""Registration validity (issue 15, item 4): each referential declares its registration's start and
end; no session is created, moved or replaced to a day after the end (the end day itself is
allowed), no certificate for a session held after it; the dashboard warns six months before."""
from datetime import date, time, timedelta

import pytest

from certif.dashboard.page import due_items
from certif.dashboard.registration_items import ending_soon, warning_from
from certif.extensions import db
from certif.referentials.registration import after_end, registration_of, session_day_problem
from certif.sessions.models import ExamSession

from ..factories.sessions import make_session, referential, registered_until
from .helpers import form, sessions_count, text

END = date(2028, 1, 25)  # RS6240's end, as its file declares it


@pytest.mark.parametrize("day, refused", [
    (END - timedelta(days=1), False),
    (END, False),  # the end day itself is still registered
    (END + timedelta(days=1), True),
    (date(2031, 1, 1), True),
])
def test_registration_end_table(day, refused):
    assert after_end(day, END) is refused
    reg = registration_of("RS6240", {"registration": {"ends_on": END.isoformat()}})
    problem = session_day_problem(reg, day)
    assert (problem is not None) is refused
    if refused:
        assert "court jusqu'au 25 janvier 2028" in problem


def test_an_unknown_end_refuses_no_session():
    assert not after_end(date(2040, 1, 1), None)
    assert session_day_problem(registration_of("X", {}), date(2040, 1, 1)) is None


@pytest.mark.parametrize("today, warned", [
    (date(2027, 7, 24), False),
    (date(2027, 7, 25), True),  # six months before, to the day
    (END, True),
    (END + timedelta(days=10), True),  # ended: still listed, overdue
])
def test_six_month_warning_table(today, warned):
    assert warning_from(END) == date(2027, 7, 25)
    assert ending_soon(END, today) is warned
    assert not ending_soon(None, today)


def test_the_shipped_rs6240_file_declares_its_period(app):
    reg = referential("RS6240").registration_facts
    assert (reg.effective_from, reg.ends_on, reg.decided_on) == (date(2023, 1, 26), END,
                                                                 date(2023, 1, 25))
    rncp = referential("RNCP-CM").registration_facts
    assert rncp.ends_on is None and rncp.number is None and rncp.needs_level


def test_creating_a_session_after_the_end_is_refused_with_the_end_date(app, organiser):
    registered_until("RS6240", date.today() + timedelta(days=30))
    before = sessions_count()
    late = date.today() + timedelta(days=31)
    response = organiser.post("/sessions/nouvelle", form(day=late.isoformat()))
    assert response.status_code == 400
    assert "court jusqu'au" in text(response) and "aucune session ne peut avoir lieu" in text(response)
    assert sessions_count() == before
    on_the_day = organiser.post("/sessions/nouvelle", form(day=(late - timedelta(days=1)).isoformat()))
    assert on_the_day.status_code == 303
    assert sessions_count() == before + 1


def test_moving_a_session_after_the_end_is_refused(app, organiser):
    registered_until("RS6240", date.today() + timedelta(days=30))
    session = make_session(day=date.today() + timedelta(days=10), at=time(9, 0))
    late = date.today() + timedelta(days=31)
    response = organiser.post(f"/sessions/{session.id}/modifier",
                              form(number=session.number, day=late.isoformat()))
    assert response.status_code == 400
    assert "court jusqu'au" in text(response)
    db.session.expire_all()
    assert db.session.get(ExamSession, session.id).starts_at.date() < late


def test_the_dashboard_warns_six_months_before_and_after_the_end(app, set_paris_today):
    today = set_paris_today(date(2027, 8, 1))
    [item] = [i for i in due_items(today) if i.kind == "registration" and "RS6240" in i.label]
    assert "prend fin le 25 janvier 2028" in item.label and not item.overdue
    today = set_paris_today(date(2028, 2, 1))
    [item] = [i for i in due_items(today) if i.kind == "registration" and "RS6240" in i.label]
    assert "a pris fin le 25 janvier 2028" in item.label and item.overdue
    set_paris_today(date(2027, 7, 24))
    assert not [i for i in due_items(date(2027, 7, 24)) if i.kind == "registration"]


def test_the_dashboard_lists_the_registration_facts_to_fill_in(app):
    assert not [i for i in due_items(date(2026, 12, 3)) if i.kind == "mentions"]
    make_session(code="RNCP-CM")
    [item] = [i for i in due_items(date(2026, 12, 3)) if i.kind == "mentions"]
    assert "RNCP-CM" in item.label and "registration.number" in item.detail
