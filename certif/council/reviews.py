"""The council's inbox and its review of a sheet: the opinion (draft, then signed) and the
closing (seed 000, II.A–II.B; annex 3's "Avis du comité de pilotage").

Two kinds of sheet reach the council: anomaly sheets (annex 3) and handed exam-conditions
sheets (annex 4) with a condition not respected. A sheet's `CouncilReview` is created by
the council's first write on it. The opinion is a draft until a council member signs it
(a COUNCIL_OPINION signature of the opinion and the actions adopted at that moment): it is
then frozen. The review closes once the opinion is signed and every adopted action is
verified (`rules.close_problem`); a closed review accepts no change.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..auth.models import COUNCIL
from ..database import write_transaction
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..examday.conditions import CONDITIONS, condition_label
from ..examday.models import ConditionsSheet
from ..extensions import db
from ..sessions import exceptions
from ..sessions.models import ExamSession, Jury, JuryMember
from ..signatures.models import COUNCIL_OPINION, Signature
from ..signatures.rules import Mark, content_sha256
from ..signatures.services import add_signature, require_seen, signature_by_key, signatures_of, user_key
from ..text import clean_text as _clean_text
from ..timeutil import french_date, utcnow
from . import rules
from .models import AnomalySheet, CorrectiveAction, CouncilReview

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

MAX_COMMISSION = 40
MAX_TEXT = 4000

MSG_NO_SHEET = "Fiche introuvable."
MSG_COUNCIL_ONLY = "Seuls les membres du conseil de pilotage peuvent modifier l'avis et les actions."
MSG_SIGNED = "L'avis du comité de pilotage est signé : il ne peut plus être modifié."
MSG_CLOSED = "La fiche est clôturée : elle n'accepte plus de modification."
MSG_ALREADY_CLOSED = "La fiche est déjà clôturée."
MSG_DATE_REQUIRED = "Indiquez la date de l'avis."
MSG_DATE_FUTURE = "La date de l'avis ne peut pas être postérieure à aujourd'hui."
MSG_COMMISSION_REQUIRED = "Indiquez le numéro de la commission."
MSG_COMMISSION_LONG = f"Le numéro de commission ne doit pas dépasser {MAX_COMMISSION} caractères."
MSG_TEXT_LONG = f"Le texte ne doit pas dépasser {MAX_TEXT} caractères."
MSG_NOT_READY = ("Enregistrez d'abord l'avis (date, numéro de commission et texte de l'avis) : "
                 "il se signe une fois complet.")
MSG_TEXT_REQUIRED = ("Le texte de l'avis est vide : rédigez l'avis et enregistrez-le avant de le "
                     "signer (un brouillon peut rester sans texte, pas un avis signé).")
MSG_OPENED_MEANWHILE = "Un autre membre du conseil vient d'ouvrir cette fiche : rechargez la page."


def require_council(actor) -> None:
    if actor is None or not actor.has_role(COUNCIL):
        raise Forbidden(MSG_COUNCIL_ONLY)


class TextTooLong(InvalidInput):
    """A text longer than its limit (callers may tie it to their field)."""

    def __init__(self, limit: int):
        super().__init__(f"Le texte ne doit pas dépasser {limit} caractères.")
        self.limit = limit


def clean_text(raw: str | None, limit: int = MAX_TEXT) -> str | None:
    """Trimmed text with "\n" newlines (browsers send CRLF); None when empty; TextTooLong
    when longer than `limit`. The council's one text cleaner (sheets, opinions, meetings)."""
    text = _clean_text(raw, breaks="all")
    if len(text) > limit:
        raise TextTooLong(limit)
    return text or None


