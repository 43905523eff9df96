"""The indicators' pure part: plain records in (sessions, exams, anomaly counts, conditions
sheets, verified actions), rows out (`build`). No Flask, no database.

Definitions (the page says them too):
- registered ("inscrits"): the session's exams not moved to another session;
- present ("présents"): registered, not absent, and who actually sat: the jury checked
  their identity (an IdentityCheck) or the exam has a decision; a candidate merely
  convened (scheduled, no check yet) is not present;
- decided: present with a closed deliberation and a decision; admitted: decided favourably;
- pass rate: admitted ÷ decided, in %, the figure published for Qualiopi indicator 3;
- retakes: registered exams that retake a failed attempt; their success: retakes admitted ÷
  retakes decided, in %;
- blocks validated (RNCP): the blocks the decided attempts validated (block validations not
  revoked; a block kept from an earlier attempt counts once, at the attempt that validated it);
- per year: a certification's sessions of one calendar year (Paris day of the session), the
  rows that the public results page shows (`publication`);
- conditions not respected: handed conditions sheets (annex 4) with a breach, and how many
  conditions they mark not respected;
- delay: days from adoption to verification of the verified actions adopted on the
  session's sheets (anomaly sheets, or conditions sheets of its juries). Actions adopted at
  a meeting without a sheet belong to no session: they count in the total only (decision),
  those of the meetings held in the period (and, with a certification chosen, dealing with
  one of its sessions).
- anomalies per session: a certification's anomaly sheets ÷ its sessions HELD (session
  day ≤ today, Paris); sessions still to come are shown but do not dilute the figure.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from ...grading.rules import FAVORABLE
from ...sessions.models import CLOSED, MOVED, SCHEDULED
from .filters import NO_FILTERS, Filters

_TENTH = Decimal("0.1")
_SECONDS_PER_DAY = Decimal(86400)


@dataclass(frozen=True)
class SessionRecord:
    id: int
    number: str
    day: date  # Paris day of the session's start
    code: str  # referential code: the certification
    title: str
    version: int = 1


@dataclass(frozen=True)
class ExamRecord:
    session_id: int
    status: str
    phase: str = "grading"
    decision: str | None = None
    retake: bool = False
    sat: bool = False  # the jury checked the candidate's identity (IdentityCheck)
    blocks: int = 0  # blocks this attempt validated (block validations not revoked)

    @property
    def is_active(self) -> bool:
        """As `Exam.is_active`: not absent, not moved elsewhere."""
        return self.status == SCHEDULED


@dataclass(frozen=True)
class ConditionsRecord:
    """A handed conditions sheet with a breach; `not_respected`: its conditions marked so."""
    session_id: int
    not_respected: int


@dataclass(frozen=True)
class ActionRecord:
    """A verified corrective action adopted on one of the session's sheets; session_id None:
    adopted at a meeting without a sheet (counted in the total only)."""
    session_id: int | None
    adopted_at: datetime
    verified_at: datetime


def ratio(numerator: int | Decimal, denominator: int | Decimal, scale: int = 1) -> Decimal | None:
    """numerator × scale ÷ denominator rounded half-up to one decimal; None when nothing to divide."""
    if not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    registered: int = 0
    present: int = 0
    decided: int = 0
    admitted: int = 0
    retakes: int = 0
    anomalies: int = 0
    breach_sheets: int = 0
    breaches: int = 0
    verified_actions: int = 0
    delay_seconds: int = 0  # summed over the verified actions, to average at any level
    blocks_validated: int = 0
    retakes_decided: int = 0
    retakes_admitted: int = 0

    @property
    def pass_rate(self) -> Decimal | None:
        """Admitted ÷ present with a decision, in % (Qualiopi indicator 3)."""
        return ratio(self.admitted, self.decided, 100)

    @property
    def retake_success_rate(self) -> Decimal | None:
        """Retakes admitted ÷ retakes with a decision, in %."""
        return ratio(self.retakes_admitted, self.retakes_decided, 100)

    @property
    def average_delay_days(self) -> Decimal | None:
        if not self.verified_actions:
            return None
        return ratio(Decimal(self.delay_seconds) / _SECONDS_PER_DAY, self.verified_actions)

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(a + b for a, b in zip(_values(self), _values(other), strict=True)))


def _values(figures: Figures) -> tuple[int, ...]:
    return tuple(getattr(figures, name) for name in Figures.__dataclass_fields__)


@dataclass(frozen=True)
class SessionRow:
    session_id: int
    number: str
    day: date
    code: str
    title: str
    figures: Figures


@dataclass(frozen=True)
class CertificationRow:
    """One certification (all versions of a referential code), or the total when code is None."""
    code: str | None
    title: str
    sessions: int
    figures: Figures
    held: int | None = None  # sessions already held (day ≤ today); None: all of them

    @property
    def anomalies_per_session(self) -> Decimal | None:
        """Anomaly sheets ÷ sessions held: a session to come has had no chance of one."""
        return ratio(self.figures.anomalies, self.sessions if self.held is None else self.held)


@dataclass(frozen=True)
class YearRow:
    """A certification's sessions of one calendar year. `first_day`/`last_day`: the period
    of the sessions with a decision (the ones behind the pass rate), None when none has one."""
    code: str
    title: str
    year: int
    sessions: int
    figures: Figures
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True)
class Indicators:
    sessions: tuple[SessionRow, ...]
    certifications: tuple[CertificationRow, ...]
    total: CertificationRow
    filters: Filters = field(default_factory=Filters)
    years: tuple[YearRow, ...] = ()


def exam_figures(exams: Iterable[ExamRecord]) -> Figures:
    registered = present = decided = admitted = retakes = blocks = 0
    retakes_decided = retakes_admitted = 0
    for exam in exams:
        if exam.status == MOVED:
            continue  # counted in the session it moved to
        registered += 1
        retakes += exam.retake
        if not exam.is_active or not (exam.sat or exam.decision):
            continue  # absent, or convened but not (yet) seen by the jury
        present += 1
        if exam.phase == CLOSED and exam.decision:
            decided += 1
            admitted += exam.decision == FAVORABLE
            blocks += exam.blocks
            retakes_decided += exam.retake
            retakes_admitted += exam.retake and exam.decision == FAVORABLE
    return Figures(registered=registered, present=present, decided=decided, admitted=admitted,
                   retakes=retakes, blocks_validated=blocks, retakes_decided=retakes_decided,
                   retakes_admitted=retakes_admitted)


def session_figures(exams: Iterable[ExamRecord], anomalies: int,
                    conditions: Iterable[ConditionsRecord],
                    actions: Iterable[ActionRecord]) -> Figures:
    conditions, actions = list(conditions), list(actions)
    delays = [int((a.verified_at - a.adopted_at).total_seconds()) for a in actions]
    return exam_figures(exams) + Figures(
        anomalies=anomalies, breach_sheets=len(conditions),
        breaches=sum(c.not_respected for c in conditions),
        verified_actions=len(delays), delay_seconds=sum(delays))


def _by_session(records: Iterable) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for record in records:
        grouped[record.session_id].append(record)
    return grouped


def build(sessions: Sequence[SessionRecord], exams: Iterable[ExamRecord],
          anomaly_counts: Mapping[int, int], conditions: Iterable[ConditionsRecord],
          actions: Iterable[ActionRecord], filters: Filters = NO_FILTERS,
          today: date | None = None) -> Indicators:
    """The rows: one per session (by date), one per certification (by code), the total.

    Records of sessions not in `sessions` (cancelled, filtered out) are ignored; actions of
    no session (session_id None) count in the total only. Anomalies per session divide by
    the sessions held by `today` (every session when None)."""
    exams_of, conditions_of, actions_of = _by_session(exams), _by_session(conditions), _by_session(actions)
    ordered = sorted(sessions, key=lambda s: (s.day, s.number))
    session_rows = tuple(
        SessionRow(s.id, s.number, s.day, s.code, s.title,
                   session_figures(exams_of[s.id], anomaly_counts.get(s.id, 0),
                                   conditions_of[s.id], actions_of[s.id]))
        for s in ordered)

    by_code: dict[str, list[SessionRow]] = defaultdict(list)
    for row in session_rows:
        by_code[row.code].append(row)
    # The title of the newest version of the referential among the sessions shown.
    titles = {}
    for s in sorted(sessions, key=lambda s: s.version):
        titles[s.code] = s.title
    def held(rows) -> int:
        return sum(1 for r in rows if today is None or r.day <= today)

    certification_rows = tuple(
        CertificationRow(code, titles[code], len(rows), _sum(r.figures for r in rows), held(rows))
        for code, rows in sorted(by_code.items()))
    unattached = session_figures((), 0, (), actions_of[None])  # meeting actions without a sheet
    total = CertificationRow(None, "Total", len(session_rows),
                             _sum(r.figures for r in certification_rows) + unattached,
                             held(session_rows))
    return Indicators(session_rows, certification_rows, total, filters, year_rows(session_rows, titles))


def year_rows(session_rows: Sequence[SessionRow], titles: Mapping[str, str]) -> tuple[YearRow, ...]:
    """One row per certification and calendar year, by code then year."""
    by_year: dict[tuple[str, int], list[SessionRow]] = defaultdict(list)
    for row in session_rows:
        by_year[(row.code, row.day.year)].append(row)
    rows = []
    for (code, year), sessions in sorted(by_year.items()):
        decided_days = [s.day for s in sessions if s.figures.decided]
        rows.append(YearRow(code, titles[code], year, len(sessions), _sum(s.figures for s in sessions),
                            min(decided_days, default=None), max(decided_days, default=None)))
    return tuple(rows)


def _sum(figures: Iterable[Figures]) -> Figures:
    result = Figures()
    for f in figures:
        result = result + f
    return result
