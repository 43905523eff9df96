"""A certification's registration (France Compétences), as its referential file declares it:
the register and number, the RNCP level, the registration decision and its date, the period
of registration. Pure: no Flask, no database; read from the referential's `details`.

What a referential leaves empty (null) is declared unknown: `missing_facts` names it, and the
certificates and block attestations, which must print it, are refused until it is filled in.
A session cannot be held after the registration's end date (`session_day_problem`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..timeutil import french_date

RNCP = "RNCP"


@dataclass(frozen=True)
class Registration:
    code: str
    registered_title: str | None
    register: str | None
    number: str | None
    level: str | None
    needs_level: bool  # an RNCP title: its level (cadre national des certifications) is printed
    decision: str | None
    decided_on: date | None
    effective_from: date | None
    ends_on: date | None


def _day(raw) -> date | None:
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:  # the loader refuses such a file; never fail on a stored one
        return None


def _text(raw) -> str | None:
    return (str(raw).strip() or None) if raw is not None else None


def registration_of(code: str, details: dict | None) -> Registration:
    details = details or {}
    facts = details.get("registration") or {}
    cdc_type = (details.get("cdc") or {}).get("type")
    number = _text(facts.get("number"))
    return Registration(
        code=code, registered_title=_text(details.get("registered_title")),
        register=_text(facts.get("register")), number=number, level=_text(facts.get("level")),
        needs_level="level" in facts or cdc_type == RNCP or (number or "").startswith(RNCP),
        decision=_text(facts.get("decree")), decided_on=_day(facts.get("decided_on")),
        effective_from=_day(facts.get("effective_from")), ends_on=_day(facts.get("ends_on")))


def missing_facts(reg: Registration) -> list[str]:
    """The French names of the registration facts a certificate must print and the file lacks
    (with the key to fill in the referential file), in the certificate's order."""
    wanted = [
        (reg.registered_title, "l'intitulé exact de la certification enregistrée (« registered_title »)"),
        (reg.register, "le répertoire d'enregistrement (« registration.register »)"),
        (reg.number, "le numéro d'enregistrement"
                     f"{' RNCP' if reg.needs_level else ''} (« registration.number »)"),
    ]
    if reg.needs_level:
        wanted.append((reg.level, "le niveau de qualification (« registration.level »)"))
    wanted += [
        (reg.decision, "la décision d'enregistrement (« registration.decree »)"),
        (reg.decided_on, "la date de la décision d'enregistrement (« registration.decided_on »)"),
        (reg.ends_on, "la date de fin d'enregistrement (« registration.ends_on »)"),
    ]
    return [f"{name} de {reg.code}" for value, name in wanted if not value]


def after_end(day: date, ends_on: date | None) -> bool:
    """Held after the registration's end: refused. The end day itself is still registered; an
    unknown end refuses nothing here (the certificates ask for it)."""
    return ends_on is not None and day > ends_on


MSG_SESSION_AFTER_END = ("L'enregistrement de la certification {code} court jusqu'au {end} : "
                         "aucune session ne peut avoir lieu après cette date (choisissez une date "
                         "au plus tard le {end}, ou une certification enregistrée).")


def session_day_problem(reg: Registration, day: date) -> str | None:
    """Why a session of this certification cannot be held on `day`, or None."""
    if after_end(day, reg.ends_on):
        return MSG_SESSION_AFTER_END.format(code=reg.code, end=french_date(reg.ends_on))
    return None


def period_sentence(reg: Registration) -> str | None:
    """"Enregistrement du 26/01/2023 au 25/01/2028." (or until a date), None without an end."""
    if reg.ends_on is None:
        return None
    end = reg.ends_on.strftime("%d/%m/%Y")
    if reg.effective_from is not None:
        return f"Enregistrement du {reg.effective_from.strftime('%d/%m/%Y')} au {end}."
    return f"Enregistrement jusqu'au {end}."


def registration_sentence(reg: Registration) -> str | None:
    """"Certification enregistrée au Répertoire spécifique sous le numéro RS6240 par décision du
    25/01/2023 (Arrêté du …)." — with the level for an RNCP title; None without a register."""
    if not reg.register:
        return None
    sentence = f"Certification enregistrée au {reg.register}"
    if reg.number:
        sentence += f" sous le numéro {reg.number}"
    if reg.needs_level and reg.level:
        sentence += f", niveau {reg.level}"
    if reg.decided_on:
        sentence += f", par décision du {reg.decided_on.strftime('%d/%m/%Y')}"
    if reg.decision:
        sentence += f" ({reg.decision.rstrip('.')})"
    return sentence + "."
