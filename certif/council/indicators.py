"""Quality indicators per session and per certification (issue 5, point 5).

Two parts:

* a PURE part: plain records in (sessions, exams, anomaly counts, conditions sheets,
  verified actions), rows out (`build`), and the CSV text (`to_csv`). No Flask, no
  database: every figure is tested on hand-made records.
* a QUERY part (`load`): reads those records in a fixed number of queries whatever the
  number of sessions, each restricted to the same filtered set of sessions.

Definitions (the page says them too):
- registered ("inscrits"): the session's exams not moved to another session;
- present ("présents"): registered, not absent, and who actually sat: the jury checked
  their identity (an IdentityCheck) or the exam has a decision; a candidate merely
  convened (scheduled, no check yet) is not present;
- decided: present with a closed deliberation and a decision; admitted: decided favourably;
- pass rate: admitted ÷ decided, in %, the figure published for Qualiopi indicator 3;
- retakes: registered exams that retake a failed attempt;
- conditions not respected: handed conditions sheets (annex 4) with a breach, and how many
  conditions they mark not respected;
- delay: days from adoption to verification of the verified actions adopted on the
  session's sheets (anomaly sheets, or conditions sheets of its juries). Actions adopted at
  a meeting without a sheet belong to no session: they count in the total only (decision),
  those of the meetings held in the period (and, with a certification chosen, dealing with
  one of its sessions).
- anomalies per session: a certification's anomaly sheets ÷ its sessions HELD (session
  day ≤ today, Paris); sessions still to come are shown but do not dilute the figure.
Cancelled sessions are left out.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Integer, case, cast, func, null, select, union_all

from ..errors import InvalidInput
from ..examday.models import ConditionAnswer, ConditionsSheet, IdentityCheck
from ..extensions import db
from ..grading.rules import FAVORABLE
from ..referentials.models import Referential
from ..sessions import exceptions
from ..sessions.models import CANCELLED, CLOSED, MOVED, SCHEDULED, Exam, ExamSession, Jury
from ..timeutil import paris_to_utc, to_paris
from .models import VERIFIED, AnomalySheet, CorrectiveAction, CouncilMeeting, CouncilReview

NONE_SHOWN = "—"
MIN_YEAR, MAX_YEAR = 2000, 2100  # the period filter's bounds  # what the page shows for a figure without data
_TENTH = Decimal("0.1")
_SECONDS_PER_DAY = Decimal(86400)


# ---------------------------------------------------------------------------------------
# Pure part: records in, rows out
# ---------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class Filters:
    certification: str | None = None
    start: date | None = None
    end: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.certification or self.start or self.end)


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

    @property
    def pass_rate(self) -> Decimal | None:
        """Admitted ÷ present with a decision, in % (Qualiopi indicator 3)."""
        return ratio(self.admitted, self.decided, 100)

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
class Indicators:
    sessions: tuple[SessionRow, ...]
    certifications: tuple[CertificationRow, ...]
    total: CertificationRow
    filters: Filters = field(default_factory=Filters)


def exam_figures(exams: Iterable[ExamRecord]) -> Figures:
    registered = present = decided = admitted = retakes = 0
    for exam in exams:
        if exam.status == MOVED:
            continue  # counted in the session it moved to
        registered += 1
        retakes += exam.retake
        if exam.status != SCHEDULED or not (exam.sat or exam.decision):
            continue  # absent, or convened but not (yet) seen by the jury
        present += 1
        if exam.phase == CLOSED and exam.decision:
            decided += 1
            admitted += exam.decision == FAVORABLE
    return Figures(registered=registered, present=present, decided=decided, admitted=admitted,
                   retakes=retakes)


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
          actions: Iterable[ActionRecord], filters: Filters = Filters(),
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
    return Indicators(session_rows, certification_rows, total, filters)


def _sum(figures: Iterable[Figures]) -> Figures:
    result = Figures()
    for f in figures:
        result = result + f
    return result


# ---------------------------------------------------------------------------------------
# Display and CSV (pure)
# ---------------------------------------------------------------------------------------

def decimal_fr(value: Decimal | int | None, empty: str = NONE_SHOWN) -> str:
    """12,5 (decimal comma); `empty` when there is no figure."""
    if value is None:
        return empty
    return str(value).replace(".", ",")


def percent_fr(value: Decimal | None) -> str:
    return NONE_SHOWN if value is None else f"{decimal_fr(value)}\u00a0%"


def days_fr(value: Decimal | None) -> str:
    if value is None:
        return NONE_SHOWN
    return f"{decimal_fr(value)}\u00a0jour{'s' if value >= 2 else ''}"


def parse_day(text: str | None, what: str) -> date | None:
    """A date typed in a filter: AAAA-MM-JJ (what a date input sends) or JJ/MM/AAAA."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        # Far years overflow once turned into UTC bounds (0001-01-01, 9999-12-31).
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise InvalidInput(f"{what} invalide : « {text[:40]} ». Choisissez une année entre "
                               f"{MIN_YEAR} et {MAX_YEAR}.")
        return day
    raise InvalidInput(f"{what} invalide : « {text[:40]} ». Saisissez une date au format "
                       "JJ/MM/AAAA (par exemple 01/12/2026).")


