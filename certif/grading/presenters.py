"""Wording of results, shared by pages and documents."""
from ..referentials.scoring import BLOCKS
from .rules import FAVORABLE, UNFAVORABLE

_LABELS = {
    ("points", FAVORABLE): "Avis favorable",
    ("points", UNFAVORABLE): "Avis défavorable",
    (BLOCKS, FAVORABLE): "Avis favorable : titre attribué",
    (BLOCKS, UNFAVORABLE): "Avis défavorable : titre non attribué",
}


def decision_label(rule: str, decision: str | None, unmarked: int | None = None) -> str:
    if decision is None:
        if unmarked:
            return f"Décision en attente : {unmarked} critère{'s' if unmarked > 1 else ''} à noter"
        return "Décision en attente"
    return _LABELS[(rule, decision)]


def status_label(acquired: bool | None, *, block: bool = False) -> str:
    if acquired is None:
        return "À compléter"
    if block:
        return "Bloc validé" if acquired else "Bloc non validé"
    return "Acquise" if acquired else "Non acquise"


def mark_label(value: bool | None) -> str:
    if value is None:
        return "Non noté"
    return "Acquis" if value else "Non acquis"
