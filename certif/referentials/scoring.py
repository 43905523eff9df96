"""How a referential is scored: the rule it declares and the shape of its grid (pure, no Flask).

A referential declares ``points`` (RS6240: each competency is worth some points) or ``blocks``
(RNCP title: competencies grouped in blocks, no points). The loader checks the rule's name
and the scheme below describes the grid; ``grading.rules`` scores a grid against it.
Criteria are identified by any hashable key (ids in the app, codes in tests).
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
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
    rule: str
    blocks: tuple[BlockSpec, ...]
    pass_mark: Decimal | None = None
    max_points: Decimal | None = None

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(f"unknown scoring rule {self.rule!r}")
        if self.rule == POINTS and self.pass_mark is None:
            raise ValueError("a points rule needs a pass mark")

    @property
    def competencies(self) -> tuple[CompetencySpec, ...]:
        return tuple(c for block in self.blocks for c in block.competencies)

    @property
    def criteria(self) -> tuple[Key, ...]:
        return tuple(k for c in self.competencies for k in c.criteria)
