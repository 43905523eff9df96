"""What the council's opinion holds: whether the draft is complete, its signature, the content a
member signs, and the actions listed under it as signed (with those adopted afterwards)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from ...signatures.models import COUNCIL_OPINION, Signature
from ...signatures.services import signatures_of
from .. import rules
from ..models import CorrectiveAction, CouncilReview
from .sheets import ANOMALY, review_kind, review_sheet_id, session_of


def opinion_complete(review: CouncilReview) -> bool:
    return bool(review.opinion_date and review.commission_number and review.opinion)


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
