"""Reading and checking a referential YAML file (pure: no Flask, no database)."""
from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from . import deliverables
from .scoring import BLOCKS, POINTS, RULES

DATA_DIR = Path(__file__).parent / "data"
# The candidates' pathways (certif.candidates.models.PATHWAYS), as `livret.pathways` names them.
PATHWAY_CODES = ("training", "partner", "vae")


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
    _check_parts(data["exam"], fail)
    _check_mentions(data, fail)
    deliverables.check(data, fail)
    _check_livret(data, fail)
    _check_habilitation(data.get("habilitation"), fail)
    _check_cdc(data, fail)

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


def _check_parts(exam: dict, fail) -> None:
    """The exam's parts, when declared: a title and positive minutes each, in order, their
    minutes adding up to the exam's duration (a candidate's extra minutes come on top)."""
    parts = exam.get("parts")
    if parts is None:
        return
    if not isinstance(parts, list) or not parts:
        fail("« exam.parts » doit être une liste non vide")
    for number, part in enumerate(parts, 1):
        if not isinstance(part, dict) or not isinstance(part.get("title"), str) \
                or not part["title"].strip():
            fail(f"la partie {number} de l'épreuve n'a pas de titre")
        minutes = part.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 1:
            fail(f"la durée de la partie {number} (« minutes ») doit être un entier positif")
    total = sum(part["minutes"] for part in parts)
    if total != exam["duration_minutes"]:
        fail(f"les durées des parties font {total} minutes, pas {exam['duration_minutes']} "
             "(« exam.duration_minutes »)")


def _check_mentions(data: dict, fail) -> None:
    """Titles, registration dates and the certificates' validity, when declared."""
    for key in ("title", "registered_title", "annex_heading", "document_title"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            fail(f"« {key} » doit être un texte non vide")
    registration = data.get("registration") or {}
    if not isinstance(registration, dict):
        fail("« registration » doit décrire un objet")
    days = {}
    for key in ("decided_on", "effective_from", "ends_on"):
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


def _check_habilitation(section, fail) -> None:
    """The juror habilitation rules, when declared: professions (a label and regular
    expressions), min_years (a whole number or null), external and professionalisation
    (true/false), source and quote (texts)."""
    if section is None:
        return
    if not isinstance(section, dict):
        fail("« habilitation » doit décrire un objet")
    unknown = set(section) - {"source", "quote", "professions", "min_years", "external",
                              "professionalisation"}
    if unknown:
        fail(f"« habilitation » : clé inconnue « {sorted(unknown)[0]} »")
    professions = section.get("professions")
    if professions is not None:
        patterns = professions.get("patterns") if isinstance(professions, dict) else None
        if not isinstance(patterns, list) or not patterns \
                or not str(professions.get("label") or "").strip():
            fail("« habilitation.professions » demande un « label » et une liste « patterns »")
        for pattern in patterns:
            try:
                re.compile(str(pattern))
            except re.error:
                fail(f"« habilitation.professions.patterns » : expression invalide {pattern!r}")
    years = section.get("min_years")
    if years is not None and (not isinstance(years, int) or isinstance(years, bool) or years < 0):
        fail("« habilitation.min_years » doit être un entier positif ou null")
    for key in ("external", "professionalisation"):
        if key in section and not isinstance(section[key], bool):
            fail(f"« habilitation.{key} » doit valoir true ou false")
    for key in ("source", "quote"):
        if key in section and not (isinstance(section[key], str) and section[key].strip()):
            fail(f"« habilitation.{key} » doit être un texte non vide")


CDC_TYPES = ("RS", "RNCP")


def _check_cdc(data: dict, fail) -> None:
    """`cdc: {type: RS|RNCP, code: "6240"}`: how the Caisse des Dépôts knows the certification
    (holders' declarations); `code: null` declares it unknown (nothing is declared then)."""
    if "cdc" not in data:
        return
    section = data["cdc"]
    if not isinstance(section, dict) or section.get("type") not in CDC_TYPES:
        fail(f"« cdc.type » doit valoir {' ou '.join(CDC_TYPES)}")
    if set(section) - {"type", "code"}:
        fail(f"« cdc » : clé inconnue « {sorted(set(section) - {'type', 'code'})[0]} »")
    code = section.get("code", "")
    if code is not None and not (isinstance(code, str) and 0 < len(code.strip()) <= 100):
        fail("« cdc.code » doit être un texte de 1 à 100 caractères (entre guillemets), ou null "
             "tant que le numéro est inconnu")


def _check_livret(data: dict, fail) -> None:
    """`livret: {pathways: [...]}`: the pathways that keep a livret d'évaluation."""
    if "livret" not in data:
        return
    livret = data["livret"]
    pathways = livret.get("pathways") if isinstance(livret, dict) else None
    if not isinstance(pathways, list) or not pathways \
            or any(p not in PATHWAY_CODES for p in pathways):
        fail(f"« livret.pathways » doit lister des parcours parmi {', '.join(PATHWAY_CODES)}")
    if "blocks" not in data:
        fail("un livret d'évaluation demande des « blocks »")
