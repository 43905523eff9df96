"""What the professionalisation pages show: the organiser's session page and the juror's
attestation page, each from the records as they are."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...auth.models import User
from ...signatures.models import Signature
from ...signatures.rules import content_sha256
from ...timeutil import paris_today
from . import queries, rules
from .content import attestation_content, attestation_text, session_day
from .models import ProfessionalisationInvitation, ProfessionalisationSession


@dataclass
class InvitedRow:
    invitation: ProfessionalisationInvitation
    signature: Signature | None

    @property
    def mail_label(self) -> str:
        mail = self.invitation.mail
        if mail is None:
            return "Ajouté(e) sans e-mail (session passée)"
        return "Invitation envoyée" if mail.status == "sent" else "Échec de l'envoi de l'invitation"


@dataclass
class SessionPage:
    session: ProfessionalisationSession
    day: date
    rows: list[InvitedRow]
    invitable: list[User]
    emails_invitation: bool
    attendance_open: bool

    @property
    def present_count(self) -> int:
        return sum(1 for r in self.rows if r.invitation.attended)


def session_page(session_id: int, today: date | None = None) -> SessionPage:
    today = today or paris_today()
    session = queries.get_session(session_id)
    invitations = queries.invitations_of(session)
    signed = queries.signatures_of(i.id for i in invitations)
    day = session_day(session)
    return SessionPage(session=session, day=day,
                       rows=[InvitedRow(i, signed.get(i.id)) for i in invitations],
                       invitable=queries.invitable_jurors(session),
                       emails_invitation=rules.emails_invitation(day, today),
                       attendance_open=rules.attendance_refusal(day, today) is None)


@dataclass
class AttestationPage:
    invitation: ProfessionalisationInvitation
    session: ProfessionalisationSession
    day: date
    text: str
    signature: Signature | None
    refusal: str | None  # why the juror cannot sign (yet)
    fingerprint: str  # of the content the page shows, posted with the signature


def attestation_page(user: User, session_id: int, today: date | None = None) -> AttestationPage:
    """The juror's own invitation (404 for a session they are not invited to)."""
    today = today or paris_today()
    invitation = queries.invitation_of(session_id, user.id)
    session = invitation.session
    day = session_day(session)
    signature = queries.signatures_of([invitation.id]).get(invitation.id)
    return AttestationPage(
        invitation=invitation, session=session, day=day,
        text=attestation_text(user, session), signature=signature,
        refusal=rules.signing_refusal(True, invitation.attended, day, today),
        fingerprint=content_sha256(attestation_content(invitation)))
