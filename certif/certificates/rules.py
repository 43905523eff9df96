"""Pure rules of certificates: numbers, verification codes, the 3-week delivery deadline.

No Flask, no database: plain strings and dates, tested with tables of cases.
"""
from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from ..sessions.rules import has_control_chars

# Admitted candidates receive their certificate within 3 weeks (DESIGN, seed 000 I.D.6).
DELIVERY_DAYS = 21

# Verification code: 10 characters without the look-alikes 0/O, 1/I/L (read from paper).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
CODE_GROUP = 5

# What the public form accepts before normalising (longer input is a typing mistake or abuse).
NUMBER_MAX = 40
CODE_INPUT_MAX = 20

_NUMBER_RE = re.compile(r"^(?P<prefix>.+)-(?P<year>\d{4})-(?P<seq>\d{4,})$")
# Dashes a user may type or paste instead of "-" (hyphen, non-breaking, figure, en, em, minus).
_DASHES = re.compile(r"[\u2010-\u2015\u2212\-]")


def certificate_number(referential_code: str, year: int, sequence: int) -> str:
    """`RS6240-2026-0001`: the referential, the session's year, the order of issue."""
    return f"{referential_code}-{year}-{sequence:04d}"


def number_prefix(referential_code: str, year: int) -> str:
    return f"{referential_code}-{year}-"


def next_sequence(existing_numbers, referential_code: str, year: int) -> int:
    """The next sequence for this referential and year, after the highest one used."""
    prefix = number_prefix(referential_code, year)
    used = [int(n[len(prefix):]) for n in existing_numbers
            if n.startswith(prefix) and n[len(prefix):].isdigit()]
    return max(used, default=0) + 1


def new_code() -> str:
    """A fresh verification code, drawn with `secrets` (unguessable)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """As printed and shown: two groups of five characters joined by a dash (7KQ2M-RT9XH)."""
    return f"{code[:CODE_GROUP]}-{code[CODE_GROUP:]}"


def normalise_code(raw: str | None) -> str:
    """What the user typed, as stored: upper case, without spaces and dashes."""
    return _DASHES.sub("", "".join((raw or "").split())).upper()


def normalise_number(raw: str | None) -> str:
    """Upper case, without spaces; any kind of dash becomes "-"."""
    return _DASHES.sub("-", "".join((raw or "").split())).upper()


def is_well_formed_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def is_well_formed_number(number: str) -> bool:
    return _NUMBER_RE.match(number) is not None


def verification_input_problem(number: str | None, code: str | None) -> str | None:
    """Why the public form's input cannot be checked at all (a 400), or None.

    A well-typed but unknown number or code is not a problem here: it is answered
    "no certificate", like any other non-matching pair."""
    if not (number or "").strip() or not (code or "").strip():
        return "Saisissez le numéro du certificat et son code de vérification."
    if len(number) > NUMBER_MAX or len(code) > CODE_INPUT_MAX:
        return (f"Le numéro ({NUMBER_MAX} caractères au plus) ou le code de vérification "
                f"({CODE_INPUT_MAX} caractères au plus) est trop long.")
    if has_control_chars(number) or has_control_chars(code):
        return "Le numéro ou le code de vérification contient un caractère invalide."
    return None


def delivery_due(session_day: date) -> date:
    """The last day to deliver an admitted candidate's certificate: session day + 21 days."""
    return session_day + timedelta(days=DELIVERY_DAYS)


def is_overdue(due: date, today: date) -> bool:
    """Overdue from the day after the due date (the due day itself is still in time)."""
    return today > due


# --- Validity and revocation -------------------------------------------------------------------

REASON_MAX = 1000


def valid_until(award_day: date, years: int | None) -> date | None:
    """The last day a certificate is valid: `years` after its award (the day before the
    anniversary), or None when the referential sets no limit."""
    if years is None:
        return None
    try:
        anniversary = award_day.replace(year=award_day.year + years)
    except ValueError:  # 29 February
        anniversary = award_day.replace(year=award_day.year + years, day=28) + timedelta(days=1)
    return anniversary - timedelta(days=1)


def revocation_reason_problem(reason: str) -> str | None:
    """Why this (cleaned) reason is refused, or None."""
    if not reason:
        return "Indiquez le motif de la révocation : il est conservé au journal et sur la page des résultats."
    if len(reason) > REASON_MAX:
        return f"Le motif de la révocation est trop long ({REASON_MAX} caractères au plus)."
    return None
