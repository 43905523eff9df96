"""The dashboard page's model: every due item of every kind, soonest first, and the count
of each kind."""
from __future__ import annotations

from collections import Counter
from datetime import date

from ..timeutil import paris_today
from .cdc_items import holders_to_declare
from .dossier_items import files_incomplete
from .items import KINDS, DueItem
from .juror_items import habilitations_to_decide, habilitations_to_review
from .organisation_items import council_actions, council_meetings, insurance_to_renew
from .registration_items import mentions_missing, registrations_ending
from .result_items import (
    appeals_to_answer,
    certificates_to_issue,
    conditions_not_handed,
    results_to_send,
    retake_windows_closing,
    retakes_to_schedule,
)
from .session_items import (
    conflicts_to_resolve,
    late_sittings,
    replacements_to_organise,
    sessions_to_convene,
    stranded_candidates,
    upcoming_sessions,
)


def due_items(today: date | None = None) -> list[DueItem]:
    """Everything due, soonest first (overdue items first of all)."""
    today = today or paris_today()
    upcoming = upcoming_sessions(today)  # read once, for two kinds
    items = [
        *sessions_to_convene(today, upcoming),
        *files_incomplete(today, upcoming),
        *replacements_to_organise(today),
        *retakes_to_schedule(today),
        *retake_windows_closing(today),
        *appeals_to_answer(today),
        *conflicts_to_resolve(today),
        *stranded_candidates(today),
        *habilitations_to_decide(today),
        *habilitations_to_review(today),
        *late_sittings(today, upcoming),
        *conditions_not_handed(today),
        *results_to_send(today),
        *certificates_to_issue(today),
        *holders_to_declare(today),
        *council_actions(today),
        *council_meetings(today),
        *insurance_to_renew(today),
        *registrations_ending(today),
        *mentions_missing(today),
    ]
    return sorted(items, key=lambda item: item.sort_key)


def counts(items: list[DueItem]) -> list[tuple[str, str, int]]:
    """(kind, label, count) of the kinds present, in KINDS order."""
    per_kind = Counter(item.kind for item in items)
    return [(kind, label, per_kind[kind]) for kind, label in KINDS.items() if per_kind[kind]]
