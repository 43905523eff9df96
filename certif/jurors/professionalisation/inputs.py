"""Reading the organiser's forms: a new session, the jurors to invite, the attendance.

Each parser returns clean values or raises InvalidInput (one message for the form) or
collects per-field messages (the new session's form shows each beside its field).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from ...errors import InvalidInput
from ...text import clean_text
from .models import MODES, ON_SITE, REMOTE

MAX_CONTENT = 4000
MSG_DAY = "Date invalide : choisissez le jour de la session (jj/mm/aaaa)."
MSG_DAY_RANGE = "La date doit être comprise entre il y a un an et dans deux ans."
MSG_TIME = "Heure invalide : indiquez l'heure de début (hh:mm)."
MSG_MODE = "Choisissez la modalité : présentiel ou distanciel."
MSG_PLACE = "Indiquez le lieu de la session (présentiel)."
MSG_LINK = "Indiquez le lien de la visioconférence, commençant par https:// (distanciel)."
MSG_CONTENT = "Décrivez le contenu de la session."
MSG_CONTENT_LONG = f"Le contenu ne doit pas dépasser {MAX_CONTENT} caractères."
MSG_REFERENTIAL = "Choisissez la certification concernée."
MSG_NO_JUROR_CHOSEN = "Cochez au moins un juré à inviter."
MSG_BAD_CHOICE = "La liste envoyée ne correspond pas à la page : rechargez-la puis recommencez."


@dataclass
class SessionInput:
    referential_id: int | None = None
    day: date | None = None
    start: time | None = None
    mode: str | None = None
    place: str | None = None
    video_link: str | None = None
    content: str | None = None


def _day(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _time(text: str) -> time | None:
    try:
        return datetime.strptime(text, "%H:%M").time()
    except ValueError:
        return None


def _https(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme == "https" and bool(parts.netloc) and " " not in text


def parse_session(form, referential_ids, today: date) -> tuple[SessionInput, dict[str, str]]:
    """The new session's values, and a message per field in error (empty: all good)."""
    values, errors = SessionInput(), {}
    raw_ref = (form.get("referential_id") or "").strip()
    if raw_ref.isdigit() and int(raw_ref) in set(referential_ids):
        values.referential_id = int(raw_ref)
    else:
        errors["referential_id"] = MSG_REFERENTIAL
    values.day = _day((form.get("day") or "").strip())
    if values.day is None:
        errors["day"] = MSG_DAY
    elif not (today - timedelta(days=366) <= values.day <= today + timedelta(days=731)):
        errors["day"] = MSG_DAY_RANGE
    values.start = _time((form.get("start") or "").strip())
    if values.start is None:
        errors["start"] = MSG_TIME
    values.mode = form.get("mode")
    if values.mode not in MODES:
        values.mode = None
        errors["mode"] = MSG_MODE
    place = clean_text(form.get("place"), one_line=True) or None
    link = (form.get("video_link") or "").strip() or None
    if values.mode == ON_SITE:
        if not place or len(place) > 300:
            errors["place"] = MSG_PLACE
        values.place = place
    elif values.mode == REMOTE:
        if not link or len(link) > 500 or not _https(link):
            errors["video_link"] = MSG_LINK
        values.video_link = link
    content = clean_text(form.get("content")) or None
    if not content:
        errors["content"] = MSG_CONTENT
    elif len(content) > MAX_CONTENT:
        errors["content"] = MSG_CONTENT_LONG
    values.content = content
    return values, errors


def chosen_ids(form, field: str, allowed) -> set[int]:
    """The ids ticked in a list of checkboxes; InvalidInput if one is not on the page."""
    allowed = set(allowed)
    chosen = set()
    for raw in form.getlist(field):
        if not raw.isdigit() or int(raw) not in allowed:
            raise InvalidInput(MSG_BAD_CHOICE)
        chosen.add(int(raw))
    return chosen
