"""Professionalisation sessions' state changes, each in a write transaction and audited
(entity "professionalisation", entity_id the session's id): scheduling, inviting (emails
recorded with the invitations, delivered outside the transaction), attendance (which fills
the juror's professionalisation date), and the juror's signed attestation."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from ...audit.services import record
from ...auth.models import JUROR, User
from ...database import write_transaction
from ...errors import Conflict, Forbidden, InvalidInput
from ...extensions import db
from ...mail import services as mail
from ...signatures.models import PROFESSIONALISATION
from ...signatures.services import add_signature, require_seen, signature_by_key, user_key
from ...timeutil import paris_to_utc, paris_today, utcnow
from ..models import JurorProfile
from . import queries, rules
from .content import attestation_content, invitation_mail, session_day
from .inputs import MSG_BAD_CHOICE, MSG_NO_JUROR_CHOSEN, SessionInput
from .models import ProfessionalisationInvitation, ProfessionalisationSession

ENTITY = "professionalisation"


def create_session(actor: User, values: SessionInput) -> ProfessionalisationSession:
    """Schedule a session from checked values (inputs.parse_session)."""
    if None in (values.referential_id, values.day, values.start, values.mode, values.content):
        raise InvalidInput("Formulaire incomplet : complétez la date, l'heure, la modalité et le contenu.")
    with write_transaction():
        session = ProfessionalisationSession(
            referential_id=values.referential_id, starts_at=paris_to_utc(values.day, values.start),
            mode=values.mode, place=values.place, video_link=values.video_link,
            content=values.content, created_by_id=actor.id)
        db.session.add(session)
        db.session.flush()
        record(actor, "professionalisation.create", ENTITY, session.id, None,
               f"{values.day.isoformat()} {values.mode}", referential_id=values.referential_id)
    return session


@dataclass
class InvitationBatch:
    emailed: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)  # a past session: added, not emailed
    failed: list[tuple[str, str]] = field(default_factory=list)


def invite(actor: User, session_id: int, juror_ids: set[int], *,
           today: date | None = None) -> InvitationBatch:
    """Invite jurors: the invitations and their emails are recorded together, then the
    emails leave (outside the transaction) and their outcome is recorded."""
    if not juror_ids:
        raise InvalidInput(MSG_NO_JUROR_CHOSEN)
    today = today or paris_today()
    batch, pending = InvitationBatch(), []
    with write_transaction():
        session = queries.get_session(session_id, lock=True)
        invitable = {u.id: u for u in queries.invitable_jurors(session)}
        if not juror_ids <= set(invitable):
            raise InvalidInput(MSG_BAD_CHOICE)  # invited meanwhile, or not a juror
        emails = rules.emails_invitation(session_day(session), today)
        for juror_id in sorted(juror_ids):
            juror = invitable[juror_id]
            invitation = ProfessionalisationInvitation(session=session, juror=juror,
                                                       invited_by_id=actor.id)
            db.session.add(invitation)
            db.session.flush()
            if emails:
                subject, body = invitation_mail(invitation)
                sent = mail.record_pending([juror.email], subject, body)
                invitation.mail_id = sent.mail_id
                pending.append((invitation.id, juror, sent))
            else:
                batch.listed.append(juror.full_name)
            record(actor, "professionalisation.invite", ENTITY, session.id, None, juror.id,
                   invitation_id=invitation.id, emailed=emails)
    outcomes = [(invitation_id, juror, sent, mail.deliver(sent)) for invitation_id, juror, sent in pending]
    if outcomes:
        with write_transaction():
            for invitation_id, juror, sent, error in outcomes:
                row = mail.record_outcome(sent, error)
                if error is None:
                    batch.emailed.append(juror.full_name)
                else:
                    batch.failed.append((juror.full_name, row.error))
                    record(actor, "professionalisation.invite_failed", ENTITY, session_id, None,
                           juror.id, invitation_id=invitation_id, mail_id=row.id, error=row.error)
    return batch


@dataclass
class AttendanceChange:
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


def record_attendance(actor: User, session_id: int, present_ids: set[int], *,
                      today: date | None = None) -> AttendanceChange:
    """Record who attended among the invited (`present_ids`: invitation ids ticked; every
    other invited juror is recorded absent). A juror's presence fills their
    professionalisation date; a signed attestation keeps its presence."""
    today = today or paris_today()
    change = AttendanceChange()
    with write_transaction():
        session = queries.get_session(session_id, lock=True)
        day = session_day(session)
        refusal = rules.attendance_refusal(day, today)
        if refusal:
            raise Conflict(refusal.format(day=day.strftime("%d/%m/%Y")))
        invitations = queries.invitations_of(session)
        if not present_ids <= {i.id for i in invitations}:
            raise InvalidInput(MSG_BAD_CHOICE)
        signed = queries.signatures_of(i.id for i in invitations)
        for invitation in invitations:
            present = invitation.id in present_ids
            if rules.unmark_refusal(invitation.attended, present, invitation.id in signed):
                raise Conflict(rules.MSG_SIGNED_STAYS.format(name=invitation.juror.full_name))
        for invitation in invitations:
            present = invitation.id in present_ids
            if invitation.attended is present:
                continue
            old = invitation.attended
            invitation.attended, invitation.recorded_at = present, utcnow()
            invitation.recorded_by_id = actor.id
            (change.present if present else change.absent).append(invitation.juror.full_name)
            record(actor, "professionalisation.attendance", ENTITY, session.id, old, present,
                   invitation_id=invitation.id, juror_id=invitation.juror_id)
            if present or old:
                _update_profile_date(actor, invitation.juror, session, day, present)
    return change


def _update_profile_date(actor: User, juror: User, session, day: date, present: bool) -> None:
    """The juror's professionalisation date follows their attendance (audited as a change
    of the habilitation form, so the organiser sees it changed after a decision)."""
    profile = juror.juror_profile
    if profile is None:
        profile = juror.juror_profile = JurorProfile(updated_at=utcnow())
    others = queries.attended_days(juror.id, session.id)
    new = rules.profile_date(profile.professionalisation_date, day, present, others)
    old = profile.professionalisation_date
    if new == old:
        return
    profile.professionalisation_date, profile.updated_at = new, utcnow()
    record(actor, "juror.update", "juror", juror.id,
           json.dumps({"professionalisation_date": old}, default=str),
           json.dumps({"professionalisation_date": new}, default=str),
           fields=["professionalisation_date"], decisive=["professionalisation_date"],
           after_decision=bool(juror.juror_habilitations),
           professionalisation_session_id=session.id)


def sign_attestation(user: User, session_id: int, mark, *, seen_sha256: str | None,
                     today: date | None = None):
    """The juror signs annex 7's attestation for a session they attended, as their page
    showed it (`seen_sha256`)."""
    today = today or paris_today()
    with write_transaction():
        invitation = queries.invitation_of(session_id, user.id)  # 404 when not invited
        if not user.has_role(JUROR):
            raise Forbidden(rules.MSG_NOT_INVITED)
        refusal = rules.signing_refusal(True, invitation.attended, session_day(invitation.session), today)
        if refusal:
            raise Forbidden(refusal)
        if signature_by_key(PROFESSIONALISATION, invitation.id, user_key(user)) is not None:
            raise Conflict("Vous avez déjà signé cette attestation : une signature ne peut pas être refaite.")
        content = attestation_content(invitation)
        require_seen(seen_sha256, content)
        signature = add_signature(PROFESSIONALISATION, invitation.id, signer_key=user_key(user),
                                  role="juror", name=user.full_name, content=content, mark=mark,
                                  auth_method="login", user=user)
        record(user, "professionalisation.sign", ENTITY, session_id, None, signature.id,
               invitation_id=invitation.id, content_sha256=signature.content_sha256)
    return signature
