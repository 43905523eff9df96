"""Dates are stored in UTC and shown the French way, in Paris time (summer and winter)."""
from datetime import date, datetime, time

import pytest

from certif.timeutil import french_date, french_datetime, french_time, french_timestamp, paris_to_utc
from certif.web import fr_number


@pytest.mark.parametrize("utc,shown", [
    (datetime(2026, 11, 23, 8, 0), "23 novembre 2026 à 9 h 00"),     # winter: UTC+1
    (datetime(2026, 7, 1, 7, 30), "1er juillet 2026 à 9 h 30"),      # summer: UTC+2
    (datetime(2026, 12, 31, 23, 30), "1er janvier 2027 à 0 h 30"),   # the day changes too
])
def test_french_datetime_in_paris_time(utc, shown):
    assert french_datetime(utc) == shown


def test_paris_wall_clock_is_stored_as_utc():
    assert paris_to_utc(date(2026, 3, 29), time(9, 0)) == datetime(2026, 3, 29, 7, 0)  # DST day
    assert paris_to_utc(date(2026, 3, 28), time(9, 0)) == datetime(2026, 3, 28, 8, 0)


def test_other_formats():
    assert french_date(date(2026, 8, 15)) == "15 août 2026"
    assert french_time(datetime(2026, 11, 22, 16, 5)) == "17 h 05"
    assert french_timestamp(datetime(2026, 11, 22, 16, 5, 9)) == "22/11/2026 17:05:09"
    assert french_datetime(None) == "" and french_date(None) == ""


@pytest.mark.parametrize("value,places,shown", [
    ("14", 2, "14,00"), ("1.335", 2, "1,34"), ("20", 0, "20"), (None, 2, "–")])
def test_french_numbers(value, places, shown):
    assert fr_number(value, places) == shown

