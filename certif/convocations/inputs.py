"""What an organiser enters to record a sending: the channel, and for a hand delivery its
date and who handed the convocation over (checked again by the service, whatever the form)."""
from __future__ import annotations

from datetime import date, datetime

from ..errors import InvalidInput
from ..timeutil import paris_today
from .models import CHANNELS

EMAIL, HAND = "email", "hand"
HANDED_BY_MAX = 200

MSG_BAD_CHANNEL = "Mode d'envoi invalide : choisissez « par e-mail » ou « remise en main propre »."
MSG_HANDED_ON_MISSING = "Indiquez la date de la remise en main propre."
MSG_HANDED_ON_INVALID = "Date de remise invalide : utilisez le format jj/mm/aaaa."
MSG_HANDED_ON_FUTURE = "La date de remise ne peut pas être dans le futur."
MSG_HANDED_BY_MISSING = "Indiquez qui a remis la convocation."
MSG_HANDED_BY_LONG = f"Le nom de la personne qui a remis la convocation dépasse {HANDED_BY_MAX} caractères."


def check_channel(channel: str | None) -> str:
    if channel not in CHANNELS:
        raise InvalidInput(MSG_BAD_CHANNEL)
    return channel


def parse_handed_on(raw, today: date | None = None) -> date:
    """The hand-delivery date: required, a real date (ISO or jj/mm/aaaa), not after today."""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        day = raw
    else:
        text = (raw or "").strip()
        if not text:
            raise InvalidInput(MSG_HANDED_ON_MISSING)
        day = _parse_day(text)
    if day > (today or paris_today()):
        raise InvalidInput(MSG_HANDED_ON_FUTURE)
    return day


def _parse_day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if day.year >= 2000:
            return day
    raise InvalidInput(MSG_HANDED_ON_INVALID)


def check_handed_by(raw: str | None) -> str:
    text = " ".join((raw or "").split())
    if not text:
        raise InvalidInput(MSG_HANDED_BY_MISSING)
    if len(text) > HANDED_BY_MAX:
        raise InvalidInput(MSG_HANDED_BY_LONG)
    return text
