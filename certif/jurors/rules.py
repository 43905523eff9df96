"""The habilitation rules of seed 000 (I.C.1, I.C.3): a pure recommendation.

The organiser decides; certif only says which rule is met and which is not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..text import fold

MIN_YEARS = 5
# The two professions the procedure accepts, as people write them.
_PROFESSIONS = (
    re.compile(r"\bcommunity\s*-?\s*manag\w*"),
    re.compile(r"\bformat(eur|rice)\b.*\bcommunication\s+(digitale?|numerique)"),
)


def _plain(text: str) -> str:
    text = fold(text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text).strip()


def profession_accepted(profession: str | None) -> bool:
    plain = _plain(profession or "")
    return any(p.search(plain) for p in _PROFESSIONS)


@dataclass(frozen=True)
class Check:
    label: str
    met: bool | None  # None: not filled in yet


@dataclass(frozen=True)
class Recommendation:
    checks: tuple[Check, ...]

    @property
    def favourable(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def complete(self) -> bool:
        return all(c.met is not None for c in self.checks)

    @property
    def label(self) -> str:
        if self.favourable:
            return "Avis favorable recommandé : toutes les conditions sont remplies."
        if not self.complete:
            return "Profil incomplet : certaines conditions ne peuvent pas encore être vérifiées."
        return "Avis défavorable recommandé : au moins une condition n'est pas remplie."


def recommend(profession: str | None, years_experience: int | None, external: bool | None,
              professionalisation_date: date | None, today: date | None = None) -> Recommendation:
    today = today or date.today()
    attended = None if professionalisation_date is None else professionalisation_date <= today
    return Recommendation((
        Check("Profession : community manager ou formateur en communication digitale",
              None if not profession else profession_accepted(profession)),
        Check(f"Au moins {MIN_YEARS} ans d'expérience professionnelle",
              None if years_experience is None else years_experience >= MIN_YEARS),
        Check("Externe à l'organisme", external),
        Check("Session de professionnalisation suivie", attended),
    ))
