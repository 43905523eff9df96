"""Pure rules of sessions: slot scheduling and the procedure's deadlines (seed 000).

No Flask, no database: plain dates and numbers, tested with tables of cases.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..timeutil import add_months

# An exam's decision (`Exam.decision`), set by grading when the deliberation closes; an
# unfavourable one opens the way to a retake or an appeal.
FAVORABLE = "favorable"
UNFAVORABLE = "defavorable"
# Juror absence (carence): the replacement session within 30 days (seed 000, I.C.4).
REPLACEMENT_DAYS = 30
# A failed candidate may ask for a retake within 2 months of the result (I.D.7).
RETAKE_MONTHS = 2
# A candidate sits within 3 months after the end of their training (I.D.8).
SITTING_MONTHS = 3



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
                f"qui suivent la session initiale (le {_fr(absence_day)}), soit au plus tard "
                f"le {_fr(deadline)}.")
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


def retake_sitting_warning(result_day: date, exam_day: date) -> str | None:
    """A warning (not a refusal) when the retake would be sat more than 2 months after
    the result: the procedure has the candidate sit again "dans les 2 mois qui suivent"."""
    deadline = retake_deadline(result_day)
    if exam_day > deadline:
        return (f"Le rattrapage aurait lieu plus de {RETAKE_MONTHS} mois après le résultat "
                f"(le {_fr(result_day)}) : la limite était le {_fr(deadline)}.")
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


# The days a session may be set on: beyond them the UTC conversion and the deadlines
# (a date + 30 days, + 3 months) would overflow, and such a year is a typing mistake anyway.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def session_day_problem(day: date) -> str | None:
    """Why `day` cannot be a session's date whatever today is (a year out of range), or None."""
    if day < EARLIEST_DAY:
        return "La date de la session est passée : choisissez une date à venir."
    if day > LATEST_DAY:
        return (f"La date de la session est trop lointaine : choisissez une date avant le "
                f"{_fr(LATEST_DAY + timedelta(days=1))}.")
    return None


# Line breaks and invisible controls: in a session number they would end up in an
# email's subject (a header injection, or a refused message), elsewhere in a document.
_CONTROL_CATEGORIES = ("Cc", "Cf", "Cs", "Zl", "Zp")
MSG_CONTROL_CHARS = "{what} ne peut contenir ni retour à la ligne ni caractère de contrôle."
MAX_TEXT = 2000  # a free text of a session or of a change to its plan (reason, requirements)


def has_control_chars(text: str | None, *, multiline: bool = False) -> bool:
    """Whether `text` holds a control or line-separator character (a multi-line text
    may hold line feeds, carriage returns and tabs)."""
    allowed = "\n\r\t" if multiline else ""
    return any(unicodedata.category(c) in _CONTROL_CATEGORIES and c not in allowed
               for c in text or "")


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
