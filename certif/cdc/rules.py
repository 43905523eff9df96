"""Pure rules of the declarations to the Caisse des Dépôts: the deadline and its countdown,
each line's state, the technical id and the fingerprint of a line.

No Flask, no database: plain values, tested with tables of cases.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from ..timeutil import add_months
from .models import ACCEPTED, DECLARED, REJECTED

# A line's state, as the page shows it.
TO_DECLARE, TO_CORRECT, NOT_DECLARED = "to_declare", "to_correct", "not_declared"
STATES = {
    TO_DECLARE: "À déclarer",
    TO_CORRECT: "À corriger",
    DECLARED: "Déclaré",
    ACCEPTED: "Accepté",
    REJECTED: "Rejeté",
    NOT_DECLARED: "Révoqué : non déclaré",  # a revoked certificate is no certification to declare
}
# The states whose line still owes a declaration (the deadline counts for them).
PENDING = (TO_DECLARE, TO_CORRECT, REJECTED)

# Blocks of competences: the schema's `certification` is a registration (type + code of an
# RS or RNCP record) and a `passageCertification` has no element for a block, so the CDC
# takes whole certifications only; block attestations are not declared.
BLOCKS_NOT_DECLARED = (
    "Les attestations de blocs de compétences ne sont pas déclarées : le schéma de la Caisse "
    "des Dépôts (cpf-accrochage 1.1.2) ne connaît que la certification entière (type et code "
    "de la fiche RS ou RNCP) et n'a aucun élément pour un bloc.")



def deadline(award_day: date, months: int) -> date:
    """The last day to declare a holder: `months` after the award (3 by default)."""
    return add_months(award_day, months)


def countdown(due: date, today: date) -> str:
    """How long is left, in French: 90 jours, demain, aujourd'hui, or late by N days."""
    days = (due - today).days
    if days > 1:
        return f"{days} jours"
    if days == 1:
        return "1 jour (demain)"
    if days == 0:
        return "dernier jour aujourd'hui"
    late = -days
    return f"en retard de {late} jour{'s' if late > 1 else ''}"


def is_late(due: date, today: date) -> bool:
    return today > due


def state_of(status: str | None, problems: list[str], fingerprint: str,
             sent_fingerprint: str | None, revoked: bool = False) -> str:
    """A line's state from its declaration (None: never sent), the problems of its data and
    whether its data changed since it was sent.

    Never sent: to declare, or to correct while its data has problems. Sent: declared (answer
    awaited), accepted, or rejected; a rejected line whose data changed since is to declare
    again (or to correct, if the new data has problems), under the same technical id. A
    revoked certificate is never sent (once sent, its line keeps the CDC's state)."""
    if revoked and status in (None, REJECTED):
        return NOT_DECLARED
    if status is None:
        return TO_CORRECT if problems else TO_DECLARE
    if status == REJECTED and fingerprint != sent_fingerprint:
        return TO_CORRECT if problems else TO_DECLARE
    return status


def technical_id(certificate_number: str) -> str:
    """The passage's stable id: the certificate's number, which never changes."""
    return f"certif-{certificate_number}"


def fingerprint(line: dict) -> str:
    """SHA-256 of a line's data (what the XML carries for it)."""
    text = json.dumps(line, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Answer:
    """One answer of the CDC for a passage, by hand or from the processing report."""

    technical_id: str
    accepted: bool
    reason: str | None = None


REASON_MAX = 1000


def answer_problem(accepted: bool, reason: str | None) -> str | None:
    if accepted:
        return None
    if not reason:
        return "Indiquez le motif du rejet donné par la Caisse des Dépôts."
    if len(reason) > REASON_MAX:
        return f"Le motif du rejet est trop long ({REASON_MAX} caractères au plus)."
    return None


def config_problems(id_client: str | None, id_contrat: str | None) -> list[str]:
    """What the configuration lacks to declare anything (French)."""
    problems = []
    if not id_client or len(id_client) != 8:
        problems.append("l'identifiant client CDC (CERTIF_CDC_ID_CLIENT, 8 caractères)")
    if not id_contrat or len(id_contrat) > 20:
        problems.append("l'identifiant de contrat CDC (CERTIF_CDC_ID_CONTRAT, 20 caractères au plus)")
    return problems
