"""What the organisation publishes of its results (Qualiopi indicator 3): per certification and
calendar year, the pass rate with its period and the number of candidates behind it.

Nothing personal: counts only, never a name. A rate resting on fewer candidates than
`PUBLISH_RESULTS_MIN_CANDIDATES` (5 by default) is not published, its count is (decision):
a rate on two or three candidates says little (one result moves it by a third or a half), and
in a small group known to each other, 0 % or 100 % would tell everyone each person's result.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .figures import Indicators


@dataclass(frozen=True)
class PublishedRow:
    code: str
    title: str
    year: int
    first_day: date  # the period: the sessions with a decision that year
    last_day: date
    candidates: int  # the candidates behind the rate: present, with a decision
    rate: Decimal | None  # None: too few candidates to publish it

    @property
    def published(self) -> bool:
        return self.rate is not None


def published_rows(indicators: Indicators, minimum: int) -> list[PublishedRow]:
    """The rows to publish, by certification then year (the latest first); a year without a
    decision is left out, a rate on fewer than `minimum` candidates is withheld."""
    rows = [PublishedRow(y.code, y.title, y.year, y.first_day, y.last_day, y.figures.decided,
                         y.figures.pass_rate if y.figures.decided >= minimum else None)
            for y in indicators.years if y.figures.decided and y.first_day]
    return sorted(rows, key=lambda r: (r.code, -r.year))
