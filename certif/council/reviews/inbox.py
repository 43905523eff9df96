"""The council's inbox: every sheet addressed to it, its status and the inbox's filters."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ...errors import InvalidInput
from ...examday.models import ConditionsSheet
from ...extensions import db
from ...sessions.models import ExamSession, Jury, JuryMember
from ..models import AnomalySheet, CouncilReview
from .sheets import (
    ANOMALY,
    CONDITIONS_KIND,
    REVIEW_ENDPOINTS,
    STATUSES,
    SheetFacts,
    breached_labels,
    jury_label,
)


@dataclass
class InboxRow(SheetFacts):
    kind: str
    sheet: object
    review: CouncilReview | None
    at: datetime  # filed (anomaly) or handed (conditions), UTC
    session: ExamSession
    who: str
    what: list[str]

    @property
    def exam_day(self) -> date:
        """The day of the exam the sheet is about (`at` is when it was filed or handed)."""
        return self.sheet.observed_on if self.kind == ANOMALY else self.sheet.day

    @property
    def endpoint(self) -> str:
        return REVIEW_ENDPOINTS[self.kind]


@dataclass(frozen=True)
class InboxFilters:
    session_id: int | None = None
    status: str | None = None

    @property
    def active(self) -> bool:
        return self.session_id is not None or self.status is not None


def parse_filters(args) -> InboxFilters:
    """The inbox's filters from the query string; 400 (French) on a value that is not one."""
    session_raw = (args.get("session") or "").strip()
    status = (args.get("statut") or "").strip() or None
    session_id = None
    if session_raw:
        if not session_raw.isdigit() or not 1 <= int(session_raw) <= 2**31 - 1 \
                or db.session.get(ExamSession, int(session_raw)) is None:
            raise InvalidInput("Filtre invalide : session inconnue.")
        session_id = int(session_raw)
    if status is not None and status not in STATUSES:
        raise InvalidInput("Filtre invalide : statut inconnu (à examiner, actions en cours ou clôturée).")
    return InboxFilters(session_id, status)


def inbox_rows() -> list[InboxRow]:
    """Every anomaly sheet and every handed conditions sheet in breach, newest first
    (a fixed number of queries)."""
    anomalies = db.session.scalars(
        db.select(AnomalySheet).options(db.joinedload(AnomalySheet.session),
                                        db.joinedload(AnomalySheet.review))).unique().all()
    breaches = db.session.scalars(
        db.select(ConditionsSheet)
        .where(ConditionsSheet.has_breach.is_(True), ConditionsSheet.handed_at.is_not(None))
        .options(db.joinedload(ConditionsSheet.jury).joinedload(Jury.session),
                 db.joinedload(ConditionsSheet.jury).selectinload(Jury.members)
                 .joinedload(JuryMember.juror))).unique().all()
    reviews = {r.conditions_sheet_id: r for r in db.session.scalars(
        db.select(CouncilReview).where(CouncilReview.conditions_sheet_id.in_([s.id for s in breaches])))
    } if breaches else {}
    rows = [InboxRow(ANOMALY, s, s.review, s.filed_at, s.session, s.observed_by, [s.type_label])
            for s in anomalies]
    rows += [InboxRow(CONDITIONS_KIND, s, reviews.get(s.id), s.handed_at, s.jury.session,
                      jury_label(s.jury), breached_labels(s)) for s in breaches]
    return sorted(rows, key=lambda row: (row.at, row.kind == ANOMALY, row.sheet.id), reverse=True)


def filter_rows(rows: list[InboxRow], filters: InboxFilters) -> list[InboxRow]:
    return [row for row in rows
            if (filters.session_id is None or row.session.id == filters.session_id)
            and (filters.status is None or row.status == filters.status)]


def sessions_of(rows: list[InboxRow]) -> list[ExamSession]:
    """The sessions the inbox's sheets are about, most recent first (the filter's choices)."""
    sessions = {row.session.id: row.session for row in rows}
    return sorted(sessions.values(), key=lambda s: s.starts_at, reverse=True)