# --- Sheets and their status -------------------------------------------------------------

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
    query = db.select(CouncilReview).where(CouncilReview.id == review_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    review = db.session.scalar(query)
    if review is None:
        raise NotFound(MSG_NO_SHEET)
    return review


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


# --- Inbox -------------------------------------------------------------------------------

class _SheetFacts:
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


@dataclass
class InboxRow(_SheetFacts):
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


# --- The review page ---------------------------------------------------------------------

@dataclass
class ReviewState(_SheetFacts):
    kind: str
    sheet: object
    review: CouncilReview | None
    session: ExamSession
    today: date

    @property
    def slug(self) -> str:
        return SLUG_OF[self.kind]

    @property
    def actions(self) -> list[CorrectiveAction]:
        return list(self.review.actions) if self.review else []

    @property
    def signed(self) -> bool:
        return bool(self.review and self.review.opinion_signed_at)

    @property
    def closed(self) -> bool:
        return bool(self.review and self.review.closed_at)

    @property
    def opinion_editable(self) -> bool:
        return not self.signed and not self.closed

    @property
    def ready_to_sign(self) -> bool:
        return self.review is not None and self.opinion_editable and opinion_complete(self.review)

    @cached_property
    def signature(self) -> Signature | None:
        return opinion_signature(self.review) if self.signed else None

    @property
    def retained(self) -> list[CorrectiveAction]:
        return rules.retained(self.actions)

    @cached_property
    def _split(self) -> tuple[list, list]:
        return split_retained(self.review, self.signature)

    @property
    def signed_actions(self) -> list:
        """Under the opinion: the actions it was signed with (the retained ones while a draft)."""
        return self._split[0]

    @property
    def later_actions(self) -> list[CorrectiveAction]:
        """Adopted after the opinion was signed: followed (and blocking closing) all the same."""
        return self._split[1]

    @property
    def content_sha256(self) -> str | None:
        return content_sha256(opinion_content(self.review)) if self.review else None

    @property
    def close_problem(self) -> str | None:
        return rules.close_problem(self.signed, [a.status for a in self.actions])

    @property
    def breached(self) -> set[int]:
        return {a.position for a in self.sheet.answers if not a.respected} \
            if self.kind == CONDITIONS_KIND else set()

    @property
    def conditions(self) -> list[tuple[int, str]]:
        return list(enumerate(CONDITIONS, start=1))


def review_state(kind: str, sheet_id: int, today: date | None = None) -> ReviewState:
    sheet = get_sheet(kind, sheet_id)
    return ReviewState(kind, sheet, find_review(kind, sheet_id), session_of(kind, sheet),
                       today or exceptions.paris_today())


def opinion_complete(review: CouncilReview) -> bool:
    return bool(review.opinion_date and review.commission_number and review.opinion)


# --- The signed opinion and its actions --------------------------------------------------

def opinion_signature(review: CouncilReview | None) -> Signature | None:
    """The COUNCIL_OPINION signature of the review (the one place it is looked up)."""
    if review is None or review.id is None:
        return None
    return next(iter(signatures_of(COUNCIL_OPINION, [review.id])[review.id]), None)


@dataclass(frozen=True)
class SignedAction:
    """An action as the signed opinion lists it (frozen), with the live action for its state."""

    title: str
    owner_name: str
    due_on: date | None
    description: str | None = None
    action: CorrectiveAction | None = None

    @property
    def status_label(self) -> str | None:
        return self.action.status_label if self.action is not None else None

    @classmethod
    def of(cls, action: CorrectiveAction) -> SignedAction:
        return cls(action.title, action.owner_name, action.due_on, action.description, action)


def _signed_list(signature: Signature | None) -> list[dict] | None:
    """The "adopted_actions" of the signed content, or None when it has none to read."""
    if signature is None:
        return None
    try:
        listed = json.loads(signature.content).get("adopted_actions")
    except (ValueError, AttributeError):
        return None
    if not isinstance(listed, list) or not all(isinstance(item, dict) for item in listed):
        return None
    return listed


def _iso_day(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def split_retained(review: CouncilReview | None, signature: Signature | None = None
                   ) -> tuple[list[SignedAction], list[CorrectiveAction]]:
    """(the actions under the opinion, those adopted after its signature).

    A draft opinion lists the actions retained so far. A signed one lists what its signature's
    content lists, as signed; the retained actions it does not list were adopted afterwards.
    A signature without such a list (older records) falls back on the times of adoption."""
    if review is None:
        return [], []
    retained = rules.retained(review.actions)
    if review.opinion_signed_at is None:
        return [SignedAction.of(a) for a in retained], []
    listed = _signed_list(signature)
    if listed is None:
        signed_at = review.opinion_signed_at
        before = [a for a in retained if a.adopted_at is None or a.adopted_at <= signed_at]
        return [SignedAction.of(a) for a in before], [a for a in retained if a not in before]
    live = {a.id: a for a in review.actions}
    signed = []
    for item in listed:
        signed.append(SignedAction(str(item.get("title") or ""), str(item.get("owner") or ""),
                                   _iso_day(item.get("due_on")), item.get("description"),
                                   live.get(item.get("id"))))
    signed_ids = {item.get("id") for item in listed}
    return signed, [a for a in retained if a.id not in signed_ids]


def opinion_content(review: CouncilReview) -> dict:
    """What a council member signs: the opinion and the actions adopted at that moment."""
    kind = review_kind(review)
    sheet = review.anomaly_sheet if kind == ANOMALY else review.conditions_sheet
    return {
        "document": "Avis du comité de pilotage (annexe 3)",
        "sheet": {"kind": kind, "id": review_sheet_id(review),
                  "session": session_of(kind, sheet).number},
        "opinion_date": review.opinion_date.isoformat() if review.opinion_date else None,
        "commission_number": review.commission_number,
        "opinion": review.opinion,
        "adopted_actions": [{"id": a.id, "title": a.title, "description": a.description,
                             "owner": a.owner_name, "due_on": a.due_on.isoformat()}
                            for a in rules.retained(review.actions)],
    }


# --- Opinion -----------------------------------------------------------------------------

@dataclass(frozen=True)
class OpinionFields:
    opinion_date: date | None
    commission_number: str | None
    opinion: str | None


def opinion_problems(fields: OpinionFields, today: date) -> dict[str, str]:
    """Field name -> French message, for the form and for the service alike."""
    problems = {}
    if fields.opinion_date is None:
        problems["opinion_date"] = MSG_DATE_REQUIRED
    elif fields.opinion_date > today:
        problems["opinion_date"] = MSG_DATE_FUTURE
    number = (fields.commission_number or "").strip()
    if not number:
        problems["commission_number"] = MSG_COMMISSION_REQUIRED
    elif len(number) > MAX_COMMISSION or not number.isprintable():
        problems["commission_number"] = MSG_COMMISSION_LONG
    if len(fields.opinion or "") > MAX_TEXT:
        problems["opinion"] = MSG_TEXT_LONG
    return problems


def next_commission_number(last: str | None, year: int) -> str:
    """The number after the last one given: its final digits plus one (same width), or
    "<year>-01" when there is none to follow (e.g. "2026-03" → "2026-04", "7" → "8")."""
    match = re.search(r"(\d+)$", last or "")
    if not match:
        return f"{year}-01"
    digits = match.group(1)
    return last[:match.start()] + str(int(digits) + 1).zfill(len(digits))


def suggest_commission_number(today: date | None = None) -> str:
    today = today or exceptions.paris_today()
    last = db.session.scalar(
        db.select(CouncilReview.commission_number)
        .where(CouncilReview.commission_number.is_not(None))
        .order_by(CouncilReview.updated_at.desc(), CouncilReview.id.desc()).limit(1))
    return next_commission_number(last, today.year)


def save_opinion(actor, kind: str, sheet_id: int, fields: OpinionFields) -> CouncilReview:
    """Record (or change) the draft opinion; 409 once signed or closed."""
    require_council(actor)
    problems = opinion_problems(fields, exceptions.paris_today())
    if problems:
        raise InvalidInput(next(iter(problems.values())))
    with write_transaction():
        review = review_for_write(kind, sheet_id)
        require_open(review)
        if review.opinion_signed_at is not None:
            raise Conflict(MSG_SIGNED)
        old = _opinion_summary(review)
        review.opinion_date = fields.opinion_date
        review.commission_number = fields.commission_number.strip()
        review.opinion = clean_text(fields.opinion)
        review.updated_at = utcnow()
        record(actor, "council.opinion", "council_review", review.id, old, _opinion_summary(review),
               sheet=kind, sheet_id=sheet_id)
    return review


def _opinion_summary(review: CouncilReview) -> str | None:
    if review.commission_number is None:
        return None
    return f"{review.opinion_date.isoformat()} · commission n° {review.commission_number}"


def sign_opinion(actor, kind: str, sheet_id: int, mark: Mark, seen: str | None) -> CouncilReview:
    """A council member signs the opinion their page displayed: it is then frozen."""
    require_council(actor)
    with write_transaction():
        get_sheet(kind, sheet_id)
        review = find_review(kind, sheet_id, lock=True)
        if review is None or not opinion_complete(review):
            require_open(review)
            # A draft may have no text yet; a signed opinion must say something.
            text_only = review is not None and review.opinion_date and review.commission_number
            raise InvalidInput(MSG_TEXT_REQUIRED if text_only else MSG_NOT_READY)
        require_open(review)
        if review.opinion_signed_at is not None \
                or signature_by_key(COUNCIL_OPINION, review.id, user_key(actor)) is not None:
            raise Conflict(MSG_SIGNED)
        content = opinion_content(review)
        require_seen(seen, content)
        signature = add_signature(COUNCIL_OPINION, review.id, signer_key=user_key(actor), role="council",
                                  name=actor.full_name, content=content, mark=mark,
                                  auth_method="login", user=actor)
        review.opinion_signed_at = signature.signed_at
        review.opinion_signed_by_id = actor.id
        review.updated_at = utcnow()
        record(actor, "council.opinion_sign", "council_review", review.id, None,
               signature.content_sha256, sheet=kind, sheet_id=sheet_id, signature_id=signature.id)
    return review


# --- Closing -----------------------------------------------------------------------------

def close(actor, kind: str, sheet_id: int, note: str | None) -> CouncilReview:
    """Close the sheet: 409 while the opinion is unsigned, an adopted action is not verified
    or a proposal is neither adopted nor set aside."""
    require_council(actor)
    note = clean_text(note)
    with write_transaction():
        get_sheet(kind, sheet_id)
        review = find_review(kind, sheet_id, lock=True)
        if review is not None and review.closed_at is not None:
            raise Conflict(MSG_ALREADY_CLOSED)
        statuses = [a.status for a in review.actions] if review else []
        problem = rules.close_problem(bool(review and review.opinion_signed_at), statuses)
        if problem:
            raise Conflict(problem)
        review.closed_at = review.updated_at = utcnow()
        review.closed_by_id = actor.id
        review.closing_note = note
        record(actor, "council.close", "council_review", review.id, None, "closed",
               sheet=kind, sheet_id=sheet_id, note=note)
    return review

