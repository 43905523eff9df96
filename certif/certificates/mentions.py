"""The mandatory mentions of a certificate and of a block attestation (France Compétences):
the exact registered title, the register and number (and the RNCP level), the registration
decision and its date, the registration's end date, the holder's full name and date of birth,
the date and place of award, the certifier's name, the signatory's name, function and signature.

`missing_mentions` (pure) lists what is missing, in French; producing the parchemins stops
with that list (409) until someone fills it in: the referential file, the configuration, the
minutes' visa or the candidate's record.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app

from ..errors import Conflict
from ..referentials.registration import Registration, missing_facts
from .content import place_of_award, signatory_of_session

MSG_MISSING = ("Les certificats et attestations de bloc ne peuvent pas être produits : des mentions "
               "obligatoires manquent. À compléter : {missing}.")


@dataclass(frozen=True)
class MentionFacts:
    registration: Registration
    certifier: str | None
    place: str | None
    signatory_name: str | None
    signatory_function: str | None
    signed: bool  # the signatory's mark (drawn or typed) exists
    holders: tuple[tuple[str, date | None], ...] = ()  # (full name, date of birth)


def missing_mentions(facts: MentionFacts) -> list[str]:
    """What the parchemins would print empty, in French (empty: all there). The award's date is
    always known (the deliberation, else the session's day)."""
    missing = missing_facts(facts.registration)
    if not (facts.certifier or "").strip():
        missing.append("le nom de l'organisme certificateur (configuration CERTIF_ORGANISATION)")
    if not (facts.place or "").strip():
        missing.append("le lieu de délivrance : la ville de l'organisme (configuration "
                       "CERTIF_ORGANISATION_CITY)")
    if not (facts.signatory_name or "").strip():
        missing.append("le nom du signataire (le visa du procès-verbal par le responsable "
                       "d'organisation)")
    if not (facts.signatory_function or "").strip():
        missing.append("la fonction du signataire")
    if not facts.signed:
        missing.append("la signature du signataire (le visa signé du procès-verbal)")
    names = sorted({name for name, birth in facts.holders if birth is None})
    missing += [f"la date de naissance de {name} (fiche du candidat)" for name in names]
    return missing


def session_facts(session, holders) -> MentionFacts:
    """The facts of a session's parchemins, for these holders (candidates)."""
    signatory = signatory_of_session(session.id)
    return MentionFacts(
        registration=session.referential.registration_facts,
        certifier=current_app.config.get("ORGANISATION_NAME"), place=place_of_award(),
        signatory_name=signatory["name"], signatory_function=signatory["function"],
        signed=signatory["mark"] is not None,
        holders=tuple((c.full_name, c.birth_date) for c in holders))


def check_mentions(session, holders) -> None:
    """Conflict (409) with the list of what is missing, when anything is."""
    missing = missing_mentions(session_facts(session, holders))
    if missing:
        raise Conflict(MSG_MISSING.format(missing=" ; ".join(missing)))
