"""What a professionalisation session says: the invitation email, and annex 7's attestation
(its sentence and the content a juror signs)."""
from __future__ import annotations

from ...auth.models import User
from ...timeutil import french_date, french_time, paris_day
from ...web import external_url
from ..services import registration_label
from .models import ON_SITE, ProfessionalisationInvitation, ProfessionalisationSession

ATTESTATION_LABEL = "Attestation de suivi de la session de professionnalisation (annexe 7)"


def session_day(session: ProfessionalisationSession):
    return paris_day(session.starts_at)


def certification_of(session: ProfessionalisationSession) -> str:
    """« GERER LA COMMUNICATION DIGITALE… » RS 6240: as annex 7 names it."""
    referential = session.referential
    return f"« {referential.annex_heading} » {registration_label(referential.code)}"


def signer_name(juror: User) -> str:
    """As annex 7 writes the juror: first name, last name in capitals."""
    return f"{juror.first_name} {juror.last_name.upper()}"


def attestation_text(juror: User, session: ProfessionalisationSession) -> str:
    """Annex 7's sentence, filled in."""
    return (f"Je soussigné(e), {signer_name(juror)}, Atteste avoir suivi la session de "
            f"professionnalisation au rôle de juré(e) pour la certification "
            f"{certification_of(session)}, le {french_date(session_day(session))}.")


def attestation_content(invitation: ProfessionalisationInvitation) -> dict:
    """What the juror signs: the sentence and the facts it rests on."""
    session, juror = invitation.session, invitation.juror
    return {
        "document": ATTESTATION_LABEL,
        "text": attestation_text(juror, session),
        "juror": {"id": juror.id, "name": juror.full_name, "email": juror.email},
        "session": {"id": session.id, "day": session_day(session).isoformat(),
                    "mode": session.mode_label, "where": session.where,
                    "certification": session.referential.code,
                    "referential_version": session.referential.version},
        "invitation_id": invitation.id,
    }


def invitation_mail(invitation: ProfessionalisationInvitation) -> tuple[str, str]:
    """The juror's invitation: subject and body (links absolute, from the configured base)."""
    session, juror = invitation.session, invitation.juror
    day = french_date(session_day(session))
    where = (f"Lieu : {session.place}" if session.mode == ON_SITE
             else f"Lien de la visioconférence : {session.video_link}")
    subject = f"Session de professionnalisation des jurés le {day}"
    body = "\n".join([
        f"Bonjour {juror.first_name},",
        "",
        "Vous êtes invité(e) à la session de professionnalisation des jurés de la certification "
        f"{certification_of(session)} : une session d'explicitation des modalités et des "
        "attendus de la certification, à suivre avant de siéger dans un jury.",
        "",
        f"Date : le {day} à {french_time(session.starts_at)}",
        f"Modalité : {session.mode_label}",
        where,
        "",
        "Contenu :",
        session.content,
        "",
        "Après la session, votre présence enregistrée, signez votre attestation de suivi "
        "(fiche d'habilitation, annexe 7) depuis votre espace juré :",
        external_url("professionalisation.attestation", session_id=session.id),
        "",
        "Cordialement,",
        "Le responsable d'organisation de la certification",
    ])
    return subject, body
