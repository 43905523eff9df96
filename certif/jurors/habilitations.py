"""A juror's habilitation per certification (read-only): the certifications (the latest
version of each referential code), the organiser's decision for each, what each rule the
referential declares says of the juror's profile, and why a juror may not sit on a jury of
a certification.

The decision itself is written in `sessions.jurors.decide` (it must look at the juries).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..auth.models import JUROR, User
from ..errors import NotFound
from ..extensions import db
from ..referentials.models import Referential
from ..timeutil import paris_day
from . import rules
from .models import FAVOURABLE, UNFAVOURABLE, JurorHabilitation, JurorProfile
from .professionalisation.models import ProfessionalisationInvitation, ProfessionalisationSession

MSG_NO_JUROR = "Juré introuvable."
MSG_NO_CERTIFICATION = "Certification introuvable."
MSG_NOT_HABILITATED = "{name} n'est pas habilité(e) pour la certification {title} : {why}."
WHY_NO_PROFILE = "fiche d'habilitation non renseignée"
WHY_PENDING = "habilitation en attente de décision"
WHY_UNFAVOURABLE = "habilitation défavorable"


# --- Certifications -------------------------------------------------------------------

def certifications() -> list[Referential]:
    """The latest version of each certification, by code."""
    latest: dict[str, Referential] = {}
    for ref in db.session.scalars(db.select(Referential).order_by(Referential.code,
                                                                  Referential.version)):
        latest[ref.code] = ref
    return list(latest.values())


def certification(code: str) -> Referential:
    """The latest version of the certification `code`, else NotFound."""
    ref = db.session.scalar(db.select(Referential).filter_by(code=code)
                            .order_by(Referential.version.desc()).limit(1))
    if ref is None:
        raise NotFound(MSG_NO_CERTIFICATION)
    return ref


# --- The decisions and what the rules say ---------------------------------------------

def habilitation_of(user_id: int, code: str) -> JurorHabilitation | None:
    return db.session.scalar(db.select(JurorHabilitation).filter_by(juror_id=user_id,
                                                                    referential_code=code))


def attended_days(user_id: int) -> dict[str, date]:
    """Certification code -> day (Paris) of the latest professionalisation session of that
    certification the juror attended: attendance counts for the session's certification."""
    rows = db.session.execute(
        db.select(Referential.code, db.func.max(ProfessionalisationSession.starts_at))
        .join(ProfessionalisationSession, ProfessionalisationSession.referential_id == Referential.id)
        .join(ProfessionalisationInvitation,
              ProfessionalisationInvitation.session_id == ProfessionalisationSession.id)
        .where(ProfessionalisationInvitation.juror_id == user_id,
               ProfessionalisationInvitation.attended.is_(True))
        .group_by(Referential.code)).all()
    return {code: paris_day(starts_at) for code, starts_at in rows}


def recommendation_for(profile: JurorProfile | None, referential: Referential,
                       attended_on: date | None, today: date | None = None) -> rules.Recommendation:
    """What each rule `referential` declares says of the profile."""
    declared = rules.rules_from(referential.habilitation)
    if profile is None:
        return rules.recommend(declared, None, None, None, attended_on, today)
    return rules.recommend(declared, profile.profession, profile.years_experience,
                           profile.external, attended_on, today)


def changed_since_decision(profile: JurorProfile | None, habilitation: JurorHabilitation | None) -> bool:
    """The profile was edited after the decision (the decision still stands)."""
    return bool(profile and habilitation and profile.updated_at > habilitation.decided_at)


@dataclass
class CertificationHabilitation:
    """One certification on a juror's page: the decision, and what the rules say."""

    referential: Referential
    habilitation: JurorHabilitation | None
    recommendation: rules.Recommendation
    attended_on: date | None
    changed_since_decision: bool

    @property
    def code(self) -> str:
        return self.referential.code

    @property
    def result(self) -> str | None:
        return self.habilitation.result if self.habilitation else None

    @property
    def label(self) -> str:
        return self.habilitation.label if self.habilitation else "En attente de décision"

    @property
    def declared(self) -> rules.HabilitationRules:
        return rules.rules_from(self.referential.habilitation)


def habilitations_for(user: User, today: date | None = None,
                      only: str | None = None) -> list[CertificationHabilitation]:
    """Each certification (or only `only`) with the juror's decision and recommendation."""
    profile = user.juror_profile
    decided = {h.referential_code: h for h in db.session.scalars(
        db.select(JurorHabilitation).filter_by(juror_id=user.id)
        .options(db.joinedload(JurorHabilitation.decided_by))).unique()}
    attended = attended_days(user.id)
    refs = [certification(only)] if only else certifications()
    return [CertificationHabilitation(
        ref, decided.get(ref.code), recommendation_for(profile, ref, attended.get(ref.code), today),
        attended.get(ref.code), changed_since_decision(profile, decided.get(ref.code)))
        for ref in refs]


def habilitated_codes(user: User) -> list[str]:
    """The certifications the juror holds a favourable habilitation for."""
    return sorted(h.referential_code for h in user.juror_habilitations if h.is_favourable)


# --- Who may sit on a jury of a certification -----------------------------------------

_LAZY = object()  # habilitation_problem: read from the user


def habilitation_problem(user: User | int | None, referential, habilitation=_LAZY,
                         profile=_LAZY) -> str | None:
    """Why this user cannot sit on a jury of `referential`'s certification (French, with
    their name and the certification), or None if they can.

    `referential`: anything with `code` and `title`. `habilitation` / `profile`: the user's
    JurorHabilitation for that code / JurorProfile (None: they have none) when the caller
    already loaded them with another query, to spare one (grading runs this per click).
    """
    if isinstance(user, int):
        user = db.session.get(User, user)
    if user is None:
        return MSG_NO_JUROR
    name = user.full_name
    if not user.has_role(JUROR):
        return f"{name} n'a pas de compte de juré : ne peut pas siéger dans un jury."
    if not user.active:
        return f"{name} : compte désactivé, ne peut pas siéger dans un jury."
    if habilitation is _LAZY:
        habilitation = next((h for h in user.juror_habilitations
                             if h.referential_code == referential.code), None)
    why = None
    if habilitation is None:
        if profile is _LAZY:
            profile = user.juror_profile
        why = WHY_NO_PROFILE if profile is None else WHY_PENDING
    elif habilitation.result == UNFAVOURABLE:
        why = WHY_UNFAVOURABLE
    if why is None and habilitation.result == FAVOURABLE:
        return None
    return MSG_NOT_HABILITATED.format(name=name, title=referential.title, why=why)


def is_habilitated(user_id: int, referential) -> bool:
    return habilitation_problem(user_id, referential) is None
