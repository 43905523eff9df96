"""The insurance's cover (pure rules): which day is covered, why convening is refused, and
when the dashboard warns."""
from dataclasses import dataclass
from datetime import date

import pytest

from certif.organisation import rules


@dataclass
class P:
    starts_on: date
    ends_on: date
    insurer: str = "Assur"
    number: str = "RC-1"


Y2026 = P(date(2026, 1, 1), date(2026, 12, 31))
Y2027 = P(date(2027, 1, 1), date(2027, 12, 31), number="RC-2")


@pytest.mark.parametrize("policies, day, covered", [
    ([Y2026], date(2026, 1, 1), True),
    ([Y2026], date(2026, 12, 31), True),
    ([Y2026], date(2025, 12, 31), False),
    ([Y2026], date(2027, 1, 1), False),
    ([Y2026, Y2027], date(2027, 6, 1), True),
    ([], date(2026, 6, 1), False),
])
def test_cover_dates(policies, day, covered):
    assert (rules.cover_problem(policies, day, "S1") is None) is covered


def test_refusal_names_the_dates():
    problem = rules.cover_problem([Y2026], date(2027, 3, 2), "S-9")
    assert "S-9 du 2 mars 2027" in problem
    assert "valable du 1er janvier 2026 au 31 décembre 2026" in problem
    assert "aucune assurance" in rules.cover_problem([], date(2027, 3, 2), "S-9")


@pytest.mark.parametrize("policies, today, due", [
    ([Y2026], date(2026, 11, 30), None),  # 31 days before the end
    ([Y2026], date(2026, 12, 1), date(2026, 12, 31)),  # 30 days before
    ([Y2026, Y2027], date(2026, 12, 15), None),  # the next policy takes over
    ([Y2026, Y2027], date(2027, 12, 10), date(2027, 12, 31)),
    ([Y2026], date(2027, 1, 5), date(2027, 1, 1)),  # ended: overdue
    ([], date(2026, 6, 1), None),  # nothing recorded yet
    ([Y2027], date(2026, 6, 1), date(2026, 6, 1)),  # only a policy to come
])
def test_dashboard_notice(policies, today, due):
    notice = rules.expiry_notice(policies, today)
    assert (notice.due if notice else None) == due
