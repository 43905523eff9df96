"""Reading professionalisation sessions: the organiser's list and page, a juror's own
invitations, and the signed attestation annex 7 prints. Read-only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_

from ...auth.models import JUROR, User, UserRole
from ...database import get_row
from ...errors import NotFound
from ...extensions import db
from ...referentials.models import Referential
from ...signatures.models import PROFESSIONALISATION, Signature
from ...timeutil import paris_day
from .models import ProfessionalisationInvitation, ProfessionalisationSession

MSG_NO_SESSION = "Session de professionnalisation introuvable."


def referential_choices() -> list[Referential]:
    """The latest version of each certification, by code."""
    latest = {}
    for ref in db.session.scalars(db.select(Referential).order_by(Referential.code,
                                                                  Referential.version)):
        latest[ref.code] = ref
    return list(latest.values())


def list_sessions() -> list[ProfessionalisationSession]:
    """Every session, the latest first, with its invitations."""
    return db.session.scalars(
        db.select(ProfessionalisationSession)
        .options(db.selectinload(ProfessionalisationSession.invitations),
                 db.joinedload(ProfessionalisationSession.referential))
        .order_by(ProfessionalisationSession.starts_at.desc(), ProfessionalisationSession.id.desc())
    ).unique().all()


def get_session(session_id: int, *, lock: bool = False) -> ProfessionalisationSession:
    return get_row(ProfessionalisationSession, session_id, MSG_NO_SESSION, lock=lock)


def invitations_of(session: ProfessionalisationSession) -> list[ProfessionalisationInvitation]:
    """The session's invited jurors, by name."""
    return db.session.scalars(
        db.select(ProfessionalisationInvitation).join(User, User.id == ProfessionalisationInvitation.juror_id)
        .where(ProfessionalisationInvitation.session_id == session.id)
        .options(db.joinedload(ProfessionalisationInvitation.juror),
                 db.joinedload(ProfessionalisationInvitation.mail))
        .order_by(User.last_name, User.first_name, User.id)
        .execution_options(populate_existing=True)).unique().all()


def invitable_jurors(session: ProfessionalisationSession) -> list[User]:
    """Active juror accounts not invited to the session yet, by name."""
    invited = db.select(ProfessionalisationInvitation.juror_id).where(
        ProfessionalisationInvitation.session_id == session.id)
    return db.session.scalars(
        db.select(User).join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == JUROR))
        .where(User.active.is_(True), User.id.not_in(invited))
        .order_by(User.last_name, User.first_name, User.id)).unique().all()


def invitation_of(session_id: int, user_id: int) -> ProfessionalisationInvitation:
    """The user's own invitation to the session; a session they are not invited to is not
    even said to exist (404)."""
    invitation = db.session.scalar(
        db.select(ProfessionalisationInvitation).filter_by(session_id=session_id, juror_id=user_id)
        .execution_options(populate_existing=True))
    if invitation is None:
        raise NotFound(MSG_NO_SESSION)
    return invitation


def juror_invitations(user_id: int) -> list[ProfessionalisationInvitation]:
    """A juror's invitations, the latest session first."""
    return db.session.scalars(
        db.select(ProfessionalisationInvitation)
        .join(ProfessionalisationSession)
        .where(ProfessionalisationInvitation.juror_id == user_id)
        .options(db.joinedload(ProfessionalisationInvitation.session))
        .order_by(ProfessionalisationSession.starts_at.desc())).unique().all()


def signatures_of(invitation_ids) -> dict[int, Signature]:
    """The attestation signed for each invitation (one signer each: the juror)."""
    ids = list(invitation_ids)
    if not ids:
        return {}
    rows = db.session.scalars(db.select(Signature).where(
        Signature.document == PROFESSIONALISATION, Signature.subject_id.in_(ids)))
    return {s.subject_id: s for s in rows}


@dataclass(frozen=True)
class SignedAttestation:
    invitation: ProfessionalisationInvitation
    signature: Signature

    @property
    def session(self) -> ProfessionalisationSession:
        return self.invitation.session


def signed_attestation(user_id: int, referential_code: str | None) -> SignedAttestation | None:
    """The juror's latest signed attestation for a certification (annex 7 prints it)."""
    query = (db.select(ProfessionalisationInvitation, Signature)
             .join(ProfessionalisationSession)
             .join(Signature, and_(Signature.document == PROFESSIONALISATION,
                                   Signature.subject_id == ProfessionalisationInvitation.id))
             .where(ProfessionalisationInvitation.juror_id == user_id,
                    ProfessionalisationInvitation.attended.is_(True))
             .order_by(ProfessionalisationSession.starts_at.desc()).limit(1))
    if referential_code:
        query = query.join(Referential, Referential.id == ProfessionalisationSession.referential_id) \
            .where(Referential.code == referential_code)
    row = db.session.execute(query).first()
    return SignedAttestation(row[0], row[1]) if row else None


def attended_days(user_id: int, except_session_id: int) -> list[date]:
    """The days (in Paris) of the other sessions the juror attended."""
    return [paris_day(s.starts_at) for s in db.session.scalars(
        db.select(ProfessionalisationSession).join(ProfessionalisationInvitation)
        .where(ProfessionalisationInvitation.juror_id == user_id,
               ProfessionalisationInvitation.attended.is_(True),
               ProfessionalisationSession.id != except_session_id))]
