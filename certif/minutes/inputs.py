"""Reading the minutes' form (times, place, observations) filled by a jury president."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from .. import timeutil
from ..errors import FieldError
from ..sessions.models import ExamSession
from ..text import clean_text
from ..timeutil import french_date, french_time, paris_to_utc, to_paris

MAX_OBSERVATIONS = 2000
MAX_PLACE = 300


@dataclass(frozen=True)
class MinutesFields:
    observations: str | None
    opened_at: str | None  # "HH:MM", Paris time, on the session's day
    closed_at: str | None
    place: str | None


def parse_clock_time(session: ExamSession, raw: str | None, field_name: str, label: str) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        hours, minutes = raw.replace("h", ":").split(":")
        at = time(int(hours), int(minutes or 0))
    except ValueError:
        raise FieldError(field_name, f"{label} : indiquez une heure au format HH:MM, par exemple "
                                     "09:00.") from None
    day = to_paris(session.starts_at).date()
    moment = paris_to_utc(day, at)
    if moment > timeutil.utcnow():  # read through the module: tests move the clock
        raise FieldError(field_name, f"{label} : il n'est pas encore {french_time(moment)} le "
                                     f"{french_date(day)} ; indiquez l'heure réelle.")
    return moment


def checked_text(raw: str | None, limit: int, field_name: str, label: str, *, lines: bool) -> str | None:
    text = clean_text(raw, one_line=not lines)
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise FieldError(field_name, f"{label} contient un caractère invalide.")
    if len(text) > limit:
        raise FieldError(field_name, f"{label} ne doit pas dépasser {limit} caractères.")
    return text or None
