"""Scoring rules of the certifications: pure functions, no Flask, no database.

A referential declares its rule:

* ``points`` (RS6240): each competency is worth some points; its note is
  points × acquired criteria ÷ criteria, rounded half-up to 2 decimals; the
  total is the sum of the notes; a competency is acquired when at least half of
  its criteria are; the result is favourable when the total reaches the pass
  mark and every competency is acquired.
* ``blocks`` (RNCP title): no points; a competency is acquired when at least
  half of its criteria are; a block is validated when all its competencies are
  acquired; the title is awarded when every block is validated.

While a criterion is unmarked, the grid has no decision, and a competency whose
criteria are not all marked has no status yet (its note counts what is marked).
Criteria are identified by any hashable key (ids in the app, codes in tests). The rule's
name and the shape of the grid (``Scheme``) are the referential's: ``referentials.scoring``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..referentials.scoring import POINTS, CompetencySpec, Key, Scheme
from ..sessions.rules import FAVORABLE, UNFAVORABLE

AGREED = "agreed"
PRESIDENT = "president"
JURY = "jury"

_CENT = Decimal("0.01")

Marks = Mapping[Key, bool | None]


@dataclass(frozen=True)
class CompetencyResult:
    code: str
    criteria: int
    marked: int
    acquired_criteria: int
    note: Decimal | None
    acquired: bool | None  # None until every criterion of the competency is marked


@dataclass(frozen=True)
class BlockResult:
    code: str | None
    validated: bool | None
    kept: bool = False  # validated at an earlier attempt: not graded again (a retake)


@dataclass(frozen=True)
class GridResult:
    competencies: dict[str, CompetencyResult]
    blocks: dict[str | None, BlockResult]
    total: Decimal | None
    marked: int
    criteria: int
    decision: str | None

    @property
    def unmarked(self) -> int:
        return self.criteria - self.marked

    @property
    def complete(self) -> bool:
        return self.marked == self.criteria


@dataclass(frozen=True)
class FinalMark:
    value: bool | None
    source: str | None
    disagreement: bool


def half_up(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def score_competency(spec: CompetencySpec, marks: Marks) -> CompetencyResult:
    values = [marks.get(k) for k in spec.criteria]
    marked = sum(v is not None for v in values)
    acquired = sum(v is True for v in values)
    total = len(spec.criteria)
    note = None
    if spec.points is not None:
        note = half_up(Decimal(spec.points) * acquired / total)
    status = None if marked < total else acquired * 2 >= total
    return CompetencyResult(spec.code, total, marked, acquired, note, status)


def score(scheme: Scheme, marks: Marks) -> GridResult:
    """Notes, statuses, total and decision of one grid (a juror's, or the final one)."""
    competencies = {c.code: score_competency(c, marks) for c in scheme.competencies}
    blocks = {}
    for block in scheme.blocks:
        if block.code in scheme.kept:
            blocks[block.code] = BlockResult(block.code, True, kept=True)
            continue
        statuses = [competencies[c.code].acquired for c in block.competencies]
        validated = None if None in statuses else all(statuses)
        blocks[block.code] = BlockResult(block.code, validated)
    marked = sum(r.marked for r in competencies.values())
    criteria = sum(r.criteria for r in competencies.values())
    total = None
    if scheme.rule == POINTS:
        total = sum((r.note for r in competencies.values()), Decimal("0.00"))
    decision = None
    if marked == criteria:
        if scheme.rule == POINTS:
            passed = total >= scheme.pass_mark and all(r.acquired for r in competencies.values())
        else:
            passed = all(b.validated for b in blocks.values())
        decision = FAVORABLE if passed else UNFAVORABLE
    return GridResult(competencies, blocks, total, marked, criteria, decision)


# --- Blocks across attempts (RNCP title, DESIGN.md "Scoring rules") --------------------------

@dataclass(frozen=True)
class Attempt:
    """One attempt at a certification, in the order they were sat: the blocks its final grid
    validated (code -> validated), and whether it was revoked (its blocks then count for nothing)."""

    key: Key
    blocks: Mapping[str, bool | None]
    revoked: bool = False


@dataclass(frozen=True)
class TitleOutcome:
    validated_by: dict[str, Key | None]  # block code -> the attempt that first validated it

    @property
    def missing(self) -> list[str]:
        return [code for code, key in self.validated_by.items() if key is None]

    @property
    def awarded(self) -> bool:
        """The title is awarded when every block is validated, whatever the attempts."""
        return bool(self.validated_by) and not self.missing


def across_attempts(block_codes, attempts) -> TitleOutcome:
    """Which attempt validated each block (the first one that did, revoked attempts ignored)."""
    validated_by: dict[str, Key | None] = dict.fromkeys(block_codes)
    for attempt in attempts:
        if attempt.revoked:
            continue
        for code, validated in attempt.blocks.items():
            if validated is True and code in validated_by and validated_by[code] is None:
                validated_by[code] = attempt.key
    return TitleOutcome(validated_by)


def merge_grids(keys, president: Marks, other: Marks, jury: Marks) -> dict[Key, FinalMark]:
    """The final grid of a deliberation.

    Where the two jurors agree, their value stands; where they differ, the
    president's value stands (casting vote) unless the jury recorded another.
    """
    final = {}
    for key in keys:
        p, o = president.get(key), other.get(key)
        disagreement = p is not None and o is not None and p != o
        if jury.get(key) is not None:
            final[key] = FinalMark(jury[key], JURY, disagreement)
        elif p is not None and p == o:
            final[key] = FinalMark(p, AGREED, False)
        elif p is not None:
            final[key] = FinalMark(p, PRESIDENT, disagreement)
        else:
            final[key] = FinalMark(None, None, disagreement)
    return final


def final_values(final: Mapping[Key, FinalMark]) -> dict[Key, bool | None]:
    return {k: m.value for k, m in final.items()}
