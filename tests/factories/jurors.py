"""Jurors: the one maker of a habilitated juror, and habilitation profiles."""
from datetime import date, time

from certif.auth.models import JUROR, User
from certif.extensions import db
from certif.jurors.models import FAVOURABLE, JurorProfile
from certif.jurors.professionalisation.models import ProfessionalisationInvitation, ProfessionalisationSession
from certif.referentials.models import Referential
from certif.timeutil import paris_to_utc

from .users import make_user

# A complete profile: what a juror fills in before the habilitation decision.
PROFILE = dict(profession="Community manager", years_experience=7, external=True,
               professionalisation_date=date(2025, 9, 15), workplace="Agence Sociale",
               address="12 rue des Lilas", postal_code="69003", city="Lyon",
               phone="06 12 34 56 78")


def make_juror(first_name="Claire", last_name=None, result: str | None = FAVOURABLE, *,
               profile: bool = True) -> User:
    """A juror whose habilitation profile holds `result`: favourable unless told (None: the
    decision is pending); with `profile=False`, a juror account without any profile."""
    user = make_user(JUROR, first_name=first_name, last_name=last_name)
    if profile:
        db.session.add(JurorProfile(user=user, habilitation_result=result))
        db.session.commit()
    return user


def make_juror_profile(user: User, **values) -> JurorProfile:
    """Give `user` a complete habilitation profile (PROFILE; decision pending unless told)."""
    profile = JurorProfile(user=user, **{**PROFILE, **values})
    db.session.add(profile)
    db.session.commit()
    return profile


def make_professionalisation(day: date, *jurors: User, attended: bool | None = None,
                             mode: str = "remote", start=time(14, 0)):
    """A professionalisation session (RS6240) held on `day`, the `jurors` invited (without
    email), their attendance `attended` (None: not recorded)."""
    referential = db.session.scalar(db.select(Referential).filter_by(code="RS6240")
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
