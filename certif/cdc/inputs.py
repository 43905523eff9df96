"""Reading the CDC's processing report as certif imports it: a CSV file (README, « Déclarer
les titulaires à la Caisse des Dépôts »), one line per passage:

    idTechnique;statut;motif
    certif-RS6240-2026-0001;ACCEPTE;
    certif-RS6240-2026-0002;REJETE;Code commune de naissance inconnu

`;` or `,` separated, UTF-8 (with or without BOM); `statut` is ACCEPTE or REJETE (accents,
case, OK/KO, ACCEPTED/REJECTED also read); `motif` is required for a rejection. Any bad line
refuses the whole file (nothing is recorded), with the line numbers.
"""
from __future__ import annotations

import csv
import io

from ..errors import InvalidInput
from ..text import fold
from .rules import Answer, answer_problem

REPORT_MAX_BYTES = 2 * 1024 * 1024
HEADER = ("idtechnique", "statut", "motif")
ACCEPTED_WORDS = {"accepte", "accepted", "ok", "valide"}
REJECTED_WORDS = {"rejete", "rejected", "ko", "refuse"}
MAX_SHOWN = 10

MSG_EMPTY = "Choisissez le fichier du rapport de traitement (CSV) à importer."
MSG_TOO_BIG = f"Le rapport dépasse {REPORT_MAX_BYTES // (1024 * 1024)} Mo : ce n'est pas un rapport attendu."
MSG_ENCODING = "Le rapport n'est pas un fichier texte UTF-8 : enregistrez-le en CSV UTF-8."
MSG_HEADER = ("La première ligne du rapport doit nommer les colonnes « idTechnique;statut;motif » "
              "(voir le README).")


def parse_report(raw: bytes | None) -> list[Answer]:
    """The answers of a report, or InvalidInput listing every bad line (nothing is kept)."""
    if not raw:
        raise InvalidInput(MSG_EMPTY)
    if len(raw) > REPORT_MAX_BYTES:
        raise InvalidInput(MSG_TOO_BIG)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(MSG_ENCODING) from None
    if "\x00" in text:
        raise InvalidInput(MSG_ENCODING)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or tuple(fold(c).strip().replace(" ", "") for c in rows[0][:3]) != HEADER:
        raise InvalidInput(MSG_HEADER)
    answers, errors, seen = [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row] + ["", "", ""]
        technical_id, status, reason = cells[0], fold(cells[1]).strip(), cells[2] or None
        if not technical_id:
            errors.append(f"ligne {number} : idTechnique vide")
            continue
        if technical_id in seen:
            errors.append(f"ligne {number} : « {technical_id[:60]} » figure deux fois")
            continue
        seen.add(technical_id)
        if status not in ACCEPTED_WORDS | REJECTED_WORDS:
            errors.append(f"ligne {number} : statut « {cells[1][:30]} » inconnu (ACCEPTE ou REJETE)")
            continue
        accepted = status in ACCEPTED_WORDS
        problem = answer_problem(accepted, reason)
        if problem:
            errors.append(f"ligne {number} : {problem[0].lower()}{problem[1:]}")
            continue
        answers.append(Answer(technical_id, accepted, None if accepted else reason))
    if errors:
        raise InvalidInput(refusal(errors))
    if not answers:
        raise InvalidInput("Le rapport ne contient aucune ligne : rien n'est enregistré.")
    return answers


def refusal(errors: list[str]) -> str:
    shown = "; ".join(errors[:MAX_SHOWN])
    more = f" (et {len(errors) - MAX_SHOWN} autres)" if len(errors) > MAX_SHOWN else ""
    return f"Rapport refusé, rien n'est enregistré : {shown}{more}."
