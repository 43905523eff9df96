"""Jurors: the one maker of a habilitated juror (per certification), habilitation profiles
and decisions, professionalisation sessions."""
from datetime import date, time

from certif.auth.models import JUROR, User
from certif.extensions import db
from certif.jurors.models import FAVOURABLE, JurorHabilitation, JurorProfile
from certif.jurors.professionalisation.models import ProfessionalisationInvitation, ProfessionalisationSession
from certif.referentials.models import Referential
from certif.timeutil import paris_to_utc, utcnow

from .users import make_user

# A complete profile: what a juror fills in before the habilitation decision.
PROFILE = dict(profession="Community manager", years_experience=7, external=True,
               professionalisation_date=date(2025, 9, 15), workplace="Agence Sociale",
               address="12 rue des Lilas", postal_code="69003", city="Lyon",
               phone="06 12 34 56 78")


# The certifications the tests use: a juror is habilitated for both unless told.
CODES = ("RS6240", "RNCP-CM")


def make_juror(first_name="Claire", last_name=None, result: str | None = FAVOURABLE, *,
               profile: bool = True, codes=CODES) -> User:
    """A juror with a habilitation profile and the decision `result` for each certification
    of `codes` (favourable for both unless told; None: the decision is pending); with
    `profile=False`, a juror account without any profile nor decision."""
    user = make_user(JUROR, first_name=first_name, last_name=last_name)
    if profile:
        # The profile first, then the decisions: none reads as "changed since the decision".
        db.session.add(JurorProfile(user=user, updated_at=utcnow()))
        if result is not None:
            for code in codes:
                db.session.add(JurorHabilitation(juror=user, referential_code=code, result=result,
                                                 decided_at=utcnow()))
        db.session.commit()
    return user


def set_habilitation(user: User, result: str | None, codes=CODES, **values) -> None:
    """Replace the user's decisions for `codes` by `result` (None: no decision), committed."""
    db.session.execute(db.delete(JurorHabilitation).where(
        JurorHabilitation.juror_id == user.id, JurorHabilitation.referential_code.in_(codes)))
    if result is not None:
        for code in codes:
            db.session.add(JurorHabilitation(juror_id=user.id, referential_code=code,
                                             result=result, **values))
    db.session.commit()
    db.session.expire(user, ["juror_habilitations"])


def habilitation_of(user: User, code: str = "RS6240") -> JurorHabilitation | None:
    return db.session.scalar(db.select(JurorHabilitation).filter_by(juror_id=user.id,
                                                                    referential_code=code))


def make_juror_profile(user: User, **values) -> JurorProfile:
    """Give `user` a complete habilitation profile (PROFILE; decision pending unless told)."""
    profile = JurorProfile(user=user, **{**PROFILE, **values})
    db.session.add(profile)
    db.session.commit()
    return profile


def make_professionalisation(day: date, *jurors: User, attended: bool | None = None,
                             mode: str = "remote", start=time(14, 0), code: str = "RS6240"):
    """A professionalisation session of the certification `code` (RS6240 unless told) held on
    `day`, the `jurors` invited (without email), their attendance `attended` (None: not
    recorded)."""
    referential = db.session.scalar(db.select(Referential).filter_by(code=code)
                                    .order_by(Referential.version.desc()).limit(1))
    session = ProfessionalisationSession(
        referential=referential, starts_at=paris_to_utc(day, start), mode=mode,
        place="12 rue de la Paix, Paris" if mode == "on_site" else None,
        video_link="https://visio.example.org/pro" if mode == "remote" else None,
        content="Explicitation des modalités et des attendus de la certification.")
    for juror in jurors:
        session.invitations.append(ProfessionalisationInvitation(juror=juror, attended=attended))
    db.session.add(session)
    db.session.commit()
    return session
