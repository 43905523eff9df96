"""The indicators' filters (certification, period) read from the query string; French 400
on a value that is not one."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from ...errors import InvalidInput

MIN_YEAR, MAX_YEAR = 2000, 2100  # the period filter's bounds


@dataclass(frozen=True)
class Filters:
    certification: str | None = None
    start: date | None = None
    end: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.certification or self.start or self.end)


NO_FILTERS = Filters()  # the default: every session


def parse_day(text: str | None, what: str) -> date | None:
    """A date typed in a filter: AAAA-MM-JJ (what a date input sends) or JJ/MM/AAAA."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        # Far years overflow once turned into UTC bounds (0001-01-01, 9999-12-31).
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise InvalidInput(f"{what} invalide : « {text[:40]} ». Choisissez une année entre "
                               f"{MIN_YEAR} et {MAX_YEAR}.")
        return day
    raise InvalidInput(f"{what} invalide : « {text[:40]} ». Saisissez une date au format "
                       "JJ/MM/AAAA (par exemple 01/12/2026).")


def parse_filters(args: Mapping[str, str]) -> Filters:
    """The filters from the query string (certification, du, au); French 400 when bad."""
    start = parse_day(args.get("du"), "Date de début")
    end = parse_day(args.get("au"), "Date de fin")
    if start and end and start > end:
        raise InvalidInput("La date de début de la période est postérieure à sa date de fin.")
    certification = (args.get("certification") or "").strip() or None
    return Filters(certification, start, end)
