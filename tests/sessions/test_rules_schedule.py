"""Slot scheduling: consecutive slots of the referential's duration plus extra time."""
from datetime import datetime
from itertools import pairwise

import pytest

from certif.sessions.rules import Slot, schedule

NINE = datetime(2026, 12, 1, 9, 0)


def at(hour, minute):
    return datetime(2026, 12, 1, hour, minute)


@pytest.mark.parametrize("base, extras, expected", [
    # No candidate, no slot.
    (30, [], []),
    # Three candidates at 30 minutes from 9:00.
    (30, [0, 0, 0], [(at(9, 0), 30), (at(9, 30), 30), (at(10, 0), 30)]),
    # The second has 15 extra minutes (accommodation): the next slots shift.
    (30, [0, 15, 0], [(at(9, 0), 30), (at(9, 30), 45), (at(10, 15), 30)]),
    # Extra time on the first shifts everyone.
    (30, [10, 0], [(at(9, 0), 40), (at(9, 40), 30)]),
    # A negative extra is ignored, never shortening the referential's duration.
    (30, [-10, 0], [(at(9, 0), 30), (at(9, 30), 30)]),
    # Another referential's duration (e.g. a longer interview).
    (45, [0, 20], [(at(9, 0), 45), (at(9, 45), 65)]),
])
def test_schedule(base, extras, expected):
    slots = schedule(NINE, base, extras)
    assert [(s.starts_at, s.minutes) for s in slots] == expected


def test_a_slot_ends_after_its_minutes():
    assert Slot(NINE, 45).ends_at == at(9, 45)


def test_slots_follow_each_other_without_gap_or_overlap():
    slots = schedule(NINE, 30, [0, 5, 0, 60, 0])
    assert all(a.ends_at == b.starts_at for a, b in pairwise(slots))
    assert slots[-1].ends_at == at(12, 35)  # 30 + 35 + 30 + 90 + 30 minutes
