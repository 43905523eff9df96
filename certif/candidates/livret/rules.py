"""What a pathway requires of the livret, and the fields of an evaluation or a block project.

Pure Python (no Flask, no database): the organiser's forms and the partner organisation's CSV
import check their values with the same functions, so a value accepted in one is accepted in
the other. Which pathways keep a livret is the referential's `livret.pathways` (YAML), never
a certification's code.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from ...text import clean_text
from ..models import PATHWAYS
from ..rules import InvalidValue, clean_name, fold, parse_date
from .models import KINDS, MAX_COMMENT, MAX_PERSON

# Words accepted for a kind of evaluation and for a result (compared folded).
KIND_WORDS = {"quiz": "quiz", "qcm": "quiz", "etude de cas": "case_study",
              "case study": "case_study", "case_study": "case_study",
              "travaux pratiques": "practical", "tp": "practical", "practical": "practical",
              "projet": "project", "project": "project"}
KIND_WORDS.update({fold(label): kind for kind, label in KINDS.items()})
RESULT_WORDS = {"acquis": True, "acquise": True, "oui": True, "a": True,
                "non acquis": False, "non acquise": False, "non": False, "na": False,
                "n a": False}


def requires_livret(pathway: str, livret_pathways: Collection[str]) -> bool:
    """Whether a candidate of `pathway` keeps a livret for a referential whose YAML lists
    `livret_pathways` (empty: the certification has no livret)."""
    return pathway in livret_pathways


def refusal(pathway: str, livret_pathways: Collection[str], title: str | None) -> str | None:
    """Why a candidate of `pathway` has no livret for this certification (French), or None;
    `title` None: for none of the certifications."""
    if requires_livret(pathway, livret_pathways):
        return None
    if title and not livret_pathways:
        return f"La certification « {title} » ne prévoit pas de livret d'évaluation."
    label = PATHWAYS.get(pathway, pathway)
    where = f" pour la certification « {title} »" if title else ""
    return (f"Le parcours « {label} » n'a pas de livret d'évaluation{where} : aucune évaluation "
            "en cours de formation n'est enregistrée pour ce candidat.")


@dataclass(frozen=True)
class EvaluationInput:
    competency_code: str
    evaluated_on: date
    kind: str
    acquired: bool
    evaluator: str
    comment: str | None


@dataclass(frozen=True)
class ProjectInput:
    block_code: str
    validated_on: date
    validated_by: str
    comment: str | None


def _text(raw) -> str:
    return "" if raw is None else clean_text(str(raw), breaks="keep")


def clean_day(raw, what: str, today: date) -> date:
    day = parse_date(raw, what)
    if day is None:
        raise InvalidValue(f"{what} obligatoire")
    if day > today:
        raise InvalidValue(f"{what} invalide : elle ne peut pas être dans le futur", _text(raw))
    return day


def clean_kind(raw) -> str:
    value = _text(raw)
    if not value:
        raise InvalidValue("type d'évaluation obligatoire")
    kind = KIND_WORDS.get(fold(value))
    if kind is None:
        raise InvalidValue("type d'évaluation inconnu : « quiz », « étude de cas », "
                           "« travaux pratiques » ou « projet » attendu", value)
    return kind


def clean_result(raw) -> bool:
    value = _text(raw)
    if not value:
        raise InvalidValue("résultat obligatoire : « acquis » ou « non acquis »")
    result = RESULT_WORDS.get(fold(value).replace("-", " "))
    if result is None:
        raise InvalidValue("résultat inconnu : « acquis » ou « non acquis » attendu", value)
    return result


def clean_person(raw, what: str) -> str:
    return clean_name(raw, what, MAX_PERSON)


def clean_comment(raw) -> str | None:
    value = _text(raw).strip()
    if len(value) > MAX_COMMENT:
        raise InvalidValue(f"commentaire trop long ({MAX_COMMENT} caractères au plus)", value)
    return value or None


def clean_code(raw, codes: Collection[str], what: str, unknown: str) -> str:
    value = _text(raw).strip()
    if not value:
        raise InvalidValue(f"{what} obligatoire")
    found = {fold(code): code for code in codes}.get(fold(value))
    if found is None:
        raise InvalidValue(f"{unknown} dans le référentiel du livret", value)
    return found


def _run(rules: dict, raw: Mapping) -> tuple[dict, dict[str, InvalidValue]]:
    values, errors = {}, {}
    for name, rule in rules.items():
        try:
            values[name] = rule(raw.get(name))
        except InvalidValue as error:
            errors[name] = error
    return values, errors


def clean_evaluation(raw: Mapping, competency_codes: Collection[str],
                     today: date) -> tuple[EvaluationInput | None, dict[str, InvalidValue]]:
    values, errors = _run({
        "competency_code": lambda v: clean_code(v, competency_codes, "compétence",
                                                     "compétence inconnue"),
        "evaluated_on": lambda v: clean_day(v, "date de l'évaluation", today),
        "kind": clean_kind,
        "acquired": clean_result,
        "evaluator": lambda v: clean_person(v, "évaluateur"),
        "comment": clean_comment,
    }, raw)
    return (None, errors) if errors else (EvaluationInput(**values), {})


def clean_project(raw: Mapping, block_codes: Collection[str],
                  today: date) -> tuple[ProjectInput | None, dict[str, InvalidValue]]:
    values, errors = _run({
        "block_code": lambda v: clean_code(v, block_codes, "bloc", "bloc inconnu"),
        "validated_on": lambda v: clean_day(v, "date de validation du projet", today),
        "validated_by": lambda v: clean_person(v, "référent pédagogique"),
        "comment": clean_comment,
    }, raw)
    return (None, errors) if errors else (ProjectInput(**values), {})
