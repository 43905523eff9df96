"""The council's writes on a review: the draft opinion (with its checks and the next commission
number), its signature, and the closing; each in a write transaction with its audit entry."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ... import timeutil
from ...audit.services import record
from ...database import write_transaction
from ...errors import Conflict, InvalidInput
from ...extensions import db
from ...signatures.models import COUNCIL_OPINION
from ...signatures.rules import Mark
from ...signatures.services import add_signature, require_seen, signature_by_key, user_key
from ...timeutil import utcnow
from .. import rules
from ..checks import MAX_TEXT, MSG_TEXT_LONG, clean_text, require_council
from ..models import CouncilReview
from .opinion import opinion_complete, opinion_content
from .sheets import find_review, get_sheet, require_open, review_for_write

MAX_COMMISSION = 40

MSG_SIGNED = "L'avis du comité de pilotage est signé : il ne peut plus être modifié."
MSG_ALREADY_CLOSED = "La fiche est déjà clôturée."
MSG_DATE_REQUIRED = "Indiquez la date de l'avis."
MSG_DATE_FUTURE = "La date de l'avis ne peut pas être postérieure à aujourd'hui."
MSG_COMMISSION_REQUIRED = "Indiquez le numéro de la commission."
MSG_COMMISSION_LONG = f"Le numéro de commission ne doit pas dépasser {MAX_COMMISSION} caractères."
MSG_NOT_READY = ("Enregistrez d'abord l'avis (date, numéro de commission et texte de l'avis) : "
                 "il se signe une fois complet.")
MSG_TEXT_REQUIRED = ("Le texte de l'avis est vide : rédigez l'avis et enregistrez-le avant de le "
                     "signer (un brouillon peut rester sans texte, pas un avis signé).")


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
    today = today or timeutil.paris_today()
    last = db.session.scalar(
        db.select(CouncilReview.commission_number)
        .where(CouncilReview.commission_number.is_not(None))
        .order_by(CouncilReview.updated_at.desc(), CouncilReview.id.desc()).limit(1))
    return next_commission_number(last, today.year)


def save_opinion(actor, kind: str, sheet_id: int, fields: OpinionFields) -> CouncilReview:
    """Record (or change) the draft opinion; 409 once signed or closed."""
    require_council(actor)
    problems = opinion_problems(fields, timeutil.paris_today())
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
