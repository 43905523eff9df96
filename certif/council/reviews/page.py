"""The review page's model: a sheet with its review, opinion, actions and what may be done now."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ... import timeutil
from ...examday.conditions.rules import CONDITIONS
from ...sessions.models import ExamSession
from ...signatures.models import Signature
from ...signatures.rules import content_sha256
from .. import rules
from ..models import CorrectiveAction, CouncilReview
from .opinion import opinion_complete, opinion_content, opinion_signature, split_retained
from .sheets import (
    CONDITIONS_KIND,
    REVIEW_ENDPOINTS,
    SLUG_OF,
    SheetFacts,
    find_review,
    get_sheet,
    session_of,
)


@dataclass
class ReviewState(SheetFacts):
    kind: str
    sheet: object
    review: CouncilReview | None
    session: ExamSession
    today: date

    @property
    def slug(self) -> str:
        return SLUG_OF[self.kind]

    @property
    def endpoint(self) -> str:
        """The review page's endpoint (with `sheet_id`): where the page's forms come back to."""
        return REVIEW_ENDPOINTS[self.kind]

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
                       today or timeutil.paris_today())
