"""Values as people type them: pure Python, no Flask, no database.

The primitives every candidate rule shares (`rules` for the record, `holder` for the civil
status the certificate and the CDC declaration carry): the error with its French message,
text, names and dates.
"""
from __future__ import annotations

import re
from datetime import date

from ..text import clean_text

OLDEST_YEAR = 1900
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
FRENCH_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
MAX_NAME = 100


class InvalidValue(ValueError):
    """A value that breaks a rule: `message` is a lower-case phrase, `value` what was given."""

    def __init__(self, message: str, value: str = ""):
        super().__init__(message)
        self.message = message
        self.value = value

    @property
    def sentence(self) -> str:
        """For a form: « Adresse e-mail invalide. »"""
        return self.message[:1].upper() + self.message[1:] + "."

    def for_line(self, line: int) -> str:
        """For an import: « Ligne 4 : adresse e-mail invalide (« jean@ ») »"""
        shown = f" (« {shorten(self.value)} »)" if self.value else ""
        return f"Ligne {line} : {self.message}{shown}"


def text_of(raw) -> str:
    return "" if raw is None else clean_text(str(raw), breaks="keep")


def shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


def clean_name(raw, what: str, limit: int = MAX_NAME) -> str:
    value = " ".join(text_of(raw).split())
    if not value:
        raise InvalidValue(f"{what} obligatoire")
    if len(value) > limit:
        raise InvalidValue(f"{what} trop long ({limit} caractères au plus)", value)
    return value


def clean_optional_text(raw, what: str, limit: int) -> str | None:
    value = text_of(raw)
    if len(value) > limit:
        raise InvalidValue(f"{what} trop long ({limit} caractères au plus)", value)
    return value or None


def parse_date(raw, what: str) -> date | None:
    """A date as jj/mm/aaaa (also with - or .) or aaaa-mm-jj; None when empty."""
    value = text_of(raw)
    if not value:
        return None
    iso, french = ISO_DATE_RE.match(value), FRENCH_DATE_RE.match(value)
    try:
        if iso:
            day = date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif french:
            day = date(int(french[3]), int(french[2]), int(french[1]))
        else:
            raise ValueError
    except ValueError:
        raise InvalidValue(f"{what} invalide : date au format jj/mm/aaaa attendue", value) from None
    if day.year < OLDEST_YEAR:
        raise InvalidValue(f"{what} invalide : date trop ancienne", value)
    return day
