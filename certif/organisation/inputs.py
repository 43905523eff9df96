"""The insurance form: parsed into a PolicyInput, or French errors by field."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..text import clean_text

MAX_INSURER = 200
MAX_NUMBER = 100
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_FRENCH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass(frozen=True)
class PolicyInput:
    insurer: str
    number: str
    starts_on: date
    ends_on: date


def _day(raw: str | None, what: str, errors: dict, field: str) -> date | None:
    value = clean_text(raw, one_line=True)
    if not value:
        errors[field] = f"Indiquez {what}."
        return None
    iso, french = _ISO.match(value), _FRENCH.match(value)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if french:
            return date(int(french[3]), int(french[2]), int(french[1]))
    except ValueError:
        pass
    errors[field] = f"Date invalide pour {what} : format jj/mm/aaaa attendu."
    return None


def parse_policy(form) -> tuple[PolicyInput | None, dict[str, str]]:
    errors: dict[str, str] = {}
    insurer = clean_text(form.get("insurer"), one_line=True)
    number = clean_text(form.get("number"), one_line=True)
    if not insurer:
        errors["insurer"] = "Indiquez l'assureur."
    elif len(insurer) > MAX_INSURER:
        errors["insurer"] = f"Le nom de l'assureur ne doit pas dépasser {MAX_INSURER} caractères."
    if not number:
        errors["number"] = "Indiquez le numéro de la police."
    elif len(number) > MAX_NUMBER:
        errors["number"] = f"Le numéro de police ne doit pas dépasser {MAX_NUMBER} caractères."
    starts_on = _day(form.get("starts_on"), "le début de validité", errors, "starts_on")
    ends_on = _day(form.get("ends_on"), "la fin de validité", errors, "ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "La fin de validité précède son début : vérifiez les dates."
    if errors:
        return None, errors
    return PolicyInput(insurer, number, starts_on, ends_on), {}
