"""The council's meeting deadlines (certif/council/rules.py) at their edges."""
from datetime import date

import pytest

from certif.council import rules
from certif.council.models import ANNUAL, EXCEPTIONAL


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),   # 31 January → last day of February
    (date(2028, 1, 31), 1, date(2028, 2, 29)),   # leap year
    (date(2026, 3, 31), 1, date(2026, 4, 30)),   # 31 March → 30 April
    (date(2026, 12, 1), 1, date(2027, 1, 1)),    # December → January of the next year
    (date(2026, 12, 31), 1, date(2027, 1, 31)),
    (date(2026, 1, 15), 1, date(2026, 2, 15)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),  # 29 February + 1 year → 28 February
    (date(2027, 2, 28), 12, date(2028, 2, 28)),
    (date(2026, 5, 10), 12, date(2027, 5, 10)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
])
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize("session_day, last_day", [
    (date(2026, 12, 1), date(2027, 1, 1)),
    (date(2026, 1, 31), date(2026, 2, 28)),
    (date(2028, 1, 30), date(2028, 2, 29)),
])
def test_exceptional_deadline_is_one_calendar_month_later(session_day, last_day):
    assert rules.exceptional_deadline(session_day) == last_day


@pytest.mark.parametrize("held_on, late", [
    (date(2026, 12, 1), False),   # the session's day itself
    (date(2026, 12, 31), False),
    (date(2027, 1, 1), False),    # exactly one month after: the last day, on time
    (date(2027, 1, 2), True),     # the day after: late
])
def test_held_late(held_on, late):
    assert rules.held_late(date(2026, 12, 1), held_on) is late


SESSION = rules.ReportingSession(7, "S-7", date(2026, 12, 1))


@pytest.mark.parametrize("today, days_left, overdue", [
    (date(2026, 12, 20), 12, False),
    (date(2027, 1, 1), 0, False),   # the last day: still on time
    (date(2027, 1, 2), -1, True),   # overdue from the day after
    (date(2027, 1, 4), -3, True),
])
def test_exceptional_item_countdown(today, days_left, overdue):
    [item] = rules.exceptional_meetings_due([SESSION], [], today)
    assert (item.kind, item.due, item.session_id, item.session_number) == (
        EXCEPTIONAL, date(2027, 1, 1), 7, "S-7")
    assert item.days_left == days_left
    assert item.overdue is overdue


@pytest.mark.parametrize("meeting, still_due", [
    (rules.HeldMeeting(EXCEPTIONAL, date(2026, 12, 15), frozenset({7})), False),
    (rules.HeldMeeting(EXCEPTIONAL, date(2026, 12, 1), frozenset({7})), False),   # the day itself
    (rules.HeldMeeting(EXCEPTIONAL, date(2027, 1, 20), frozenset({7})), False),   # late, but held
    (rules.HeldMeeting(ANNUAL, date(2026, 12, 15), frozenset({7})), False),       # any kind listing it
    (rules.HeldMeeting(EXCEPTIONAL, date(2026, 11, 30), frozenset({7})), True),   # before the session
    (rules.HeldMeeting(EXCEPTIONAL, date(2026, 12, 15), frozenset({8})), True),   # another session
    (rules.HeldMeeting(EXCEPTIONAL, date(2026, 12, 15), frozenset()), True),      # listing none
])
def test_which_meetings_deal_with_a_session(meeting, still_due):
    due = rules.exceptional_meetings_due([SESSION], [meeting], date(2026, 12, 20))
    assert bool(due) is still_due


def test_exceptional_items_soonest_first():
    later = rules.ReportingSession(9, "S-9", date(2027, 2, 3))
    due = rules.exceptional_meetings_due([later, SESSION], [], date(2026, 12, 20))
    assert [i.session_id for i in due] == [7, 9]


@pytest.mark.parametrize("meetings, first_session, expected", [
    ([], date(2026, 3, 10), date(2026, 12, 31)),      # none yet: 31 December of the first year
    ([], None, date(2026, 12, 31)),                   # no session either: this year
    ([rules.HeldMeeting(ANNUAL, date(2026, 6, 15))], date(2025, 3, 10), date(2027, 6, 15)),
    ([rules.HeldMeeting(ANNUAL, date(2025, 6, 15)), rules.HeldMeeting(ANNUAL, date(2026, 5, 2))],
     date(2025, 3, 10), date(2027, 5, 2)),            # the last annual meeting counts
    ([rules.HeldMeeting(ANNUAL, date(2028, 2, 29))], None, date(2029, 2, 28)),
    # An exceptional meeting does not replace the annual one.
    ([rules.HeldMeeting(EXCEPTIONAL, date(2026, 6, 15), frozenset({7}))], date(2026, 3, 10),
     date(2026, 12, 31)),
])
def test_annual_meeting_due(meetings, first_session, expected):
    item = rules.annual_meeting_due(meetings, first_session, date(2026, 8, 1))
    assert (item.kind, item.due, item.session_id) == (ANNUAL, expected, None)


def test_annual_meeting_overdue():
    item = rules.annual_meeting_due([rules.HeldMeeting(ANNUAL, date(2025, 6, 15))], None,
                                    date(2026, 6, 16))
    assert item.days_left == -1 and item.overdue
