"""Pure rules of the exam-day reception (no Flask): the candidate's short code, a
signing link's state, the exam-day rule for the identity check, and the fingerprint
of what a signing form displayed."""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from ..timeutil import french_date

# No 0/O, 1/I/L, nor U/V lookalikes: the jury reads the code aloud or shows it on camera.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 8
_IGNORED = " -\t\u00a0\u2010\u2011\u2012\u2013\u2014"

# A link's state, in the order the checks apply (CLOSED: the exam's attendance is over,
# e.g. the session's minutes are signed, whatever the link's own dates say).
VALID, USED, CLOSED, REVOKED, EXPIRED = "valid", "used", "closed", "revoked", "expired"



def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """ABCDEFGH -> ABCD-EFGH, as the jury reads it out."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(raw: str | None) -> str | None:
    """The code as stored, from what the candidate typed (case, spaces and dashes ignored),
    or None when it cannot be a code at all."""
    if raw is None:
        return None
    text = "".join(ch for ch in raw if ch not in _IGNORED).upper()
    if len(text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        return None
    return text


def expiry(created_at: datetime, minutes: int) -> datetime:
    return created_at + timedelta(minutes=minutes)


def link_state(*, used_at: datetime | None, revoked_at: datetime | None,
               expires_at: datetime, now: datetime, closed: bool = False) -> str:
    """A used link says so first (the candidate has signed), then a closed attendance, then
    a replaced link, then expiry. The link is valid up to, not including, its expiry instant."""
    if used_at is not None:
        return USED
    if closed:
        return CLOSED
    if revoked_at is not None:
        return REVOKED
    if now >= expires_at:
        return EXPIRED
    return VALID


def exam_day_refusal(exam_day: date, today: date) -> str | None:
    """Identity and attendance are recorded on the exam day (or later, to catch up), never before."""
    if exam_day > today:
        return (f"L'épreuve a lieu le {french_date(exam_day)} : l'identité du candidat et les "
                "émargements ne peuvent être enregistrés qu'à partir du jour de l'épreuve.")
    return None


