"""The parts' rules, pure: each part's planned minutes (a candidate's extra minutes extend the
last one), which part the president may start next, and how a coverage mark is posted."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...errors import Conflict, InvalidInput

MSG_NO_PARTS = "Le référentiel de cette certification ne déclare pas de parties d'épreuve."
MSG_BAD_POSITION = "Partie invalide : rechargez la page."
MSG_PAST_LAST = "« {title} » est la dernière partie de l'épreuve : il n'y a pas de partie suivante."
MSG_STALE = ("La partie en cours a changé entre-temps (« {title} ») : rechargez la page "
             "avant de passer à la suivante.")
MSG_BAD_KIND = "Choix invalide : « couverte par le projet » ou « évaluée en entretien »."
MSG_BAD_COVERAGE = "Valeur invalide : choisissez « Oui » ou « Non »."
MSG_NO_COMPETENCY = "Compétence introuvable dans le référentiel de cette certification."

# What a coverage form posts (kind=…, value=…) and the column it sets.
KINDS = {"projet": "covered_by_project", "entretien": "evaluated_in_interview"}
KIND_LABELS = {"projet": "couverte par le projet", "entretien": "évaluée en entretien"}
ANSWERS = {"oui": True, "non": False}


@dataclass(frozen=True)
class PlannedPart:
    position: int  # 0-based, the referential's order
    title: str
    description: str | None
    minutes: int  # planned, the candidate's extra minutes included on the last part
    extra_minutes: int = 0  # of which the accommodation's


def plan(parts: list[dict], extra_minutes: int = 0) -> list[PlannedPart]:
    """The referential's parts with their planned minutes for one candidate."""
    last = len(parts) - 1
    return [PlannedPart(i, p["title"], p.get("description"),
                        p["minutes"] + (extra_minutes if i == last else 0),
                        extra_minutes if i == last else 0)
            for i, p in enumerate(parts)]


def parse_position(raw: str | None) -> int:
    if raw is None or not raw.strip().isdigit() or len(raw.strip()) > 3:
        raise InvalidInput(MSG_BAD_POSITION)
    return int(raw)


def next_move(planned: list[PlannedPart], current: int | None, target: int) -> bool:
    """Whether starting part `target` (what the president's button posts) records a start:
    True for the part after the current one (the first when none started), False when
    `target` is already the current part (a repeated click changes nothing); refused
    (409) past the last part or when the page was stale."""
    if not planned:
        raise Conflict(MSG_NO_PARTS)
    if target == current:
        return False
    if target >= len(planned):
        raise Conflict(MSG_PAST_LAST.format(title=planned[-1].title))
    expected = 0 if current is None else current + 1
    if target != expected:
        shown = planned[current].title if current is not None else "aucune"
        raise Conflict(MSG_STALE.format(title=shown))
    return True


def elapsed_seconds(started_at: datetime | None, now: datetime) -> int:
    if started_at is None:
        return 0
    return max(0, int((now - started_at).total_seconds()))


def parse_coverage(raw_kind: str | None, raw_value: str | None) -> tuple[str, bool]:
    """(column, value) of a coverage form's post."""
    if raw_kind not in KINDS:
        raise InvalidInput(MSG_BAD_KIND)
    if raw_value not in ANSWERS:
        raise InvalidInput(MSG_BAD_COVERAGE)
    return KINDS[raw_kind], ANSWERS[raw_value]
