"""A partner organisation's livret as CSV: pure Python, no Flask, no database.

One line per evaluation (compétence, date, type, résultat, évaluateur, commentaire) or per
end-of-block project (type « projet de bloc », bloc, date, évaluateur: the pedagogical lead who
validated it). The file is read by the candidates' import (`read_table`: encodings,
delimiters, line numbers, the file's errors); every line is checked with the livret's field
rules; the service then checks the rows against the livret and writes all or none.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..csv_import import ImportResult, ImportRow, Layout, read_table
from ..rules import InvalidValue, fold
from .rules import EvaluationInput, ProjectInput, clean_evaluation, clean_project

COLUMNS = {"bloc": "block", "competence": "competency", "date": "date", "type": "kind",
           "resultat": "result", "evaluateur": "evaluator", "commentaire": "comment"}
TEMPLATE_HEADER = ("bloc", "compétence", "date", "type", "résultat", "évaluateur",
                   "commentaire")
LIVRET = Layout(COLUMNS, {"date": "date", "kind": "type", "evaluator": "évaluateur"},
                TEMPLATE_HEADER, "évaluation", max_lines=1000)
PROJECT_WORDS = {"projet de bloc", "projet de fin de bloc", "projet fin de bloc"}
VALIDATED_WORDS = {"", "valide", "acquis", "oui"}


@dataclass(frozen=True)
class Structure:
    """The livret's referential: each competency's block code, and the block codes."""

    block_of: Mapping[str, str]
    blocks: tuple[str, ...]


def parse(data: bytes, structure: Structure, today: date) -> ImportResult:
    """Every line checked; rows are EvaluationInput or ProjectInput, counted if `result.ok`."""
    first_seen: dict[tuple, int] = {}

    def check_line(line: int, raw: dict[str, str], ok: bool, result: ImportResult) -> None:
        row, errors = _check(raw, structure, today)
        for error in errors:
            result.fail(error.for_line(line), line)
        if row is None or errors or not ok:
            return
        key = _identity(row)
        if key in first_seen:
            what = "même projet de bloc" if isinstance(row, ProjectInput) else "même évaluation"
            result.fail(f"Ligne {line} : {what} que la ligne {first_seen[key]}", line)
            return
        first_seen[key] = line
        result.rows.append(ImportRow(line, row))

    return read_table(data, LIVRET, check_line)


def _identity(row) -> tuple:
    if isinstance(row, ProjectInput):
        return ("project", row.block_code)
    return ("evaluation", row.competency_code, row.evaluated_on, row.kind, row.evaluator)


def _check(raw: dict[str, str], structure: Structure,
           today: date) -> tuple[EvaluationInput | ProjectInput | None, list[InvalidValue]]:
    if fold(raw.get("kind") or "") in PROJECT_WORDS:
        return _check_project(raw, structure, today)
    row, errors = clean_evaluation(
        {"competency_code": raw.get("competency"), "evaluated_on": raw.get("date"),
         "kind": raw.get("kind"), "acquired": raw.get("result"),
         "evaluator": raw.get("evaluator"), "comment": raw.get("comment")},
        structure.block_of, today)
    problems = list(errors.values())
    block = (raw.get("block") or "").strip()
    if row is not None and block and fold(block) != fold(structure.block_of[row.competency_code]):
        problems.append(InvalidValue(f"la compétence {row.competency_code} appartient au bloc "
                                     f"{structure.block_of[row.competency_code]}", block))
    return row, problems


def _check_project(raw: dict[str, str], structure: Structure,
                   today: date) -> tuple[ProjectInput | None, list[InvalidValue]]:
    row, errors = clean_project(
        {"block_code": raw.get("block"), "validated_on": raw.get("date"),
         "validated_by": raw.get("evaluator"), "comment": raw.get("comment")},
        structure.blocks, today)
    problems = list(errors.values())
    if (raw.get("competency") or "").strip():
        problems.append(InvalidValue("un projet de bloc ne nomme pas de compétence : laissez "
                                     "la colonne « compétence » vide", raw["competency"].strip()))
    result = (raw.get("result") or "").strip()
    if fold(result) not in VALIDATED_WORDS:
        problems.append(InvalidValue("un projet de bloc figure au livret une fois validé : "
                                     "« validé » ou rien attendu en résultat", result))
    return row, problems