def parse_filters(args: Mapping[str, str]) -> Filters:
    """The filters from the query string (certification, du, au); French 400 when bad."""
    start = parse_day(args.get("du"), "Date de début")
    end = parse_day(args.get("au"), "Date de fin")
    if start and end and start > end:
        raise InvalidInput("La date de début de la période est postérieure à sa date de fin.")
    certification = (args.get("certification") or "").strip() or None
    return Filters(certification, start, end)


CSV_HEADERS = (
    "Ligne", "Certification", "Intitulé", "Session", "Date de la session", "Nombre de sessions",
    "Candidats inscrits", "Candidats présents", "Décisions rendues", "Admis",
    "Taux de réussite (%)", "Rattrapages", "Fiches anomalie", "Anomalies par session tenue",
    "Fiches conditions avec manquement", "Conditions non respectées", "Actions vérifiées",
    "Délai moyen adoption → vérification (jours)",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """A text cell Excel will not run as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _figure_cells(f: Figures) -> list[str]:
    return [str(f.registered), str(f.present), str(f.decided), str(f.admitted),
            decimal_fr(f.pass_rate, ""), str(f.retakes)]


def _quality_cells(f: Figures, per_session: str) -> list[str]:
    return [str(f.anomalies), per_session, str(f.breach_sheets), str(f.breaches),
            str(f.verified_actions), decimal_fr(f.average_delay_days, "")]


def csv_rows(indicators: Indicators) -> list[list[str]]:
    """Header, one row per session, one per certification, the total. Empty cell: no figure."""
    rows = [list(CSV_HEADERS)]
    for s in indicators.sessions:
        rows.append(["Session", _cell(s.code), _cell(s.title), _cell(s.number),
                     s.day.strftime("%d/%m/%Y"), ""]
                    + _figure_cells(s.figures) + _quality_cells(s.figures, ""))
    for c in (*indicators.certifications, indicators.total):
        is_total = c.code is None
        rows.append(["Total" if is_total else "Certification",
                     "Toutes" if is_total else _cell(c.code), _cell(c.title), "", "",
                     str(c.sessions)]
                    + _figure_cells(c.figures)
                    + _quality_cells(c.figures, decimal_fr(c.anomalies_per_session, "")))
    return rows


def to_csv(indicators: Indicators) -> str:
    """The CSV text for Excel (France): `;` separator, decimal comma (encode it utf-8-sig)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv_rows(indicators))
    return out.getvalue()


def csv_filename(today: date) -> str:
    return f"indicateurs-{today.isoformat()}.csv"


# ---------------------------------------------------------------------------------------
# Query part: plain records in a fixed number of queries
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Certification:
    code: str
    title: str


def certifications() -> list[Certification]:
    """Every certification (referential code) with the title of its newest version: 1 query."""
    rows = db.session.execute(
        select(Referential.code, Referential.title).order_by(Referential.code, Referential.version))
    titles = {code: title for code, title in rows}
    return [Certification(code, title) for code, title in titles.items()]


def _session_conditions(filters: Filters) -> list:
    conditions = [ExamSession.status != CANCELLED]
    if filters.certification:
        conditions.append(ExamSession.referential_id.in_(
            select(Referential.id).where(Referential.code == filters.certification).scalar_subquery()))
    if filters.start:
        conditions.append(ExamSession.starts_at >= paris_to_utc(filters.start, time(0)))
    if filters.end:
        conditions.append(ExamSession.starts_at < paris_to_utc(filters.end + timedelta(days=1), time(0)))
    return conditions


def _meeting_conditions(filters: Filters) -> list:
    """Meetings whose sheet-less actions count in the total: held in the period and, with a
    certification chosen, dealing with one of its (not cancelled) sessions."""
    conditions = []
    if filters.start:
        conditions.append(CouncilMeeting.held_on >= filters.start)
    if filters.end:
        conditions.append(CouncilMeeting.held_on <= filters.end)
    if filters.certification:
        conditions.append(CouncilMeeting.sessions.any(db.and_(
            ExamSession.status != CANCELLED,
            ExamSession.referential.has(Referential.code == filters.certification))))
    return conditions


