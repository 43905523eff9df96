"""The habilitation rules a referential declares (its `habilitation:` section), checked
against a juror's profile: a pure recommendation, per certification.

The organiser decides; certif only says which rule is met and which is not. RS6240 (seed
000, I.C.1 and I.C.3): profession, at least 5 years, external, professionalisation session
attended; the RNCP title (seed 001, 5-2): professionals of the field. A referential without
the section declares no rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..text import fold


@dataclass(frozen=True)
class HabilitationRules:
    """A referential's declared rules; None or False: the rule does not apply."""

    professions_label: str | None = None
    patterns: tuple[str, ...] = ()
    min_years: int | None = None
    external: bool = False
    professionalisation: bool = False
    source: str | None = None
    quote: str | None = None


def rules_from(section: dict | None) -> HabilitationRules:
    """The rules of a referential's `habilitation` section (checked on import)."""
    section = section or {}
    professions = section.get("professions") or {}
    return HabilitationRules(
        professions_label=professions.get("label"),
        patterns=tuple(professions.get("patterns") or ()),
        min_years=section.get("min_years"),
        external=bool(section.get("external")),
        professionalisation=bool(section.get("professionalisation")),
        source=section.get("source"), quote=section.get("quote"))


def _plain(text: str) -> str:
    text = fold(text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text).strip()


def profession_accepted(profession: str | None, patterns) -> bool:
    plain = _plain(profession or "")
    return any(re.search(p, plain) for p in patterns)


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
        if not self.checks:
            return "Le référentiel ne déclare aucune condition d'habilitation."
        if self.favourable:
            return "Avis favorable recommandé : toutes les conditions sont remplies."
        if not self.complete:
            return "Profil incomplet : certaines conditions ne peuvent pas encore être vérifiées."
        return "Avis défavorable recommandé : au moins une condition n'est pas remplie."


def recommend(rules: HabilitationRules, profession: str | None, years_experience: int | None,
              external: bool | None, attended_on: date | None,
              today: date | None = None) -> Recommendation:
    """Each declared rule with whether the profile meets it. `attended_on`: the day of the
    professionalisation session of this certification the juror attended (None: none)."""
    today = today or date.today()
    checks = []
    if rules.patterns:
        checks.append(Check(f"Profession : {rules.professions_label}",
                            None if not profession else profession_accepted(profession, rules.patterns)))
    if rules.min_years is not None:
        checks.append(Check(f"Au moins {rules.min_years} ans d'expérience professionnelle",
                            None if years_experience is None else years_experience >= rules.min_years))
    if rules.external:
        checks.append(Check("Externe à l'organisme", external))
    if rules.professionalisation:
        checks.append(Check("Session de professionnalisation de cette certification suivie",
                            attended_on is not None and attended_on <= today))
    return Recommendation(tuple(checks))
