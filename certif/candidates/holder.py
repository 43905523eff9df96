"""The holder's civil status, as the certificate and the CDC declaration carry it (issue 15).

Pure Python, no Flask, no database. The Caisse des Dépôts' schema (cpf-accrochage 1.1.2,
type `titulaire`) sets the limits: birth name and first names of 1 to 60 characters, up to
three first names, a birth year from 1900 to 2099, sex `M` or `F`, the birth commune as an
INSEE code of 5 characters (2A/2B in Corsica) or a postal code, a country code of 3
characters when born abroad, and `modaliteAcces` from its enumeration.

`HOLDER_RULES` clean each field as typed (the form and the CSV import apply them through
`rules.clean_candidate`); `holder_problems` says what a stored candidate still lacks for the
declaration; `access_mode_of` is the `modaliteAcces` to declare.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..text import fold
from .values import InvalidValue, clean_optional_text, text_of

MAX_HOLDER_TEXT = 60  # every name and place of `titulaire` in the schema
FIRST_YEAR, LAST_YEAR = 1900, 2099  # anneeNaissance
SEXES = {"M": "Masculin", "F": "Féminin"}
SEX_WORDS = {"m": "M", "h": "M", "homme": "M", "masculin": "M",
             "f": "F", "femme": "F", "feminin": "F"}
INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")  # 2A004 Ajaccio, 2B033 Bastia
POSTAL_RE = re.compile(r"^\d{5}$")
COUNTRY_RE = re.compile(r"^\d{3}$")  # the INSEE country code without its « 99 »: 134 Espagne
FRANCE_COUNTRY = "100"  # 99100: France, which is no birth abroad
ABROAD_INSEE_PREFIX = "99"

# The schema's `modaliteAcces` enumeration and its French labels.
ACCESS_MODES = {
    "FORMATION_INITIALE_HORS_APPRENTISSAGE": "Formation initiale hors apprentissage",
    "FORMATION_INITIALE_APPRENTISSAGE": "Formation initiale en apprentissage",
    "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION":
        "Formation continue hors contrat de professionnalisation",
    "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION":
        "Formation continue en contrat de professionnalisation",
    "VAE": "Validation des acquis de l'expérience (VAE)",
    "EQUIVALENCE_DIPLOME_ETRANGER": "Équivalence de diplôme étranger",
    "CANDIDAT_LIBRE": "Candidat libre",
}
VAE_ACCESS = "VAE"
TRAINING_ACCESS = "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"
ACCESS_BY_PATHWAY = {"training": TRAINING_ACCESS, "partner": TRAINING_ACCESS, "vae": VAE_ACCESS}

# The candidate's fields this module owns, in the order of the form.
HOLDER_FIELDS = ("birth_name", "usage_name", "first_name_2", "first_name_3", "sex",
                 "birth_insee_code", "birth_postal_code", "birth_commune", "birth_country_code",
                 "birth_country_name", "access_mode")

MSG_INSEE = ("code commune INSEE de naissance invalide : 5 caractères attendus (ex. 69123, ou "
             "2A004 en Corse)")
MSG_INSEE_ZERO = " ; un zéro initial perdu par le tableur ?"
MSG_THIRD_WITHOUT_SECOND = "troisième prénom sans deuxième prénom"
MSG_ABROAD_WITH_COMMUNE = ("une naissance à l'étranger n'a ni code commune INSEE français ni code "
                           "postal : laissez-les vides")


# --- Field rules ----------------------------------------------------------------------------

def clean_holder_text(raw, what: str) -> str | None:
    """A name or a place on one line, 60 characters at most (the schema's limit)."""
    value = " ".join(text_of(raw).split())
    return clean_optional_text(value, what, MAX_HOLDER_TEXT)


def clean_sex(raw) -> str | None:
    value = text_of(raw)
    if not value:
        return None
    sex = SEX_WORDS.get(fold(value).strip(". "))
    if sex is None:
        raise InvalidValue("sexe invalide : « M » ou « F » attendu (seules valeurs admises par la "
                           "Caisse des Dépôts)", value)
    return sex


def clean_insee_code(raw) -> str | None:
    value = text_of(raw).replace(" ", "").upper()
    if not value:
        return None
    if not INSEE_RE.match(value):
        hint = MSG_INSEE_ZERO if re.fullmatch(r"\d{4}", value) else ""
        raise InvalidValue(MSG_INSEE + hint, text_of(raw))
    return value


def clean_birth_postal_code(raw) -> str | None:
    value = text_of(raw).replace(" ", "")
    if not value:
        return None
    if not POSTAL_RE.match(value):
        raise InvalidValue("code postal de naissance invalide : 5 chiffres attendus", text_of(raw))
    return value


def clean_country_code(raw) -> str | None:
    """The INSEE code of the country of birth, 3 digits (the schema's length); « 99134 » → 134."""
    value = text_of(raw).replace(" ", "")
    if not value:
        return None
    if re.fullmatch(r"99\d{3}", value):
        value = value[2:]
    if not COUNTRY_RE.match(value):
        raise InvalidValue("code pays de naissance invalide : code INSEE du pays à 3 chiffres "
                           "attendu (ex. 134 pour l'Espagne)", text_of(raw))
    if value == FRANCE_COUNTRY:
        raise InvalidValue("code pays de naissance : 100 est la France ; laissez le pays vide pour "
                           "une naissance en France", text_of(raw))
    return value


def clean_access_mode(raw) -> str | None:
    """An enumeration value of `modaliteAcces`, or its label; None: derived from the pathway."""
    value = text_of(raw)
    if not value:
        return None
    key = value.upper().replace(" ", "_").replace("-", "_")
    if key in ACCESS_MODES:
        return key
    by_label = {fold(label): mode for mode, label in ACCESS_MODES.items()}
    if fold(value) in by_label:
        return by_label[fold(value)]
    raise InvalidValue("modalité d'accès inconnue : " + ", ".join(ACCESS_MODES), value)


HOLDER_RULES = {
    "birth_name": lambda v: clean_holder_text(v, "nom de naissance"),
    "usage_name": lambda v: clean_holder_text(v, "nom d'usage"),
    "first_name_2": lambda v: clean_holder_text(v, "deuxième prénom"),
    "first_name_3": lambda v: clean_holder_text(v, "troisième prénom"),
    "sex": clean_sex,
    "birth_insee_code": clean_insee_code,
    "birth_postal_code": clean_birth_postal_code,
    "birth_commune": lambda v: clean_holder_text(v, "commune de naissance"),
    "birth_country_code": clean_country_code,
    "birth_country_name": lambda v: clean_holder_text(v, "pays de naissance"),
    "access_mode": clean_access_mode,
}


def check_holder(values: dict, errors: dict) -> None:
    """The rules between fields; the birth name defaults to the name (`last_name`)."""
    if not values.get("birth_name") and "birth_name" not in errors and values.get("last_name"):
        values["birth_name"] = values["last_name"][:MAX_HOLDER_TEXT]
    if values.get("first_name_3") and not values.get("first_name_2") \
            and "first_name_2" not in errors:
        errors["first_name_3"] = InvalidValue(MSG_THIRD_WITHOUT_SECOND)
    abroad = values.get("birth_country_code") or values.get("birth_country_name")
    insee = values.get("birth_insee_code") or ""
    if abroad and (values.get("birth_postal_code")
                   or (insee and not insee.startswith(ABROAD_INSEE_PREFIX))):
        errors.setdefault("birth_insee_code", InvalidValue(MSG_ABROAD_WITH_COMMUNE))


# --- What the declaration still lacks ------------------------------------------------------

def born_abroad(candidate) -> bool:
    return bool(candidate.birth_country_code or candidate.birth_country_name)


def _too_long(value) -> bool:
    return value is not None and len(value) > MAX_HOLDER_TEXT


def holder_problems(candidate) -> list[str]:
    """The French names of the fields to complete or correct before the holder can be
    declared (empty: ready), following the schema's constraints."""
    problems = []

    def need(label: str, why: str | None = None) -> None:
        problems.append(f"{label} ({'à corriger : ' + why if why else 'à compléter'})")

    long = f"{MAX_HOLDER_TEXT} caractères au plus"
    for name, label, required in (("birth_name", "Nom de naissance", True),
                                  ("usage_name", "Nom d'usage", False),
                                  ("first_name", "Prénom", True),
                                  ("first_name_2", "Deuxième prénom", False),
                                  ("first_name_3", "Troisième prénom", False)):
        value = (getattr(candidate, name, None) or "").strip()
        if required and not value:
            need(label)
        elif _too_long(value):
            need(label, long)
    if candidate.first_name_3 and not candidate.first_name_2:
        need("Deuxième prénom", "un troisième prénom est indiqué sans deuxième")
    birth = candidate.birth_date
    if birth is None:
        need("Date de naissance")
    elif not FIRST_YEAR <= birth.year <= LAST_YEAR:
        need("Date de naissance", f"année de {FIRST_YEAR} à {LAST_YEAR}")
    if not candidate.sex:
        need("Sexe")
    elif candidate.sex not in SEXES:
        need("Sexe", "M ou F")
    problems += _place_problems(candidate)
    if candidate.access_mode and candidate.access_mode not in ACCESS_MODES:
        need("Modalité d'accès", "valeur inconnue de la Caisse des Dépôts")
    return problems


def _place_problems(candidate) -> list[str]:
    if born_abroad(candidate):
        problems = []
        code = candidate.birth_country_code
        if not code:
            problems.append("Code pays de naissance (à compléter)")
        elif not COUNTRY_RE.match(code) or code == FRANCE_COUNTRY:
            problems.append("Code pays de naissance (à corriger : code INSEE à 3 chiffres)")
        if not candidate.birth_country_name:
            problems.append("Pays de naissance (à compléter)")
        elif _too_long(candidate.birth_country_name):
            problems.append(f"Pays de naissance (à corriger : {MAX_HOLDER_TEXT} caractères au plus)")
        return problems
    problems = []
    insee, postal = candidate.birth_insee_code, candidate.birth_postal_code
    if insee and not INSEE_RE.match(insee):
        problems.append("Code commune INSEE de naissance (à corriger : 5 caractères)")
    elif postal and not insee and not POSTAL_RE.match(postal):
        problems.append("Code postal de naissance (à corriger : 5 chiffres)")
    elif not insee and not postal:
        problems.append("Code commune INSEE ou code postal de naissance (à compléter)")
    if not candidate.birth_commune:
        problems.append("Commune de naissance (à compléter)")
    elif _too_long(candidate.birth_commune):
        problems.append(f"Commune de naissance (à corriger : {MAX_HOLDER_TEXT} caractères au plus)")
    return problems


def access_mode_of(candidate) -> str:
    """The `modaliteAcces` to declare: the one entered, else the pathway's (VAE, or continuing
    training for a training in the organisation or at a partner)."""
    if candidate.access_mode in ACCESS_MODES:
        return candidate.access_mode
    return ACCESS_BY_PATHWAY.get(candidate.pathway, TRAINING_ACCESS)


def birth_commune_code(candidate) -> tuple[str, str] | None:
    """The schema's `codeCommuneNaissance` choice: ("insee", code) or ("postal", code); born
    abroad: ("insee", "99" + the country code); None when missing or invalid."""
    if born_abroad(candidate):
        code = candidate.birth_country_code or ""
        ok = COUNTRY_RE.match(code) and code != FRANCE_COUNTRY
        return ("insee", ABROAD_INSEE_PREFIX + code) if ok else None
    if candidate.birth_insee_code and INSEE_RE.match(candidate.birth_insee_code):
        return "insee", candidate.birth_insee_code
    if candidate.birth_postal_code and POSTAL_RE.match(candidate.birth_postal_code):
        return "postal", candidate.birth_postal_code
    return None


# --- What the certificate and the declaration will carry ----------------------------------

@dataclass(frozen=True)
class HolderSummary:
    """The holder as printed and declared, for the confirmation pages."""

    printed_name: str  # Prénoms NOM (né(e) NOM DE NAISSANCE)
    birth_name: str
    usage_name: str
    first_names: str
    birth_date: date | None
    birth_place: str
    sex: str
    access_mode: str
    problems: list[str]


def printed_name(candidate) -> str:
    """The full name as the certificate prints it: every first name, the usage name (else the
    birth name) in capitals, and « né(e) » the birth name when it differs."""
    firsts = " ".join(n for n in (candidate.first_name, candidate.first_name_2,
                                  candidate.first_name_3) if n)
    birth = (candidate.birth_name or candidate.last_name or "").upper()
    usage = (candidate.usage_name or "").upper()
    if usage and usage != birth:
        born = {"F": "née", "M": "né"}.get(candidate.sex, "né(e)")
        return f"{firsts} {usage} ({born} {birth})"
    return f"{firsts} {birth}"


def birth_place(candidate) -> str:
    """« Lyon (69123) », « Madrid (Espagne) », or what is known of it."""
    if born_abroad(candidate):
        return ", ".join(p for p in (candidate.birth_commune, candidate.birth_country_name) if p)
    code = candidate.birth_insee_code or candidate.birth_postal_code
    if candidate.birth_commune and code:
        return f"{candidate.birth_commune} ({code})"
    return candidate.birth_commune or code or ""


def summary(candidate) -> HolderSummary:
    mode = access_mode_of(candidate)
    return HolderSummary(
        printed_name=printed_name(candidate),
        birth_name=candidate.birth_name or "", usage_name=candidate.usage_name or "",
        first_names=", ".join(n for n in (candidate.first_name, candidate.first_name_2,
                                          candidate.first_name_3) if n),
        birth_date=candidate.birth_date, birth_place=birth_place(candidate),
        sex=SEXES.get(candidate.sex or "", ""), access_mode=ACCESS_MODES[mode],
        problems=holder_problems(candidate))
