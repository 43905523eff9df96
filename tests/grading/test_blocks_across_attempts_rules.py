"""Blocks kept across attempts (RNCP title): the retake's grid and the title across attempts,
as tables of cases (pure: no app)."""
import pytest

from certif.grading.rules import FAVORABLE, UNFAVORABLE, Attempt, across_attempts, score
from certif.referentials.scoring import BLOCKS, BlockSpec, CompetencySpec, Scheme

# Three blocks of two competencies of two criteria each (the title's shape, smaller).
SCHEME = Scheme(BLOCKS, tuple(
    BlockSpec(b, tuple(CompetencySpec(f"{b}.C{c}", (f"{b}.C{c}.1", f"{b}.C{c}.2")) for c in (1, 2)))
    for b in ("BC01", "BC02", "BC03")))
CODES = ("BC01", "BC02", "BC03")


def marks(failing=(), unmarked=(), blocks=CODES):
    """Every criterion of `blocks` acquired, both criteria of the `failing` competencies not."""
    found = {}
    for block in SCHEME.blocks:
        if block.code not in blocks:
            continue
        for comp in block.competencies:
            for key in comp.criteria:
                if key not in unmarked:
                    found[key] = comp.code not in failing
    return found


@pytest.mark.parametrize("kept, given, criteria, decision", [
    ((), marks(), 12, FAVORABLE),
    (("BC01", "BC02"), marks(blocks=("BC03",)), 4, FAVORABLE),  # only BC03 graded, title awarded
    (("BC01", "BC02"), marks(failing=("BC03.C1",), blocks=("BC03",)), 4, UNFAVORABLE),
    (("BC01", "BC02"), marks(blocks=("BC03",), unmarked=("BC03.C2.2",)), 4, None),  # incomplete
    (("BC01",), marks(blocks=("BC02", "BC03")), 8, FAVORABLE),
    (("BC01", "BC02", "BC03"), {}, 0, FAVORABLE),  # nothing left to grade
    (("XX",), marks(), 12, FAVORABLE),  # an unknown block code is ignored
])
def test_a_retake_grades_only_the_blocks_not_validated(kept, given, criteria, decision):
    scheme = SCHEME.keeping(kept)
    result = score(scheme, given)
    assert result.criteria == criteria and result.complete == (decision is not None)
    assert result.decision == decision
    for code in kept:
        if code in CODES:
            assert result.blocks[code].validated is True and result.blocks[code].kept
            assert not any(c.startswith(code) for c in result.competencies)


def test_keeping_nothing_is_the_same_scheme():
    assert SCHEME.keeping(()) is SCHEME and SCHEME.keeping({}).criteria == SCHEME.criteria


V, N, U = True, False, None


@pytest.mark.parametrize("attempts, validated_by, awarded", [
    # One attempt validating everything.
    ([Attempt(1, {"BC01": V, "BC02": V, "BC03": V})], {"BC01": 1, "BC02": 1, "BC03": 1}, True),
    # Three attempts: BC01 and BC02 at the first, nothing at the second, BC03 at the third.
    ([Attempt(1, {"BC01": V, "BC02": V, "BC03": N}), Attempt(2, {"BC03": N}),
      Attempt(3, {"BC03": V})], {"BC01": 1, "BC02": 1, "BC03": 3}, True),
    # Each block at a different attempt.
    ([Attempt(1, {"BC01": V, "BC02": N, "BC03": N}), Attempt(2, {"BC02": V, "BC03": N}),
      Attempt(3, {"BC03": V})], {"BC01": 1, "BC02": 2, "BC03": 3}, True),
    # A block still missing after three attempts: no title.
    ([Attempt(1, {"BC01": V, "BC02": N, "BC03": N}), Attempt(2, {"BC02": V, "BC03": N}),
      Attempt(3, {"BC03": N})], {"BC01": 1, "BC02": 2, "BC03": None}, False),
    # An undecided block (grid incomplete) is not validated.
    ([Attempt(1, {"BC01": V, "BC02": V, "BC03": U})], {"BC01": 1, "BC02": 1, "BC03": None}, False),
    # The first attempt revoked: its blocks count for nothing.
    ([Attempt(1, {"BC01": V, "BC02": V, "BC03": N}, revoked=True), Attempt(2, {"BC03": V})],
     {"BC01": None, "BC02": None, "BC03": 2}, False),
    # Revoked, then everything validated again.
    ([Attempt(1, {"BC01": V, "BC02": V, "BC03": V}, revoked=True),
      Attempt(2, {"BC01": V, "BC02": V, "BC03": V})], {"BC01": 2, "BC02": 2, "BC03": 2}, True),
    # The first attempt validating a block keeps it (a later one does not replace it).
    ([Attempt(1, {"BC01": V}), Attempt(2, {"BC01": V, "BC02": V}), Attempt(3, {"BC03": V})],
     {"BC01": 1, "BC02": 2, "BC03": 3}, True),
    # No attempt at all.
    ([], {"BC01": None, "BC02": None, "BC03": None}, False),
])
def test_the_title_is_awarded_when_every_block_is_validated_whatever_the_attempts(
        attempts, validated_by, awarded):
    outcome = across_attempts(CODES, attempts)
    assert outcome.validated_by == validated_by
    assert outcome.awarded is awarded
    assert outcome.missing == [c for c, k in validated_by.items() if k is None]
