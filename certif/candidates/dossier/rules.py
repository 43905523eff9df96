"""The candidate's file, as rules (pure: no Flask, no database).

Which pieces a candidate must hand in (their pathway, their yes/no answers), when (the
referential's deadline before the session, or the organiser's extension), each piece's state
(présent, en retard, manquant) and the summary's word count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from ...referentials.deliverables import Deliverables, Piece

PRESENT, LATE, MISSING = "present", "late", "missing"
STATES = {PRESENT: "Présent", LATE: "En retard", MISSING: "Manquant"}
YES, NO = "yes", "no"
ANSWERS = {YES: "Oui", NO: "Non"}
MAX_TEXT = 5000
MAX_URL = 500


def due_date(session_day: date, days_before: int) -> date:
    """The last day to hand in: `days_before` days before the session's day (D-10)."""
    return session_day - timedelta(days=days_before)


def last_day(due: date, extended_until: date | None) -> date:
    """The deadline the candidate has: the organiser's extension when it is later."""
    return max(due, extended_until) if extended_until else due


def on_time(submitted_day: date, last: date) -> bool:
    """Handed in on the last day is on time; the day after is late."""
    return submitted_day <= last


_WORD = re.compile(r"\w", re.UNICODE)


def word_count(text: str | None) -> int:
    """Words as a reader counts them: runs of characters between spaces that hold at least
    one letter or digit (« l'entreprise » and « bien-être » are one word, « – » none)."""
    return sum(1 for token in (text or "").split() if _WORD.search(token))


def words_problem(text: str | None, bounds: tuple[int, int]) -> str | None:
    """The French message when the text is out of its bounds, with the count."""
    count = word_count(text)
    low, high = bounds
    if low <= count <= high:
        return None
    noun = "mot" if count <= 1 else "mots"
    return f"Le résumé compte {count} {noun} : il en faut entre {low} et {high}."


def url_problem(value: str | None) -> str | None:
    url = (value or "").strip()
    if not url:
        return "Indiquez le lien (adresse commençant par https:// ou http://)."
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
        return "Le lien doit être une adresse web commençant par https:// ou http://."
    if len(url) > MAX_URL:
        return f"Le lien ne doit pas dépasser {MAX_URL} caractères."
    return None


def minutes_problem(minutes: int | None, max_minutes: int) -> str | None:
    if minutes is None or minutes < 1:
        return "Indiquez la durée de la vidéo, en minutes (nombre entier)."
    if minutes > max_minutes:
        return (f"La vidéo dure {minutes} minutes : elle ne doit pas dépasser "
                f"{max_minutes} minutes.")
    return None


def answers_of(values: dict[str, str | None]) -> dict[str, bool]:
    """The yes/no answers given so far, piece key -> True (yes) / False (no)."""
    return {key: value == YES for key, value in values.items() if value in ANSWERS}


def required_pieces(deliverables: Deliverables, pathway: str, answers: dict[str, bool]) -> list[Piece]:
    """The pieces this candidate must hand in: those of their pathway, and those that depend on
    a yes/no piece only when that piece is required and answered yes."""
    required: list[Piece] = []
    keys: set[str] = set()
    for piece in deliverables.pieces:
        if pathway not in piece.pathways:
            continue
        if piece.when is not None and not (piece.when in keys and answers.get(piece.when)):
            continue
        required.append(piece)
        keys.add(piece.key)
    return required


def piece_state(submitted_day: date | None, last: date) -> str:
    if submitted_day is None:
        return MISSING
    return PRESENT if on_time(submitted_day, last) else LATE


@dataclass(frozen=True)
class PieceStatus:
    piece: Piece
    state: str
    submitted_day: date | None

    @property
    def state_label(self) -> str:
        return STATES[self.state]


def statuses(required: list[Piece], submitted: dict[str, date], last: date) -> list[PieceStatus]:
    """Each required piece's state, from the day its current version was handed in."""
    return [PieceStatus(p, piece_state(submitted.get(p.key), last), submitted.get(p.key))
            for p in required]


def overall(found: list[PieceStatus]) -> str:
    """The file's state: complete (every piece on time), late (all there, some late), missing."""
    if any(s.state == MISSING for s in found):
        return MISSING
    return LATE if any(s.state == LATE for s in found) else PRESENT


OVERALL = {PRESENT: "Complet", LATE: "Complet, en retard", MISSING: "Incomplet"}
