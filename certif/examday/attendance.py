"""What the jury signs and hands out on the exam day: each juror's attendance (annex 2),
the candidate's signature on the jury's device (annex 1), and the single-use link and
code for a remote candidate (emailed outside the write lock)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..mail import services as mail
from ..people import of
from ..sessions.models import JuryMember
from ..signatures import services as signatures
from ..signatures.models import CANDIDATE_ATTENDANCE, JURY_ATTENDANCE, Signature
from ..signatures.rules import Mark
from ..signatures.services import require_seen
from ..text import clean_text
from ..timeutil import utcnow
from ..web import external_url
from . import rules
from .access import exam_access
from .content import candidate_content, jury_content, link_message
from .guards import require_candidate_may_sign, require_writable
from .links import hash_token
from .models import AttendanceLink, CandidateUnsigned


def sign_jury_attendance(user, exam_id: int, mark: Mark, *, seen_sha256: str | None,
                         today: date | None = None) -> Signature:
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        require_writable(access, today)
        seat = db.session.scalar(db.select(JuryMember.seat).where(
            JuryMember.jury_id == access.exam.jury_id, JuryMember.juror_id == user.id))
        if signatures.signature_by_key(JURY_ATTENDANCE, exam_id, signatures.user_key(user)):
            raise Conflict(signatures.MSG_ALREADY_SIGNED)  # said before a form's fingerprint
        content = jury_content(access.exam, user, seat)
        require_seen(seen_sha256, content)
        return signatures.add_signature(
            JURY_ATTENDANCE, exam_id, signer_key=signatures.user_key(user), role="juror",
            name=user.full_name, content=content, mark=mark, auth_method="login", user=user)


def sign_candidate_here(user, exam_id: int, mark: Mark, *, seen_sha256: str | None,
                        today: date | None = None) -> Signature:
    """In person: the candidate signs on the jury's device, the juror being logged in."""
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        require_candidate_may_sign(access, today)
        exam = access.exam
        content = candidate_content(exam)
        require_seen(seen_sha256, content)
        return signatures.add_signature(
            CANDIDATE_ATTENDANCE, exam_id, signer_key=signatures.candidate_key(exam.candidate),
            role="candidate", name=exam.candidate.full_name, content=content,
            mark=mark, auth_method="jury_device",
            auth_detail=f"sur l'appareil {of(user.full_name)}, connecté(e)",
            candidate=exam.candidate, actor=user)


MAX_UNSIGNED_REASON = 1000
MSG_UNSIGNED_REASON = "Dites pourquoi le candidat n'a pas pu émarger."
MSG_UNSIGNED_LONG = f"Le motif ne doit pas dépasser {MAX_UNSIGNED_REASON} caractères."
MSG_UNSIGNED_DONE = "Le motif pour lequel le candidat n'a pas pu émarger est déjà enregistré."


def record_candidate_unsigned(user, exam_id: int, reason: str | None, *,
                              today: date | None = None) -> CandidateUnsigned:
    """The jury records why the candidate could not sign annex 1 (the grid then opens
    without that signature; the minutes mention the reason). Once per exam."""
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput(MSG_UNSIGNED_REASON)
    if len(reason) > MAX_UNSIGNED_REASON:
        raise InvalidInput(MSG_UNSIGNED_LONG)
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        require_candidate_may_sign(access, today)
        if access.candidate_unsigned is not None:
            raise Conflict(MSG_UNSIGNED_DONE)
        row = CandidateUnsigned(exam_id=exam_id, reason=reason, recorded_by_id=user.id)
        db.session.add(row)
        db.session.flush()
        record(user, "attendance.candidate_unsigned", "exam", exam_id, None, reason,
               candidate_id=access.exam.candidate_id)
    return row


@dataclass
class NewLink:
    link: AttendanceLink
    token: str
    url: str
    mail_error: str | None = None
    emailed_to: str | None = None

    @property
    def code(self) -> str:
        return rules.format_code(self.link.code)


def _unused_code() -> str:
    for _ in range(20):
        code = rules.new_code()
        if db.session.scalar(db.select(AttendanceLink.id).where(AttendanceLink.code == code)) is None:
            return code
    raise RuntimeError("no free attendance code")  # 29^8 codes: never in practice


def create_link(user, exam_id: int, *, today: date | None = None) -> NewLink:
    """A new single-use link and code for a remote candidate; earlier unused ones are revoked.
    The link is emailed when the candidate has an address (sent outside the write lock)."""
    minutes = int(current_app.config.get("ATTENDANCE_LINK_MINUTES", 30))
    token = secrets.token_urlsafe(32)
    url = external_url("examday.open_link", token=token)
    pending = None
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        require_candidate_may_sign(access, today)
        exam = access.exam
        now = utcnow()
        revoked = db.session.execute(
            db.update(AttendanceLink)
            .where(AttendanceLink.exam_id == exam_id, AttendanceLink.used_at.is_(None),
                   AttendanceLink.revoked_at.is_(None))
            .values(revoked_at=now)).rowcount
        link = AttendanceLink(exam_id=exam_id, token_sha256=hash_token(token), code=_unused_code(),
                              created_at=now, created_by_id=user.id,
                              expires_at=rules.expiry(now, minutes))
        db.session.add(link)
        db.session.flush()
        email = exam.candidate.email
        if email:
            subject, body = link_message(exam, url, link.code, minutes)
            pending = mail.record_pending([email], subject, body)
            link.mail_id = pending.mail_id
        record(user, "attendance_link.create", "exam", exam_id, None, link.id,
               link_id=link.id, expires_at=link.expires_at.isoformat(timespec="seconds"),
               revoked=revoked, emailed=bool(email))
        link_id = link.id
    result = NewLink(link=link, token=token, url=url, emailed_to=exam.candidate.email)
    if pending is not None:
        result.mail_error = mail.deliver(pending)
        with write_transaction():
            mail.record_outcome(pending, result.mail_error)
            record(user, "attendance_link.mail", "attendance_link", link_id, None,
                   "failed" if result.mail_error else "sent", mail_id=pending.mail_id)
    result.link = db.session.get(AttendanceLink, link_id)
    return result
