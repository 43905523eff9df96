"""Reading and checking a referential YAML file (pure: no Flask, no database)."""
from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from .scoring import BLOCKS, POINTS, RULES

DATA_DIR = Path(__file__).parent / "data"


class ReferentialError(ValueError):
    pass


def referential_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def read(path: Path) -> tuple[dict, str]:
    """The checked content of a referential file and the SHA-256 of its bytes."""
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ReferentialError(f"{path.name}: YAML invalide ({exc})") from exc
    check(data, path.name)
    return data, hashlib.sha256(raw).hexdigest()


def blocks_of(data: dict) -> list[dict]:
    """Blocks as declared, or one implicit block when the file lists competencies directly."""
    if "blocks" in data:
        return data["blocks"]
    return [{"code": None, "title": None, "competencies": data.get("competencies", [])}]


def check(data, name: str = "référentiel") -> None:
    def fail(message):
        raise ReferentialError(f"{name}: {message}")

    if not isinstance(data, dict):
        fail("le fichier doit décrire un objet")
    for key in ("code", "version", "title", "scoring", "exam"):
        if key not in data:
            fail(f"clé « {key} » manquante")
    if not isinstance(data["version"], int) or data["version"] < 1:
        fail("« version » doit être un entier positif")
    rule = data["scoring"].get("rule")
    if rule not in RULES:
        fail(f"règle de notation inconnue « {rule} » (attendu : {', '.join(RULES)})")
    if ("blocks" in data) == ("competencies" in data):
        fail("déclarer soit « blocks », soit « competencies »")
    if not isinstance(data["exam"].get("duration_minutes"), int):
        fail("« exam.duration_minutes » doit être un entier")
    _check_mentions(data, fail)

    seen: set[str] = set()

    def unique(code, what):
        if not code or code in seen:
            fail(f"code de {what} absent ou en double : {code!r}")
        seen.add(code)

    competencies = []
    for block in blocks_of(data):
        if block["code"] is not None:
            unique(block["code"], "bloc")
        if not block.get("competencies"):
            fail(f"le bloc {block['code']} n'a aucune compétence")
        for comp in block["competencies"]:
            unique(comp.get("code"), "compétence")
            if not comp.get("criteria"):
                fail(f"la compétence {comp['code']} n'a aucun critère")
            for criterion in comp["criteria"]:
                unique(criterion.get("code"), "critère")
                if not criterion.get("text"):
                    fail(f"le critère {criterion['code']} n'a pas de texte")
            competencies.append(comp)

    if rule == POINTS:
        scoring = data["scoring"]
        if "pass_mark" not in scoring or "max_points" not in scoring:
            fail("une notation par points demande « pass_mark » et « max_points »")
        if any(c.get("points") is None for c in competencies):
            fail("chaque compétence doit avoir des points")
        total = sum(Decimal(str(c["points"])) for c in competencies)
        if total != Decimal(str(scoring["max_points"])):
            fail(f"les points des compétences font {total}, pas {scoring['max_points']}")
    if rule == BLOCKS and "blocks" not in data:
        fail("une notation par blocs demande « blocks »")


def _check_mentions(data: dict, fail) -> None:
    """Titles, registration dates and the certificates' validity, when declared."""
    for key in ("title", "registered_title", "annex_heading", "document_title"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            fail(f"« {key} » doit être un texte non vide")
    registration = data.get("registration") or {}
    if not isinstance(registration, dict):
        fail("« registration » doit décrire un objet")
    days = {}
    for key in ("effective_from", "ends_on"):
        if registration.get(key) is not None:
            try:
                days[key] = date.fromisoformat(str(registration[key]))
            except ValueError:
                fail(f"« registration.{key} » doit être une date AAAA-MM-JJ")
    if len(days) == 2 and days["ends_on"] < days["effective_from"]:
        fail("« registration.ends_on » précède « registration.effective_from »")
    years = (data.get("certificate") or {}).get("validity_years")
    if years is not None and (not isinstance(years, int) or isinstance(years, bool) or years < 1):
        fail("« certificate.validity_years » doit être un entier positif ou null")
