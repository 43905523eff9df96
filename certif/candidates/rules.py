"""Candidates' data rules: pure Python, no Flask, no database.

The field rules below are the only ones: the candidate form and the CSV import both call
`clean_candidate`, so a value accepted in one is accepted in the other. `identity_key` says
when two candidates are the same person.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

from ..text import fold as text_fold
from .holder import HOLDER_RULES, check_holder
from .values import InvalidValue, clean_name, clean_optional_text, parse_date, text_of

MAX_EMAIL = 254
MAX_PHONE = 40
MAX_ADDRESS = 300
MAX_CITY = 100
MAX_ACCOMMODATION = 2000
MAX_EXTRA_MINUTES = 240

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
POSTAL_CODE_RE = re.compile(r"^\d{5}$")
MAX_PARTNER = 200
# Words accepted for a pathway (compared folded: no case, accents or hyphens).
PATHWAY_WORDS = {"formation": "training", "training": "training",
                 "formation dans l'organisme": "training", "organisme": "training",
                 "partenaire": "partner", "partner": "partner",
                 "organisme partenaire": "partner", "formation partenaire": "partner",
                 "formation dans un organisme partenaire": "partner",
                 "vae": "vae"}
MSG_PARTNER_NEEDED = "nom de l'organisme partenaire obligatoire pour une formation chez un partenaire"
MSG_PARTNER_UNUSED = ("un organisme partenaire n'est indiqué que pour le parcours « formation dans "
                      "un organisme partenaire »")
MSG_EXTRA_NEEDS_ACCOMMODATION = ("des minutes supplémentaires exigent l'aménagement décidé avec "
                                 "le référent handicap")


@dataclass(frozen=True)
class CandidateData:
    """A candidate's fields, checked and normalised, ready to be stored."""

    first_name: str
    last_name: str
    birth_date: date | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    training_end_date: date | None = None
    pathway: str = "training"
    partner_organisation: str | None = None
    accommodation: str | None = None
    extra_minutes: int = 0
    # The holder's civil status for the certificate and the CDC declaration (`holder`).
    birth_name: str | None = None
    usage_name: str | None = None
    first_name_2: str | None = None
    first_name_3: str | None = None
    sex: str | None = None
    birth_insee_code: str | None = None
    birth_postal_code: str | None = None
    birth_commune: str | None = None
    birth_country_code: str | None = None
    birth_country_name: str | None = None
    access_mode: str | None = None

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


FIELD_NAMES = tuple(f.name for f in fields(CandidateData))


# --- Field rules (shared by the form and the import) -------------------------------------

def clean_email(raw) -> str | None:
    value = text_of(raw).lower()
    if not value:
        return None
    if len(value) > MAX_EMAIL or not EMAIL_RE.match(value):
        raise InvalidValue("adresse e-mail invalide", text_of(raw))
    return value


def clean_postal_code(raw) -> str | None:
    value = text_of(raw).replace(" ", "")
    if not value:
        return None
    if not POSTAL_CODE_RE.match(value):
        raise InvalidValue("code postal invalide : 5 chiffres attendus", text_of(raw))
    return value


def clean_birth_date(raw, today: date) -> date | None:
    day = parse_date(raw, "date de naissance")
    if day is not None and day >= today:
        raise InvalidValue("date de naissance invalide : elle doit être passée", text_of(raw))
    return day


def clean_training_end_date(raw) -> date | None:
    day = parse_date(raw, "date de fin de formation")
    if day is not None and day.year > 2100:
        raise InvalidValue("date de fin de formation invalide", text_of(raw))
    return day


def clean_pathway(raw) -> str:
    value = text_of(raw)
    if not value:
        return "training"
    pathway = PATHWAY_WORDS.get(fold(value))
    if pathway is None:
        raise InvalidValue("parcours inconnu : « formation », « partenaire » ou « vae » attendu",
                           value)
    return pathway


def clean_extra_minutes(raw) -> int:
    value = text_of(raw)
    if not value:
        return 0
    if not re.fullmatch(r"\d{1,4}", value) or int(value) > MAX_EXTRA_MINUTES:
        raise InvalidValue(f"minutes supplémentaires invalides : un nombre entier de 0 à "
                         f"{MAX_EXTRA_MINUTES} attendu", value)
    return int(value)


def clean_candidate(raw: Mapping[str, object], today: date) -> tuple[CandidateData | None,
                                                                      dict[str, InvalidValue]]:
    """Every field of a candidate checked: the data, or the errors by field name."""
    rules = {
        "first_name": lambda v: clean_name(v, "prénom"),
        "last_name": lambda v: clean_name(v, "nom"),
        "birth_date": lambda v: clean_birth_date(v, today),
        "email": clean_email,
        "phone": lambda v: clean_optional_text(v, "téléphone", MAX_PHONE),
        "address": lambda v: clean_optional_text(v, "adresse", MAX_ADDRESS),
        "postal_code": clean_postal_code,
        "city": lambda v: clean_optional_text(v, "ville", MAX_CITY),
        "training_end_date": clean_training_end_date,
        "pathway": clean_pathway,
        "partner_organisation": lambda v: clean_optional_text(v, "organisme partenaire",
                                                              MAX_PARTNER),
        "accommodation": lambda v: clean_optional_text(v, "aménagement", MAX_ACCOMMODATION),
        "extra_minutes": clean_extra_minutes,
        **HOLDER_RULES,
    }
    values, errors = {}, {}
    for name, rule in rules.items():
        try:
            values[name] = rule(raw.get(name))
        except InvalidValue as error:
            errors[name] = error
    if values.get("extra_minutes") and not values.get("accommodation") \
            and "accommodation" not in errors:
        errors["accommodation"] = InvalidValue(MSG_EXTRA_NEEDS_ACCOMMODATION)
    _check_partner(values, errors)
    check_holder(values, errors)
    if errors:
        return None, errors
    return CandidateData(**values), {}


def clean_holder(raw: Mapping[str, object], today: date,
                 last_name: str) -> tuple[dict | None, dict[str, InvalidValue]]:
    """The holder's fields only (first name, birth date and `holder.HOLDER_FIELDS`), as the
    candidate completes them from their link: the values, or the errors by field name."""
    rules = {"first_name": lambda v: clean_name(v, "prénom"),
             "birth_date": lambda v: clean_birth_date(v, today), **HOLDER_RULES}
    values, errors = {}, {}
    for name, rule in rules.items():
        try:
            values[name] = rule(raw.get(name))
        except InvalidValue as error:
            errors[name] = error
    values["last_name"] = last_name
    check_holder(values, errors)
    del values["last_name"]
    return (None, errors) if errors else (values, {})


def _check_partner(values: dict, errors: dict) -> None:
    """A partner pathway names its organisation; the other pathways name none."""
    if "pathway" in errors or "partner_organisation" in errors:
        return
    partner = values.get("partner_organisation")
    if values["pathway"] == "partner" and not partner:
        errors["partner_organisation"] = InvalidValue(MSG_PARTNER_NEEDED)
    elif values["pathway"] != "partner" and partner:
        errors["partner_organisation"] = InvalidValue(MSG_PARTNER_UNUSED, partner)


# --- Identity, for duplicates -------------------------------------------------------------

def fold(text: str) -> str:
    """`text.fold`, with single spaces for hyphens and runs of white space: « Éloïse  Dupré »
    → « eloise dupre »."""
    return " ".join(text_fold(text).replace("-", " ").split())


def identity_key(first_name: str, last_name: str, birth_date: date | None) -> tuple:
    """Two candidates with the same key are the same person (birth date missing on both counts)."""
    return fold(first_name), fold(last_name), birth_date
