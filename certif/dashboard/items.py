"""The dashboard's due item: its kinds in display order, and the item every kind lists.

Each item has a kind, a due date, a French label and the page where it is done. The due
dates follow the procedure (seed 000) where it gives one; elsewhere the rule chosen is stated
beside the kind, in the module that lists it (session_items, result_items, juror_items,
organisation_items). Every kind reads the database a fixed number of times, whatever the number
of sessions or items (batched queries, eager loads): the page stays fast.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..timeutil import paris_today

# In the order the counts are shown, and ties on the same day are listed.
KINDS = {
    "replacement": "Sessions de remplacement à organiser",
    "conflict": "Conflits d'intérêts à résoudre",
    "convene": "Convocations à envoyer",
    "dossier": "Dossiers de candidats incomplets ou en retard",
    "retake_schedule": "Rattrapages à planifier",
    "retake_window": "Délais de rattrapage qui se terminent",
    "appeal": "Recours à trancher",
    "stranded": "Candidats à replacer (session annulée)",
    "habilitation": "Habilitations à décider",
    "habilitation_review": "Habilitations à revoir",
    "late_sitting": "Passages plus de 3 mois après la formation",
    "conditions": "Fiches de conditions d'examen non remises",
    "results": "Résultats à envoyer",
    "certificate": "Certificats à délivrer",
    "cdc": "Titulaires à déclarer à la Caisse des Dépôts",
    "council_action": "Actions correctives à appliquer",
    "council_meeting": "Réunions du conseil de pilotage à tenir",
    "insurance": "Assurance responsabilité civile à renouveler",
    "registration": "Enregistrements de certification qui prennent fin",
    "mentions": "Mentions obligatoires des certificats à compléter",
}


@dataclass
class DueItem:
    kind: str
    due: date
    label: str
    # Where it is done: the first of these pages that exists, as (endpoint, values).
    links: list[tuple[str, dict]]
    detail: str | None = None
    today: date = field(default_factory=paris_today, repr=False)

    @property
    def overdue(self) -> bool:
        return self.due < self.today

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def sort_key(self) -> tuple:
        return (self.due, list(KINDS).index(self.kind), self.label)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"
