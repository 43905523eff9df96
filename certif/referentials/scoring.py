"""How a referential is scored: the rule it declares and the shape of its grid (pure, no Flask).

A referential declares ``points`` (RS6240: each competency is worth some points) or ``blocks``
(RNCP title: competencies grouped in blocks, no points). The loader checks the rule's name
and the scheme below describes the grid; ``grading.rules`` scores a grid against it.
Criteria are identified by any hashable key (ids in the app, codes in tests).
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from decimal import Decimal

POINTS = "points"
BLOCKS = "blocks"
RULES = (POINTS, BLOCKS)

Key = Hashable


@dataclass(frozen=True)
class CompetencySpec:
    code: str
    criteria: tuple[Key, ...]
    points: Decimal | None = None


@dataclass(frozen=True)
class BlockSpec:
    code: str | None
    competencies: tuple[CompetencySpec, ...]


@dataclass(frozen=True)
class Scheme:
    """The grid of a referential; `kept`: the blocks a retake does not grade again (DESIGN.md)."""

    rule: str
    blocks: tuple[BlockSpec, ...]
    pass_mark: Decimal | None = None
    max_points: Decimal | None = None
    # Blocks validated at an earlier attempt (block codes): not graded again, counted validated.
    kept: frozenset = frozenset()

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(f"unknown scoring rule {self.rule!r}")
        if self.rule == POINTS and self.pass_mark is None:
            raise ValueError("a points rule needs a pass mark")

    def keeping(self, codes) -> Scheme:
        """This scheme for a retake: the blocks `codes` (validated before) are not graded."""
        kept = frozenset(codes) & {b.code for b in self.blocks if b.code is not None}
        return self if kept == self.kept else replace(self, kept=kept)

    @property
    def graded_blocks(self) -> tuple[BlockSpec, ...]:
        return tuple(b for b in self.blocks if b.code not in self.kept)

    @property
    def competencies(self) -> tuple[CompetencySpec, ...]:
        """The competencies graded (those of the blocks kept from an earlier attempt excluded)."""
        return tuple(c for block in self.graded_blocks for c in block.competencies)

    @property
    def criteria(self) -> tuple[Key, ...]:
        return tuple(k for c in self.competencies for k in c.criteria)
