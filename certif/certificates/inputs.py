"""Reading the issuing form: the channel and the day a certificate left."""
from __future__ import annotations

from datetime import date, datetime

from ..errors import InvalidInput
from ..timeutil import french_date, paris_today
from .models import ISSUE_CHANNELS

MSG_BAD_CHANNEL = "Mode de délivrance invalide : choisissez « par voie postale » ou « par e-mail »."
MSG_DAY_INVALID = "Date de délivrance invalide : utilisez le format jj/mm/aaaa."
MSG_DAY_FUTURE = "La date de délivrance ne peut pas être dans le futur."
MSG_DAY_BEFORE_SESSION = ("La date de délivrance ne peut pas précéder la session ({day}), où le "
                          "certificat a été obtenu.")


def check_channel(channel: str | None) -> str:
    if channel not in ISSUE_CHANNELS:
        raise InvalidInput(MSG_BAD_CHANNEL)
    return channel


def parse_issue_day(raw, session_day: date, today: date | None = None) -> date:
    """The day the certificate left: today when empty; a real date, not in the future,
    not before the session where it was obtained."""
    today = today or paris_today()
    text = (raw or "").strip() if not isinstance(raw, date) else None
    if isinstance(raw, date):
        day = raw
    elif not text:
        day = today
    else:
        day = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                day = datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        if day is None or day.year < 2000:
            raise InvalidInput(MSG_DAY_INVALID)
    if day > today:
        raise InvalidInput(MSG_DAY_FUTURE)
    if day < session_day:
        raise InvalidInput(MSG_DAY_BEFORE_SESSION.format(day=french_date(session_day)))
    return day
