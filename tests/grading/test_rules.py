"""The scoring rules, as tables of cases (pure: no app needed)."""
from decimal import Decimal

import pytest

from certif.grading import rules
from certif.grading.rules import AGREED, FAVORABLE, JURY, PRESIDENT, UNFAVORABLE, merge_grids, score
from certif.referentials.scoring import BLOCKS, POINTS, BlockSpec, CompetencySpec, Scheme

# RS6240 as in annex 6: (code, points, number of criteria)
RS6240 = [("C1", 2, 3), ("C2", 3, 4), ("C3", 3, 3), ("C4", 3, 4),
          ("C5", 3, 4), ("C6", 3, 2), ("C7", 3, 4)]


def rs_scheme():
    competencies, n = [], 0
    for code, points, size in RS6240:
        keys = tuple(f"Cr{n + i + 1}" for i in range(size))
        n += size
        competencies.append(CompetencySpec(code, keys, Decimal(points)))
    return Scheme(POINTS, (BlockSpec(None, tuple(competencies)),),
                  pass_mark=Decimal(14), max_points=Decimal(20))


SCHEME = rs_scheme()
BY_CODE = {c.code: c for c in SCHEME.competencies}


def grid(acquired_per_competency: dict[str, int], unmarked: tuple[str, ...] = ()):
    """Marks with the first k criteria of each competency acquired, the rest non acquis."""
    marks = {}
    for comp in SCHEME.competencies:
        k = acquired_per_competency.get(comp.code, len(comp.criteria))
        for i, key in enumerate(comp.criteria):
            marks[key] = i < k
    for key in unmarked:
        del marks[key]
    return marks


ALL = {code: size for code, _, size in RS6240}

CASES = [
    # id, acquired per competency, unmarked, total, decision
    ("all acquired", ALL, (), "20.00", FAVORABLE),
    ("every criterion non acquis", {c: 0 for c in ALL}, (), "0.00", UNFAVORABLE),
    # C1 2/3 (1.33) + C2 2/4 (1.50) + C3 2/3 (2.00) + C4 3/4 (2.25) + C5 3/4 (2.25) + 3 + 3 = 15.33
    ("every competency at half or more", {**ALL, "C1": 2, "C2": 2, "C3": 2, "C4": 3, "C5": 3}, (),
     "15.33", FAVORABLE),
    # C2 2/4 (1.50) + C4 2/4 + C5 2/4 + C7 2/4, others full: 2+1.5+3+1.5+1.5+3+1.5 = 14.00 exactly
    ("exactly 14.00 passes", {**ALL, "C2": 2, "C4": 2, "C5": 2, "C7": 2}, (), "14.00", FAVORABLE),
    # Same but C1 2/3: 1.33 + 12 = 13.33
    ("13.33 fails", {**ALL, "C1": 2, "C2": 2, "C4": 2, "C5": 2, "C7": 2}, (), "13.33", UNFAVORABLE),
    # C6 0/2, non acquise: 20 - 3 = 17.00
    ("17/20 with one competency not acquired", {**ALL, "C6": 0}, (), "17.00", UNFAVORABLE),
    # C4 1/4 (0.75), below half: 20 - 2.25 = 17.75
    ("high total, C4 below half", {**ALL, "C4": 1}, (), "17.75", UNFAVORABLE),
    ("one criterion unmarked: no decision", ALL, ("Cr24",), "19.25", None),
    ("all unmarked: no decision", {}, tuple(f"Cr{i}" for i in range(1, 25)), "0.00", None),
]


