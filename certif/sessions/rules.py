"""Pure rules of sessions: slot scheduling and the procedure's deadlines (seed 000).

No Flask, no database: plain dates and numbers, tested with tables of cases.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Juror absence (carence): the replacement session within 30 days (seed 000, I.C.4).
REPLACEMENT_DAYS = 30
# A failed candidate may ask for a retake within 2 months of the result (I.D.7).
RETAKE_MONTHS = 2
# A candidate sits within 3 months after the end of their training (I.D.8).
SITTING_MONTHS = 3


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day (31 → 30)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def replacement_deadline(absence_day: date) -> date:
    """The last day on which the replacement session may be held."""
    return absence_day + timedelta(days=REPLACEMENT_DAYS)


def replacement_date_problem(absence_day: date, proposed: date) -> str | None:
    """Why `proposed` cannot be the replacement session's date, or None if it can."""
    deadline = replacement_deadline(absence_day)
    if proposed < absence_day:
        return "La session de remplacement ne peut pas avoir lieu avant la session initiale."
    if proposed > deadline:
        return (f"La session de remplacement doit avoir lieu dans les {REPLACEMENT_DAYS} jours "
                f"qui suivent la carence, soit au plus tard le {_fr(deadline)}.")
    return None


def retake_deadline(result_day: date) -> date:
    """The last day on which a failed candidate may request a retake."""
    return add_months(result_day, RETAKE_MONTHS)


def retake_request_problem(result_day: date, today: date) -> str | None:
    deadline = retake_deadline(result_day)
    if today > deadline:
        return (f"Le délai de {RETAKE_MONTHS} mois pour demander à repasser l'épreuve "
                f"est dépassé : il a pris fin le {_fr(deadline)}.")
    return None


def sitting_deadline(training_end: date) -> date:
    """The last day on which a candidate should sit, 3 months after the end of training."""
    return add_months(training_end, SITTING_MONTHS)


def sitting_warning(training_end: date | None, exam_day: date) -> str | None:
    """A warning (not a refusal) when the candidate would sit too late."""
    if training_end is None:
        return None
    deadline = sitting_deadline(training_end)
    if exam_day > deadline:
        return (f"Le candidat passerait l'épreuve plus de {SITTING_MONTHS} mois après la fin "
                f"de sa formation (le {_fr(training_end)}) : la limite était le {_fr(deadline)}.")
    return None


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    minutes: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


def schedule(start: datetime, base_minutes: int, extra_minutes: list[int]) -> list[Slot]:
    """Consecutive slots from `start`: each lasts the referential's duration plus the
    candidate's extra time (disability accommodation), in the order given."""
    slots, at = [], start
    for extra in extra_minutes:
        slot = Slot(at, base_minutes + max(extra, 0))
        slots.append(slot)
        at = slot.ends_at
    return slots


_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet",
           "août", "septembre", "octobre", "novembre", "décembre")


def _fr(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {_MONTHS[day.month - 1]} {day.year}"
