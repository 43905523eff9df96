"""The blocks an exam's candidate validated at earlier attempts (RNCP title), read with the
exam's access in the statement every click runs.

Grading keeps the validations and sits above the exam day: it registers, when its models are
imported (as `certif.models` does for every table), the SQL expression that reads them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

FIELD_SEP, ROW_SEP = "\x1f", "\x1e"

# (the Exam entity, the ExamSession entity) -> a scalar SQL expression (see `parse`), or NULL
_resolver: Callable | None = None


def register_prior_blocks(resolver: Callable) -> None:
    """Called once by `certif.grading.blocks.models`."""
    global _resolver
    _resolver = resolver


def prior_blocks_of(exam, session):
    if _resolver is None:
        raise RuntimeError("certif.grading.blocks.models is not imported: nobody told the exam "
                           "day how to read the blocks validated before")
    return _resolver(exam, session)


@dataclass(frozen=True)
class PriorBlock:
    """A block validated before: its code, the day and the session of the attempt."""

    code: str
    validated_on: date
    session_number: str


def parse(text: str | None) -> dict[str, PriorBlock]:
    """The registered expression's value, by block code (the earliest attempt wins)."""
    found: dict[str, PriorBlock] = {}
    for row in sorted((text or "").split(ROW_SEP)):
        if not row:
            continue
        code, day, number = row.split(FIELD_SEP)
        block = PriorBlock(code, date.fromisoformat(day[:10]), number)
        if code not in found or block.validated_on < found[code].validated_on:
            found[code] = block
    return found
