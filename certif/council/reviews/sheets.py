"""A sheet the council reviews and its `CouncilReview`: the two kinds, the lookups (the review
created on the council's first write), the status the inbox shows, and how a sheet is named."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ...database import get_row
from ...errors import Conflict, NotFound
from ...examday.conditions.rules import condition_label
from ...examday.models import ConditionsSheet
from ...extensions import db
from ...sessions.models import ExamSession, Jury
from ...timeutil import french_date
from ..models import AnomalySheet, CouncilReview

# The two kinds of sheet, as named in URLs ("anomalie", "conditions").
ANOMALY = "anomaly"
CONDITIONS_KIND = "conditions"
KIND_SLUGS = {"anomalie": ANOMALY, "conditions": CONDITIONS_KIND}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}
KIND_LABELS = {ANOMALY: "Fiche anomalie", CONDITIONS_KIND: "Conditions d'examen non respectées"}
REVIEW_ENDPOINTS = {ANOMALY: "council.review_anomaly", CONDITIONS_KIND: "council.review_conditions"}

# A sheet's status in the inbox, derived from its review.
TO_EXAMINE = "a-examiner"
ACTIONS_OPEN = "actions-en-cours"
CLOSED = "cloturee"
STATUSES = {TO_EXAMINE: "À examiner", ACTIONS_OPEN: "Actions en cours", CLOSED: "Clôturée"}

MSG_NO_SHEET = "Fiche introuvable."
MSG_CLOSED = "La fiche est clôturée : elle n'accepte plus de modification."
MSG_OPENED_MEANWHILE = "Un autre membre du conseil vient d'ouvrir cette fiche : rechargez la page."


def kind_of_slug(slug: str) -> str:
    try:
        return KIND_SLUGS[slug]
    except KeyError:
        raise NotFound(MSG_NO_SHEET) from None


def get_sheet(kind: str, sheet_id: int):
    """The anomaly sheet, or the handed conditions sheet in breach; 404 otherwise."""
    if kind == ANOMALY:
        sheet = db.session.get(AnomalySheet, sheet_id)
    elif kind == CONDITIONS_KIND:
        sheet = db.session.get(ConditionsSheet, sheet_id)
        if sheet is not None and not (sheet.has_breach and sheet.handed_at is not None):
            sheet = None  # not the council's business
    else:
        sheet = None
    if sheet is None:
        raise NotFound(MSG_NO_SHEET)
    return sheet


def find_review(kind: str, sheet_id: int, *, lock: bool = False) -> CouncilReview | None:
    column = CouncilReview.anomaly_sheet_id if kind == ANOMALY else CouncilReview.conditions_sheet_id
    query = db.select(CouncilReview).where(column == sheet_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def review_for_write(kind: str, sheet_id: int) -> CouncilReview:
    """Inside a write transaction: the sheet's review, locked, created on the first write."""
    get_sheet(kind, sheet_id)
    review = find_review(kind, sheet_id, lock=True)
    if review is not None:
        return review
    review = CouncilReview(anomaly_sheet_id=sheet_id if kind == ANOMALY else None,
                           conditions_sheet_id=sheet_id if kind == CONDITIONS_KIND else None)
    db.session.add(review)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # created meanwhile by another member (PostgreSQL)
        raise Conflict(MSG_OPENED_MEANWHILE) from None
    return review


def get_review(review_id: int, *, lock: bool = False) -> CouncilReview:
    return get_row(CouncilReview, review_id, MSG_NO_SHEET, lock=lock)


def review_kind(review: CouncilReview) -> str:
    return ANOMALY if review.anomaly_sheet_id else CONDITIONS_KIND


def review_sheet_id(review: CouncilReview) -> int:
    return review.anomaly_sheet_id or review.conditions_sheet_id


def status_of(review: CouncilReview | None) -> str:
    if review is None or review.opinion_signed_at is None:
        return TO_EXAMINE
    return CLOSED if review.closed_at is not None else ACTIONS_OPEN


def require_open(review: CouncilReview | None) -> None:
    """409 once the review is closed: no new action, no change."""
    if review is not None and review.closed_at is not None:
        raise Conflict(MSG_CLOSED)


def session_of(kind: str, sheet) -> ExamSession:
    return sheet.session if kind == ANOMALY else sheet.jury.session


def sheet_name(kind: str, sheet) -> str:
    """How a sheet is told apart wherever it is listed: "Fiche anomalie n° 12 — Emma GARNIER"
    (its number and who filed it), "Conditions d'examen — Jury 1, 1er décembre 2026"."""
    if kind == ANOMALY:
        return f"Fiche anomalie n° {sheet.id} — {sheet.observed_by}"
    return f"Conditions d'examen — {sheet.jury.label}, {french_date(sheet.day)}"


def sheet_title(review: CouncilReview) -> str:
    """"Fiche anomalie n° 12 — Emma GARNIER, session n° S-1": how an action names the sheet it
    comes from."""
    kind = review_kind(review)
    sheet = review.anomaly_sheet if kind == ANOMALY else review.conditions_sheet
    return f"{sheet_name(kind, sheet)}, session n° {session_of(kind, sheet).number}"


def breached_labels(sheet: ConditionsSheet) -> list[str]:
    return [condition_label(a.position) for a in sheet.answers if not a.respected]


def jury_label(jury: Jury) -> str:
    names = ", ".join(m.juror.full_name for m in jury.members)
    return f"{jury.label} : {names}" if names else jury.label


class SheetFacts:
    """What the inbox and the review page say alike about a sheet (`kind`, `sheet`, `review`)."""

    @property
    def status(self) -> str:
        return status_of(self.review)

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def name(self) -> str:
        return sheet_name(self.kind, self.sheet)
