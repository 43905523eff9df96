"""The exam parts' rules (issue 14, item 6): planned minutes with a candidate's extra
minutes, which part the president may start next, coverage input."""
from datetime import datetime, timedelta

import pytest

from certif.errors import Conflict, InvalidInput
from certif.grading.parts import rules

RS6240 = [{"title": "Épreuve théorique", "minutes": 10}, {"title": "Épreuve pratique", "minutes": 20}]
RNCP = [{"title": "Présentation", "minutes": 20}, {"title": "Entretien technique", "minutes": 25},
        {"title": "Entretien final", "minutes": 15}]


@pytest.mark.parametrize("parts, extra, expected", [
    (RS6240, 0, [10, 20]),
    (RS6240, 10, [10, 30]),  # the accommodation's extra minutes extend the last part only
    (RNCP, 0, [20, 25, 15]),
    (RNCP, 15, [20, 25, 30]),
    ([{"title": "Seule", "minutes": 30}], 5, [35]),
])
def test_extra_minutes_extend_the_last_part(parts, extra, expected):
    planned = rules.plan(parts, extra)
    assert [p.minutes for p in planned] == expected
    assert [p.extra_minutes for p in planned] == [0] * (len(parts) - 1) + [extra]
    assert sum(p.minutes for p in planned) == sum(p["minutes"] for p in parts) + extra


@pytest.mark.parametrize("current, target, result", [
    (None, 0, True),  # the first start
    (0, 1, True),
    (1, 2, True),
    (0, 0, False),  # a repeated click: nothing changes
    (2, 2, False),
    (2, 3, Conflict),  # past the last part
    (None, 1, Conflict),  # a stale page: the first part has not started
    (0, 2, Conflict),  # skipping a part
    (2, 1, Conflict),  # going back
])
def test_next_part_rule(current, target, result):
    planned = rules.plan(RNCP)
    if result is Conflict:
        with pytest.raises(Conflict):
            rules.next_move(planned, current, target)
    else:
        assert rules.next_move(planned, current, target) is result


def test_past_the_last_part_names_it():
    with pytest.raises(Conflict, match="« Épreuve pratique » est la dernière partie"):
        rules.next_move(rules.plan(RS6240), 1, 2)


def test_no_parts_declared_is_refused():
    with pytest.raises(Conflict, match="ne déclare pas de parties"):
        rules.next_move([], None, 0)


@pytest.mark.parametrize("raw", [None, "", "x", "-1", "1.5", "99999"])
def test_bad_positions_are_refused(raw):
    with pytest.raises(InvalidInput):
        rules.parse_position(raw)


def test_elapsed_seconds():
    start = datetime(2026, 12, 3, 9, 0)
    assert rules.elapsed_seconds(start, start + timedelta(minutes=2, seconds=5)) == 125
    assert rules.elapsed_seconds(start, start - timedelta(seconds=3)) == 0
    assert rules.elapsed_seconds(None, start) == 0


@pytest.mark.parametrize("kind, value, expected", [
    ("projet", "oui", ("covered_by_project", True)),
    ("projet", "non", ("covered_by_project", False)),
    ("entretien", "oui", ("evaluated_in_interview", True)),
    ("entretien", None, InvalidInput),
    ("entretien", "peut-être", InvalidInput),
    ("autre", "oui", InvalidInput),
    (None, "oui", InvalidInput),
])
def test_coverage_input(kind, value, expected):
    if expected is InvalidInput:
        with pytest.raises(InvalidInput):
            rules.parse_coverage(kind, value)
    else:
        assert rules.parse_coverage(kind, value) == expected
