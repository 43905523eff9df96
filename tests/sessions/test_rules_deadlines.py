"""The procedure's deadlines (seed 000), as tables of cases at their edges:
replacement session within 30 days, retake request within 2 months of the
result, sitting within 3 months after the end of training."""
from datetime import date

import pytest

from certif.sessions.rules import (
    add_months,
    replacement_date_problem,
    replacement_deadline,
    retake_deadline,
    retake_request_problem,
    sitting_deadline,
    sitting_warning,
)


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 1, 15), 1, date(2026, 2, 15)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),    # no 31 February: the month's last day
    (date(2028, 1, 31), 1, date(2028, 2, 29)),    # leap year
    (date(2026, 3, 31), 1, date(2026, 4, 30)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2026, 12, 31), 2, date(2027, 2, 28)),   # across the year
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
    (date(2026, 10, 31), 14, date(2027, 12, 31)),
    (date(2026, 5, 10), 0, date(2026, 5, 10)),
    (date(2026, 2, 28), 12, date(2027, 2, 28)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# --- Replacement session: within 30 days of the session's day---------------------------

ABSENCE = date(2026, 12, 1)


@pytest.mark.parametrize("proposed, accepted", [
    (date(2026, 12, 1), True),    # the same day
    (date(2026, 12, 2), True),
    (date(2026, 12, 31), True),   # day 30
    (date(2027, 1, 1), False),    # day 31
    (date(2027, 3, 1), False),
    (date(2026, 11, 30), False),  # before the session
])
def test_replacement_date_at_its_edges(proposed, accepted):
    problem = replacement_date_problem(ABSENCE, proposed)
    assert (problem is None) == accepted


def test_replacement_deadline_is_thirty_days_later():
    assert replacement_deadline(ABSENCE) == date(2026, 12, 31)
    assert replacement_deadline(date(2027, 2, 10)) == date(2027, 3, 12)


def test_a_late_replacement_date_is_refused_with_the_last_allowed_date():
    problem = replacement_date_problem(ABSENCE, date(2027, 1, 1))
    # Counted from the session's day (not from the day the carence was recorded).
    assert problem == ("La session de remplacement doit avoir lieu dans les 30 jours qui "
                       "suivent la session initiale (le 1er décembre 2026), soit au plus tard "
                       "le 31 décembre 2026.")


def test_a_replacement_before_the_session_is_refused_with_its_reason():
    problem = replacement_date_problem(ABSENCE, date(2026, 11, 30))
    assert "avant la session initiale" in problem


# --- Retake: requested within 2 months of the result ----------------------------------

@pytest.mark.parametrize("result, deadline", [
    (date(2026, 12, 31), date(2027, 2, 28)),
    (date(2027, 12, 31), date(2028, 2, 29)),   # leap year
    (date(2027, 1, 15), date(2027, 3, 15)),
    (date(2026, 11, 30), date(2027, 1, 30)),
    (date(2027, 8, 31), date(2027, 10, 31)),
    (date(2027, 7, 31), date(2027, 9, 30)),
])
def test_retake_deadline(result, deadline):
    assert retake_deadline(result) == deadline


@pytest.mark.parametrize("today, accepted", [
    (date(2027, 1, 15), True),    # the day of the result
    (date(2027, 3, 14), True),
    (date(2027, 3, 15), True),    # the last day
    (date(2027, 3, 16), False),   # the day after
    (date(2027, 6, 1), False),
])
def test_retake_request_at_its_edges(today, accepted):
    assert (retake_request_problem(date(2027, 1, 15), today) is None) == accepted


def test_a_late_retake_request_says_when_the_window_closed():
    problem = retake_request_problem(date(2027, 1, 15), date(2027, 3, 16))
    assert "2 mois" in problem
    assert "15 mars 2027" in problem


def test_retake_window_of_a_result_on_31_december_closes_end_of_february():
    assert retake_request_problem(date(2026, 12, 31), date(2027, 2, 28)) is None
    assert "28 février 2027" in retake_request_problem(date(2026, 12, 31), date(2027, 3, 1))


# --- Sitting: within 3 months after the end of training -------------------------------

@pytest.mark.parametrize("training_end, limit", [
    (date(2026, 11, 30), date(2027, 2, 28)),
    (date(2027, 11, 30), date(2028, 2, 29)),   # leap year
    (date(2026, 6, 15), date(2026, 9, 15)),
    (date(2026, 10, 31), date(2027, 1, 31)),
])
def test_sitting_deadline(training_end, limit):
    assert sitting_deadline(training_end) == limit


@pytest.mark.parametrize("exam_day, warns", [
    (date(2026, 12, 15), False),
    (date(2027, 2, 28), False),   # the limit itself
    (date(2027, 3, 1), True),     # the day after
    (date(2027, 6, 1), True),
])
def test_sitting_warning_at_its_edges(exam_day, warns):
    warning = sitting_warning(date(2026, 11, 30), exam_day)
    assert (warning is not None) == warns
    if warns:
        assert "3 mois" in warning
        assert "30 novembre 2026" in warning   # the end of training
        assert "28 février 2027" in warning    # the limit


def test_no_training_end_no_warning():
    assert sitting_warning(None, date(2030, 1, 1)) is None