@pytest.mark.parametrize("acquired,unmarked,total,decision",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_points_rule(acquired, unmarked, total, decision):
    result = score(SCHEME, grid(acquired, unmarked))
    assert result.total == Decimal(total)
    assert result.decision == decision
    assert result.unmarked == len(unmarked)


def test_eighteen_with_one_competency_not_acquired_is_unfavourable():
    # C1 (2 points) 0/3: total 18.00, above the pass mark, but C1 is not acquired.
    result = score(SCHEME, grid({**ALL, "C1": 0}))
    assert result.total == Decimal("18.00")
    assert result.competencies["C1"].acquired is False
    assert result.decision == UNFAVORABLE


@pytest.mark.parametrize("code,acquired,note,status", [
    ("C1", 0, "0.00", False), ("C1", 1, "0.67", False), ("C1", 2, "1.33", True), ("C1", 3, "2.00", True),
    ("C2", 1, "0.75", False), ("C2", 2, "1.50", True), ("C2", 3, "2.25", True),
    ("C3", 1, "1.00", False), ("C3", 2, "2.00", True),
    ("C6", 1, "1.50", True),  # exactly half of 2 criteria is acquired
    ("C6", 0, "0.00", False),
])
def test_competency_note_and_half_rule(code, acquired, note, status):
    r = rules.score_competency(BY_CODE[code], grid({code: acquired}))
    assert r.note == Decimal(note)
    assert r.acquired is status


def test_rounding_is_half_up_to_two_decimals():
    # 1 point x 1/8 = 0.125: half-up gives 0.13 where banker's rounding would give 0.12.
    spec = CompetencySpec("X", tuple(range(8)), Decimal(1))
    r = rules.score_competency(spec, {0: True, **{i: False for i in range(1, 8)}})
    assert r.note == Decimal("0.13")


def test_competency_has_no_status_until_all_its_criteria_are_marked():
    marks = grid(ALL, unmarked=("Cr1",))
    r = score(SCHEME, marks)
    assert r.competencies["C1"].acquired is None
    assert r.competencies["C1"].note == Decimal("1.33")  # counts what is marked
    assert r.competencies["C2"].acquired is True


# --- RNCP: blocks, no points --------------------------------------------------------

def block_scheme():
    return Scheme(BLOCKS, (
        BlockSpec("BC01", (CompetencySpec("C1.1", ("a", "b")), CompetencySpec("C1.2", ("c", "d", "e")))),
        BlockSpec("BC02", (CompetencySpec("C2.1", ("f", "g", "h", "i")),)),
    ))


BLOCK_CASES = [
    ("all acquired", dict.fromkeys("abcdefghi", True), {"BC01": True, "BC02": True}, FAVORABLE),
    ("half of each competency", {"a": True, "b": False, "c": True, "d": True, "e": False,
                                 "f": True, "g": True, "h": False, "i": False},
     {"BC01": True, "BC02": True}, FAVORABLE),
    ("one competency below half fails its block",
     {**dict.fromkeys("abcdefghi", True), "c": False, "d": False},
     {"BC01": False, "BC02": True}, UNFAVORABLE),
    ("nothing acquired", dict.fromkeys("abcdefghi", False), {"BC01": False, "BC02": False}, UNFAVORABLE),
    ("one unmarked: block undecided, no decision",
     {**dict.fromkeys("abcdefgh", True)}, {"BC01": True, "BC02": None}, None),
]


@pytest.mark.parametrize("marks,blocks,decision", [c[1:] for c in BLOCK_CASES],
                         ids=[c[0] for c in BLOCK_CASES])
def test_blocks_rule(marks, blocks, decision):
    result = score(block_scheme(), marks)
    assert {code: b.validated for code, b in result.blocks.items()} == blocks
    assert result.decision == decision
    assert result.total is None


def test_points_rule_needs_a_pass_mark():
    with pytest.raises(ValueError):
        Scheme(POINTS, (), pass_mark=None)


# --- Deliberation: agreement, casting vote, jury's value -----------------------------

MERGE_CASES = [
    # president, other, jury -> value, source, disagreement
    (True, True, None, True, AGREED, False),
    (False, False, None, False, AGREED, False),
    (True, False, None, True, PRESIDENT, True),
    (False, True, None, False, PRESIDENT, True),
    (True, False, False, False, JURY, True),
    (False, True, True, True, JURY, True),
    (None, True, None, None, None, False),
]


@pytest.mark.parametrize("p,o,j,value,source,disagreement", MERGE_CASES)
def test_merge_grids(p, o, j, value, source, disagreement):
    final = merge_grids(["k"], {"k": p}, {"k": o}, {"k": j} if j is not None else {})
    assert final["k"] == rules.FinalMark(value, source, disagreement)


def test_final_grid_is_scored_by_the_same_rules():
    keys = SCHEME.criteria
    president = grid(ALL)
    other = grid({**ALL, "C6": 0})
    final = merge_grids(keys, president, other, {})
    assert score(SCHEME, rules.final_values(final)).decision == FAVORABLE
    # The jury retains the other juror's view on both C6 criteria: C6 not acquired.
    jury = {"Cr19": False, "Cr20": False}
    final = merge_grids(keys, president, other, jury)
    result = score(SCHEME, rules.final_values(final))
    assert (result.total, result.decision) == (Decimal("17.00"), UNFAVORABLE)
