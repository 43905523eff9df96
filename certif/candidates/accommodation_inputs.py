"""The accommodation form (seed 000, I.D.3): parsed into an AccommodationInput, or French
errors by field name. Pure Python: the dates are checked against `today`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..text import clean_text
from .accommodation import DECISIONS, PENDING
from .rules import InvalidValue, parse_date

MAX_REFERENT = 200
MAX_MEDICAL = 2000
FIELDS = ("referent", "requested_on", "decision", "decided_on", "medical_details")


@dataclass(frozen=True)
class AccommodationInput:
    referent: str
    requested_on: date
    decision: str
    decided_on: date | None
    medical_details: str | None


def _past_day(raw, what: str, today: date, errors: dict, field: str) -> date | None:
    try:
        day = parse_date(raw, what)
    except InvalidValue as error:
        errors[field] = error.sentence
        return None
    if day is not None and day > today:
        errors[field] = f"La {what} ne peut pas être dans le futur."
    return day


def parse_accommodation(form, today: date) -> tuple[AccommodationInput | None, dict[str, str]]:
    errors: dict[str, str] = {}
    referent = clean_text(form.get("referent"), one_line=True)
    if not referent:
        errors["referent"] = "Indiquez le référent handicap qui a instruit la demande."
    elif len(referent) > MAX_REFERENT:
        errors["referent"] = f"Le nom du référent ne doit pas dépasser {MAX_REFERENT} caractères."
    requested_on = _past_day(form.get("requested_on"), "date de la demande", today, errors,
                             "requested_on")
    if requested_on is None and "requested_on" not in errors:
        errors["requested_on"] = "Indiquez la date de la demande d'aménagement."
    decision = clean_text(form.get("decision"), one_line=True) or PENDING
    if decision not in DECISIONS:
        errors["decision"] = "Décision inconnue : « en attente », « accordé » ou « refusé » attendu."
    decided_on = _past_day(form.get("decided_on"), "date de la décision", today, errors,
                           "decided_on")
    if "decided_on" not in errors and "decision" not in errors:
        if decision == PENDING and decided_on is not None:
            errors["decided_on"] = ("Une décision en attente n'a pas de date : choisissez la "
                                    "décision ou effacez la date.")
        elif decision != PENDING and decided_on is None:
            errors["decided_on"] = "Indiquez la date de la décision."
        elif decided_on and requested_on and decided_on < requested_on:
            errors["decided_on"] = "La décision ne peut pas précéder la demande : vérifiez les dates."
    medical = clean_text(form.get("medical_details"), breaks="keep")
    if len(medical) > MAX_MEDICAL:
        errors["medical_details"] = (f"Les éléments médicaux ne doivent pas dépasser "
                                     f"{MAX_MEDICAL} caractères.")
    if errors:
        return None, errors
    return AccommodationInput(referent, requested_on, decision, decided_on, medical or None), {}
