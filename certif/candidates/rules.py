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

from ..text import clean_text
from ..text import fold as text_fold

MAX_NAME = 100
MAX_EMAIL = 254
MAX_PHONE = 40
MAX_ADDRESS = 300
MAX_CITY = 100
MAX_ACCOMMODATION = 2000
MAX_EXTRA_MINUTES = 240
OLDEST_YEAR = 1900

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
POSTAL_CODE_RE = re.compile(r"^\d{5}$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
FRENCH_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
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

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


FIELD_NAMES = tuple(f.name for f in fields(CandidateData))


# --- Field rules (shared by the form and the import) -------------------------------------

def _text(raw) -> str:
    return "" if raw is None else clean_text(str(raw), breaks="keep")


def shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


def clean_name(raw, what: str, limit: int = MAX_NAME) -> str:
    value = " ".join(_text(raw).split())
    if not value:
        raise InvalidValue(f"{what} obligatoire")
    if len(value) > limit:
        raise InvalidValue(f"{what} trop long ({limit} caractères au plus)", value)
    return value


def clean_optional_text(raw, what: str, limit: int) -> str | None:
    value = _text(raw)
    if len(value) > limit:
        raise InvalidValue(f"{what} trop long ({limit} caractères au plus)", value)
    return value or None


def clean_email(raw) -> str | None:
    value = _text(raw).lower()
    if not value:
        return None
    if len(value) > MAX_EMAIL or not EMAIL_RE.match(value):
        raise InvalidValue("adresse e-mail invalide", _text(raw))
    return value


def clean_postal_code(raw) -> str | None:
    value = _text(raw).replace(" ", "")
    if not value:
        return None
    if not POSTAL_CODE_RE.match(value):
        raise InvalidValue("code postal invalide : 5 chiffres attendus", _text(raw))
    return value


def parse_date(raw, what: str) -> date | None:
    """A date as jj/mm/aaaa (also with - or .) or aaaa-mm-jj; None when empty."""
    value = _text(raw)
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


def clean_birth_date(raw, today: date) -> date | None:
    day = parse_date(raw, "date de naissance")
    if day is not None and day >= today:
        raise InvalidValue("date de naissance invalide : elle doit être passée", _text(raw))
    return day


def clean_training_end_date(raw) -> date | None:
    day = parse_date(raw, "date de fin de formation")
    if day is not None and day.year > 2100:
        raise InvalidValue("date de fin de formation invalide", _text(raw))
    return day


def clean_pathway(raw) -> str:
    value = _text(raw)
    if not value:
        return "training"
    pathway = PATHWAY_WORDS.get(fold(value))
    if pathway is None:
        raise InvalidValue("parcours inconnu : « formation », « partenaire » ou « vae » attendu",
                           value)
    return pathway


def clean_extra_minutes(raw) -> int:
    value = _text(raw)
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
    if errors:
        return None, errors
    return CandidateData(**values), {}


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
