"""What the grid page shows of the exam's parts and of the competencies' coverage."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from ...examday.access import ExamAccess
from ...timeutil import utcnow
from . import operations, queries, rules
from .models import CompetencyCoverage

POLL_SECONDS = 15  # the other juror sees the president's move within this delay


@dataclass
class PartsPanel:
    exam_id: int
    planned: list[rules.PlannedPart]
    starts: dict[int, datetime]  # position -> started at (UTC)
    now: datetime
    may_advance: bool  # the president, while the exam runs
    is_president: bool

    @property
    def current(self) -> int | None:
        return max(self.starts) if self.starts else None

    @property
    def version(self) -> str:
        """Changes when the panel's markup would (besides the clock): the poll's 204 otherwise."""
        return f"{'' if self.current is None else self.current}-{int(self.may_advance)}"

    @property
    def current_part(self) -> rules.PlannedPart | None:
        return None if self.current is None else self.planned[self.current]

    @property
    def next_part(self) -> rules.PlannedPart | None:
        following = 0 if self.current is None else self.current + 1
        return self.planned[following] if following < len(self.planned) else None

    @property
    def elapsed(self) -> int:
        """Seconds since the current part started."""
        return rules.elapsed_seconds(self.starts.get(self.current), self.now)

    @property
    def over(self) -> bool:
        part = self.current_part
        return part is not None and self.elapsed > part.minutes * 60


def parts_panel(user, access: ExamAccess, now: datetime | None = None) -> PartsPanel | None:
    """None when the referential declares no parts."""
    declared = queries.declared_parts(access.referential_id)
    if not declared:
        return None
    planned = rules.plan(declared, access.exam.candidate.extra_minutes or 0)
    return PartsPanel(access.exam.id, planned, queries.part_starts(access.exam.id), now or utcnow(),
                      operations.advance_refusal(access, user) is None, access.is_president(user))


@dataclass
class CoverageMarks:
    """The jury's coverage marks of one exam, and whether this juror may set them now."""

    exam_id: int
    marks: dict[str, CompetencyCoverage] = field(default_factory=dict)
    editable: bool = False

    def of(self, code: str) -> tuple[bool | None, bool | None]:
        row = self.marks.get(code)
        return (None, None) if row is None else (row.covered_by_project, row.evaluated_in_interview)


def coverage_marks(access: ExamAccess) -> CoverageMarks:
    return CoverageMarks(access.exam.id, queries.coverage_of(access.exam.id),
                         operations.coverage_refusal(access) is None)


def poll_seconds() -> int:
    return current_app.config.get("PARTS_POLL_SECONDS", POLL_SECONDS)


def grid_context(user, access: ExamAccess) -> dict:
    """What the grid page adds for the parts and the coverage (its includes read these)."""
    return dict(exam_parts=parts_panel(user, access), coverage=coverage_marks(access),
                parts_poll_seconds=poll_seconds())
