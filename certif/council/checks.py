"""The council's two checks on every write: that a council member writes, and that the text
they send is cleaned and bounded (sheets, opinions, actions, meetings)."""
from __future__ import annotations

from ..auth.models import COUNCIL
from ..errors import Forbidden, InvalidInput
from ..text import clean_text as _clean_text

MAX_TEXT = 4000

MSG_COUNCIL_ONLY = "Seuls les membres du conseil de pilotage peuvent modifier l'avis et les actions."
MSG_TEXT_LONG = f"Le texte ne doit pas dépasser {MAX_TEXT} caractères."


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
