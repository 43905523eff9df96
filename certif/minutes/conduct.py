"""Section 3 of the general minutes ("Déroulement des épreuves") in French, from the facts
that `record.py` gathered and the content froze (pure: no Flask, no database).

The annex's fixed sentence is printed only when the record holds nothing: no condition
not respected, no anomaly sheet, no carence, no absence, no candidate unable to sign the
attendance sheet, no accommodation. Minutes frozen
before these facts were part of the content (version 1) keep the sentence they were
signed with.
"""
from __future__ import annotations

from datetime import date

from ..people import of
from ..timeutil import french_date

NOTHING_TO_REPORT = ("Les épreuves se sont déroulées dans de bonnes conditions. Aucun incident "
                     "majeur n'a été constaté. Les candidats ont respecté les règles de l'examen, "
                     "et les surveillants ont assuré le bon fonctionnement des procédures.")
INTRODUCTION = "Le déroulement des épreuves a été consigné comme suit :"
KINDS = ("conditions", "anomalies", "carences", "absences", "unsigned", "accommodations")


def _day(value: str | None) -> str:
    try:
        return french_date(date.fromisoformat(value)) if value else ""
    except ValueError:
        return value


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _condition(sheet: dict) -> str:
    items = ", ".join(f"« {c['position']}. {c['label']} »" for c in sheet["breached"])
    plural = len(sheet["breached"]) > 1
    text = (f"Fiche des conditions d'examen du {_day(sheet['day'])} ({sheet['jury']}) : "
            f"condition{'s' if plural else ''} non respectée{'s' if plural else ''} {items}.")
    if sheet.get("observations"):
        text += f" Observations du jury : {_sentence(sheet['observations'])}"
    return text


def _anomaly(sheet: dict) -> str:
    return (f"Fiche d'anomalie n° {sheet['id']} du {_day(sheet['observed_on'])} "
            f"({sheet['type']}), constatée par : {sheet['reporter'].lower()}.")


def _carence(carence: dict) -> str:
    who = f" en l'absence {of(carence['absent_juror'])}" if carence.get("absent_juror") else ""
    text = (f"Carence : le {carence['jury']} n'a pas pu siéger{who} ; ses candidats sont "
            "convoqués à une session de remplacement.")
    if carence.get("reason"):
        text += f" Motif : {_sentence(carence['reason'])}"
    return text


def _absence(absence: dict) -> str:
    if absence.get("moved"):
        detail = "reporté(e) à une autre session"
    else:
        detail = "absence excusée" if absence.get("excused") else "absence non excusée"
    return f"Candidat(e) absent(e) : {absence['candidate']} ({detail})."


def _unsigned(unsigned: dict) -> str:
    return (f"{unsigned['candidate']} n'a pas pu émarger la feuille de présence ; motif consigné "
            f"par le jury : {_sentence(unsigned['reason'])}")


def _accommodation(accommodation: dict) -> str:
    parts = []
    if accommodation.get("measures"):
        parts.append(accommodation["measures"].strip().rstrip("."))
    if accommodation.get("extra_minutes"):
        parts.append(f"temps supplémentaire de {accommodation['extra_minutes']} minutes")
    return f"Aménagement appliqué pour {accommodation['candidate']} : {' ; '.join(parts)}."


_WRITERS = {"conditions": _condition, "anomalies": _anomaly, "carences": _carence,
            "absences": _absence, "unsigned": _unsigned, "accommodations": _accommodation}


def lines(content: dict) -> list[str]:
    """The record's sentences, in a fixed order; empty when there is nothing to report."""
    conduct = content.get("conduct") or {}
    return [_WRITERS[kind](item) for kind in KINDS for item in conduct.get(kind) or []]