def load(filters: Filters = Filters(), today: date | None = None) -> Indicators:
    """The indicators of the sessions matching `filters`: 5 queries, whatever their number.
    `today` (Paris; by default the real one) tells the sessions held from those to come."""
    today = today or exceptions.paris_today()

    session_ids = select(ExamSession.id).where(*_session_conditions(filters)).scalar_subquery()

    sessions = [
        SessionRecord(id_, number, to_paris(starts_at).date(), code, title, version)
        for id_, number, starts_at, code, title, version in db.session.execute(
            select(ExamSession.id, ExamSession.number, ExamSession.starts_at, Referential.code,
                      Referential.title, Referential.version)
            .join(Referential, Referential.id == ExamSession.referential_id)
            .where(*_session_conditions(filters)))]

    # "Sat": the jury checked the candidate's identity (one IdentityCheck per exam at most).
    exams = [
        ExamRecord(session_id, status, phase, decision, retake_of_id is not None, check_id is not None)
        for session_id, status, phase, decision, retake_of_id, check_id in db.session.execute(
            select(Jury.session_id, Exam.status, Exam.phase, Exam.decision, Exam.retake_of_id,
                   IdentityCheck.id)
            .join(Jury, Jury.id == Exam.jury_id)
            .outerjoin(IdentityCheck, IdentityCheck.exam_id == Exam.id)
            .where(Jury.session_id.in_(session_ids)))]

    anomaly_counts = dict(db.session.execute(
        select(AnomalySheet.session_id, func.count(AnomalySheet.id))
        .where(AnomalySheet.session_id.in_(session_ids))
        .group_by(AnomalySheet.session_id)).all())

    not_respected = func.coalesce(func.sum(case((ConditionAnswer.respected.is_(False), 1),
                                                         else_=0)), 0)
    conditions = [
        ConditionsRecord(session_id, int(count))
        for _, session_id, count in db.session.execute(
            select(ConditionsSheet.id, Jury.session_id, not_respected)
            .join(Jury, Jury.id == ConditionsSheet.jury_id)
            .outerjoin(ConditionAnswer, ConditionAnswer.sheet_id == ConditionsSheet.id)
            .where(Jury.session_id.in_(session_ids), ConditionsSheet.handed_at.is_not(None),
                   ConditionsSheet.has_breach.is_(True))
            .group_by(ConditionsSheet.id, Jury.session_id))]

    # Verified actions reach their session through the sheet the council reviewed.
    verified = (CorrectiveAction.status == VERIFIED, CorrectiveAction.adopted_at.is_not(None),
                CorrectiveAction.verified_at.is_not(None))
    via_anomaly = (
        select(AnomalySheet.session_id.label("session_id"), CorrectiveAction.adopted_at,
                  CorrectiveAction.verified_at)
        .join(CouncilReview, CouncilReview.id == CorrectiveAction.review_id)
        .join(AnomalySheet, AnomalySheet.id == CouncilReview.anomaly_sheet_id)
        .where(*verified, AnomalySheet.session_id.in_(session_ids)))
    via_conditions = (
        select(Jury.session_id.label("session_id"), CorrectiveAction.adopted_at,
                  CorrectiveAction.verified_at)
        .join(CouncilReview, CouncilReview.id == CorrectiveAction.review_id)
        .join(ConditionsSheet, ConditionsSheet.id == CouncilReview.conditions_sheet_id)
        .join(Jury, Jury.id == ConditionsSheet.jury_id)
        .where(*verified, Jury.session_id.in_(session_ids)))
    via_meeting_only = (
        select(cast(null(), Integer).label("session_id"), CorrectiveAction.adopted_at,
               CorrectiveAction.verified_at)
        .join(CouncilMeeting, CouncilMeeting.id == CorrectiveAction.meeting_id)
        .where(*verified, CorrectiveAction.review_id.is_(None), *_meeting_conditions(filters)))
    actions = [ActionRecord(session_id, adopted_at, verified_at)
               for session_id, adopted_at, verified_at
               in db.session.execute(union_all(via_anomaly, via_conditions, via_meeting_only))]

    return build(sessions, exams, anomaly_counts, conditions, actions, filters, today)


def indicators_for(filters: Filters) -> tuple[Indicators, list[Certification]]:
    """The indicators and the certifications to filter on; an unknown certification → 400."""
    known = certifications()
    if filters.certification and filters.certification not in {c.code for c in known}:
        raise InvalidInput(f"Certification inconnue : « {filters.certification[:40]} ».")
    return load(filters), known
