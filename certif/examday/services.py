"""The exam-day reception: jury attendance (annex 2), identity check, candidate attendance
(annex 1) signed on the jury's device or through a single-use link, and the organiser's view.

Every write runs in `write_transaction` and is audited. A juror reaches an exam only
through `examday.access.exam_access` (404 when not on its jury). The candidate has
no account: a short code or an emailed link (its token stored as a SHA-256 only)
opens a signing page once.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func

from ..audit.models import AuditEntry
from ..audit.services import record
from ..auth.models import User
from ..auth.services import client_address
from ..database import write_transaction
from ..errors import Conflict, InvalidInput, NotFound, ServiceError
from ..extensions import db
from ..jurors.models import ConflictDeclaration
from ..mail import services as mail
from ..sessions.locks import grades_locked
from ..sessions.models import CONVENED, IN_PROGRESS, SCHEDULED, STOPPED, Exam, ExamSession, Jury, JuryMember
from ..sessions.services import get_jury, get_session
from ..signatures import services as signatures
from ..signatures.models import CANDIDATE_ATTENDANCE, JURY_ATTENDANCE, Signature
from ..signatures.rules import Mark, content_sha256
from ..signatures.services import require_seen
from ..text import clean_text
from ..throttling import services as throttling
from ..timeutil import french_datetime, paris_today, to_paris, utcnow
from ..web import external_url
from . import rules
from .access import ExamAccess, exam_access
from .models import CHECK_MODES, ID_DOCUMENTS, AttendanceLink, IdentityCheck

MAX_NOTES = 2000
MAX_DETAIL = 200
# Wrong codes and links (unknown, malformed, expired…) from one client address: 29^8 codes
# and 256-bit tokens are not guessed, but nobody gets to try them by the thousand either.
GUESS_LIMIT = throttling.Limit("attendance-ip", 20, timedelta(minutes=15))
MSG_TOO_MANY_GUESSES = ("Trop de codes ou de liens d'émargement erronés depuis votre "
                        "connexion : la saisie est suspendue.")

MSG_BAD_DOCUMENT = "Choisissez la pièce d'identité présentée par le candidat."
MSG_DETAIL_NEEDED = "Précisez quelle autre pièce d'identité le candidat a présentée."
MSG_DETAIL_LONG = f"La précision sur la pièce d'identité ne doit pas dépasser {MAX_DETAIL} caractères."
MSG_CONVOCATION = "Cochez « convocation vérifiée » : le jury vérifie la convocation avec l'identité."
MSG_BAD_MODE = "Choisissez comment l'identité a été vérifiée : face à la webcam ou en présentiel."
MSG_NOTES_LONG = f"Les remarques ne doivent pas dépasser {MAX_NOTES} caractères."
MSG_IDENTITY_DONE = "L'identité de ce candidat a déjà été vérifiée par {who} le {when}."
MSG_IDENTITY_BEFORE = ("Vérifiez d'abord l'identité et la convocation du candidat : il émarge "
                       "ensuite.")
MSG_CONFLICT = ("Vous avez déclaré connaître ce candidat : vous ne pouvez ni vérifier son identité "
                "ni le faire émarger. L'autre juré ou le responsable d'organisation s'en charge.")
MSG_DECLARE_FIRST = ("Déclarez d'abord que vous ne connaissez pas ce candidat (page de la grille), "
                     "puis vérifiez son identité.")
MSG_CANDIDATE_SIGNED = "Le candidat a déjà émargé pour cette épreuve : sa signature est enregistrée."
MSG_LINK_USED = "Ce lien a déjà servi : votre émargement est enregistré."
MSG_LINK_EXPIRED = "Ce lien a expiré : demandez au jury un nouveau code."
MSG_LINK_REVOKED = ("Ce lien a été remplacé par un plus récent : utilisez le dernier code donné par "
                    "le jury.")
MSG_CODE_UNKNOWN = "Code inconnu : vérifiez-le auprès du jury."
MSG_CODE_MALFORMED = ("Code invalide : il compte 8 lettres et chiffres, par exemple ABCD-EFGH "
                      "(tirets et espaces facultatifs).")
MSG_LINK_UNKNOWN = "Ce lien n'est pas valide : demandez au jury un nouveau code."
MSG_NO_LINK = "Ouvrez d'abord le lien reçu ou tapez le code donné par le jury."
MSG_NOT_SITTING = "Ce candidat n'est plus attendu à cette épreuve : il n'émarge pas."
MSG_NO_JURY = "Jury introuvable parmi vos jurys."
MSG_ATTENDANCE_MINUTES_SIGNED = ("Le procès-verbal de la session n° {number} est signé : "
                                 "l'émargement des candidats est clos.")
MSG_ATTENDANCE_JURY_STOPPED = ("Le jury de cette épreuve a été arrêté (carence d'un juré) : "
                               "l'émargement des candidats est clos. Adressez-vous au responsable "
                               "d'organisation.")
MSG_LINK_CREATOR_CONFLICT = ("Le juré qui a créé ce code a déclaré connaître le candidat : le code ne "
                             "peut plus servir. Demandez un nouveau code à l'autre juré.")

DOC_JURY = "annexe 2 — feuille d'émargement du jury"
DOC_CANDIDATE = "annexe 1 — feuille d'émargement du candidat"


class LinkGone(ServiceError):
    """The signing link can no longer be used (used, closed, expired or replaced)."""

    status = 410


def exam_day(exam: Exam) -> date:
    return to_paris(exam.starts_at).date()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- What the reception page shows --------------------------------------------------------

@dataclass
class JurorSeat:
    juror: User
    seat: int
    signature: Signature | None


@dataclass
class Reception:
    access: ExamAccess
    jurors: list[JurorSeat]
    identity: IdentityCheck | None
    candidate_signature: Signature | None
    active_link: AttendanceLink | None
    version: int
    today: date

    @property
    def exam(self) -> Exam:
        return self.access.exam

    @property
    def session(self) -> ExamSession:
        return self.exam.jury.session

    def own_seat(self, user) -> JurorSeat | None:
        return next((s for s in self.jurors if s.juror.id == user.id), None)

    @property
    def day_refusal(self) -> str | None:
        return rules.exam_day_refusal(exam_day(self.exam), self.today)

    @property
    def identity_refusal(self) -> str | None:
        """Why this juror cannot record the identity check now, or None."""
        if self.identity is not None:
            return None
        return _identity_refusal(self.access, self.today)

    @property
    def write_refusal(self) -> str | None:
        """Why nothing can be signed on this exam now (day to come, session stopped…), or None."""
        return self.day_refusal or self.access.write_refusal

    @property
    def candidate_refusal(self) -> str | None:
        """Why this juror cannot have the candidate sign now (identity aside), or None."""
        if self.write_refusal:
            return self.write_refusal
        if self.access.declaration is not None and self.access.declaration.has_conflict:
            return MSG_CONFLICT
        return attendance_closure(self.exam, None)

    @property
    def default_mode(self) -> str:
        return "camera" if self.session.is_remote else "in_person"

    @property
    def remote(self) -> bool:
        """The candidate signs from their own device (unless the identity was checked in person)."""
        if self.identity is not None:
            return self.identity.mode == "camera"
        return self.session.is_remote

    @property
    def link_code(self) -> str | None:
        return rules.format_code(self.active_link.code) if self.active_link else None

    def jury_content_sha256(self, user) -> str | None:
        """The fingerprint of the annex-2 line `user` would sign (their signing form carries it)."""
        seat = self.own_seat(user)
        return content_sha256(jury_content(self.exam, user, seat.seat)) if seat else None

    @property
    def candidate_content_sha256(self) -> str:
        return content_sha256(candidate_content(self.exam))


def _identity_refusal(access: ExamAccess, today: date) -> str | None:
    refusal = rules.exam_day_refusal(exam_day(access.exam), today)
    if refusal:
        return refusal
    if access.write_refusal is not None:
        return access.write_refusal
    if access.declaration is None:
        return MSG_DECLARE_FIRST
    if access.declaration.has_conflict:
        return MSG_CONFLICT
    return None


def reception(user, exam_id: int, *, today: date | None = None) -> Reception:
    access = exam_access(user, exam_id)
    exam = access.exam
    members = exam.jury.members  # ordered by seat
    jury_sigs = signatures.signatures_of(JURY_ATTENDANCE, [exam_id])[exam_id]
    by_user = {s.user_id: s for s in jury_sigs}
    seats = [JurorSeat(m.juror, m.seat, by_user.get(m.juror_id)) for m in members]
    return Reception(access=access, jurors=seats, identity=identity_of(exam_id),
                     candidate_signature=candidate_signature(exam),
                     active_link=active_link(exam_id),
                     version=attendance_version(exam_id), today=today or paris_today())


def identity_of(exam_id: int) -> IdentityCheck | None:
    return db.session.scalar(db.select(IdentityCheck).where(IdentityCheck.exam_id == exam_id))


def identity_checked_ids(exam_ids) -> set[int]:
    """Which of these exams had the candidate's identity checked (one query, for lists)."""
    ids = list(exam_ids)
    if not ids:
        return set()
    return set(db.session.scalars(db.select(IdentityCheck.exam_id)
                                  .where(IdentityCheck.exam_id.in_(ids))))


def candidate_signature(exam: Exam) -> Signature | None:
    return signatures.signature_by_key(CANDIDATE_ATTENDANCE, exam.id,
                                       signatures.candidate_key(exam.candidate))


def active_link(exam_id: int) -> AttendanceLink | None:
    """The exam's latest link still usable (not used, not replaced, not expired)."""
    link = db.session.scalar(db.select(AttendanceLink).where(AttendanceLink.exam_id == exam_id)
                             .order_by(AttendanceLink.id.desc()).limit(1))
    if link is None or _state(link) != rules.VALID:
        return None
    return link


def attendance_version(exam_id: int) -> int:
    """Changes when the candidate's attendance block does: identity checked, a link given,
    the candidate signed (the polling page swaps its block only then)."""
    return db.session.scalar(
        db.select(func.coalesce(func.max(AuditEntry.id), 0)).where(
            AuditEntry.entity_id == exam_id,
            db.or_(AuditEntry.entity == CANDIDATE_ATTENDANCE,
                   db.and_(AuditEntry.entity == "exam",
                           AuditEntry.action.in_(("identity.check", "attendance_link.create"))))))


def candidate_version(user, exam_id: int) -> int:
    exam_access(user, exam_id)  # 404 for a juror not on the jury
    return attendance_version(exam_id)


# --- Contents signed ------------------------------------------------------------------------

def _common_content(exam: Exam) -> dict:
    session = exam.jury.session
    return {"certification": session.referential.document_title, "session": session.number,
            "date": exam_day(exam).isoformat(), "candidate": exam.candidate.full_name,
            "exam_id": exam.id}


def jury_content(exam: Exam, juror: User, seat: int) -> dict:
    return {"document": DOC_JURY, **_common_content(exam), "juror": juror.full_name, "seat": seat}


def candidate_content(exam: Exam) -> dict:
    return {"document": DOC_CANDIDATE, **_common_content(exam),
            "time": to_paris(exam.starts_at).strftime("%H:%M")}


# --- Jury attendance (annex 2) --------------------------------------------------------------

def sign_jury_attendance(user, exam_id: int, mark: Mark, *, seen_sha256: str | None,
                         today: date | None = None) -> Signature:
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        _require_writable(access, today)
        seat = db.session.scalar(db.select(JuryMember.seat).where(
            JuryMember.jury_id == access.exam.jury_id, JuryMember.juror_id == user.id))
        if signatures.signature_by_key(JURY_ATTENDANCE, exam_id, signatures.user_key(user)):
            raise Conflict(signatures.MSG_ALREADY_SIGNED)  # said before a form's fingerprint
        content = jury_content(access.exam, user, seat)
        require_seen(seen_sha256, content)
        return signatures.add_signature(
            JURY_ATTENDANCE, exam_id, signer_key=signatures.user_key(user), role="juror",
            name=user.full_name, content=content, mark=mark, auth_method="login", user=user)


def _require_writable(access: ExamAccess, today: date | None) -> None:
    refusal = rules.exam_day_refusal(exam_day(access.exam), today or paris_today())
    refusal = refusal or access.write_refusal
    if refusal:
        raise Conflict(refusal)


# --- Identity check -------------------------------------------------------------------------

@dataclass(frozen=True)
class IdentityFields:
    document_type: str | None
    document_detail: str | None = None
    convocation_checked: bool = False
    mode: str | None = None
    notes: str | None = None


def clean_identity(fields: IdentityFields) -> IdentityFields:
    """The fields as stored, or InvalidInput (French) for the first problem."""
    if fields.document_type not in ID_DOCUMENTS:
        raise InvalidInput(MSG_BAD_DOCUMENT)
    detail = " ".join((fields.document_detail or "").split()) or None
    if fields.document_type == "other" and not detail:
        raise InvalidInput(MSG_DETAIL_NEEDED)
    if detail and len(detail) > MAX_DETAIL:
        raise InvalidInput(MSG_DETAIL_LONG)
    if not fields.convocation_checked:
        raise InvalidInput(MSG_CONVOCATION)
    if fields.mode not in CHECK_MODES:
        raise InvalidInput(MSG_BAD_MODE)
    notes = clean_text(fields.notes) or None
    if notes and len(notes) > MAX_NOTES:
        raise InvalidInput(MSG_NOTES_LONG)
    return IdentityFields(fields.document_type, detail if fields.document_type == "other" else None,
                          True, fields.mode, notes)


def check_identity(user, exam_id: int, fields: IdentityFields, *,
                   today: date | None = None) -> IdentityCheck:
    """Either juror records, once, that the candidate's identity and convocation were checked."""
    fields = clean_identity(fields)
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        existing = identity_of(exam_id)
        if existing is not None:
            raise Conflict(MSG_IDENTITY_DONE.format(who=existing.checked_by.full_name,
                                                    when=french_datetime(existing.checked_at)))
        refusal = _identity_refusal(access, today or paris_today())
        if refusal:
            raise Conflict(refusal)
        check = IdentityCheck(exam_id=exam_id, document_type=fields.document_type,
                              document_detail=fields.document_detail, convocation_checked=True,
                              mode=fields.mode, checked_by_id=user.id, notes=fields.notes)
        db.session.add(check)
        db.session.flush()
        record(user, "identity.check", "exam", exam_id, None, fields.document_type,
               identity_check_id=check.id, mode=fields.mode, detail=fields.document_detail,
               candidate_id=access.exam.candidate_id)
        _start_session(user, access.exam.jury.session_id)
    return check


def _start_session(user, session_id: int) -> None:
    """The first identity check of a convened session: the session is under way."""
    session = get_session(session_id, lock=True)
    if session.status == CONVENED:
        session.status = IN_PROGRESS
        record(user, "session.status", "session", session.id, CONVENED, IN_PROGRESS,
               reason="identity.check")


# --- Candidate attendance (annex 1) ---------------------------------------------------------

def _require_candidate_may_sign(access: ExamAccess, today: date | None) -> None:
    _require_writable(access, today)
    if access.identity_checked is False:
        raise Conflict(MSG_IDENTITY_BEFORE)
    if access.declaration is not None and access.declaration.has_conflict:
        raise Conflict(MSG_CONFLICT)
    closure = attendance_closure(access.exam, None)  # the juror's own conflict: just above
    if closure:
        raise Conflict(closure)
    if candidate_signature(access.exam) is not None:
        raise Conflict(MSG_CANDIDATE_SIGNED)


def sign_candidate_here(user, exam_id: int, mark: Mark, *, seen_sha256: str | None,
                        today: date | None = None) -> Signature:
    """In person: the candidate signs on the jury's device, the juror being logged in."""
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        _require_candidate_may_sign(access, today)
        exam = access.exam
        content = candidate_content(exam)
        require_seen(seen_sha256, content)
        return signatures.add_signature(
            CANDIDATE_ATTENDANCE, exam_id, signer_key=signatures.candidate_key(exam.candidate),
            role="candidate", name=exam.candidate.full_name, content=content,
            mark=mark, auth_method="jury_device",
            auth_detail=f"sur l'appareil de {user.full_name}, connecté(e)",
            candidate=exam.candidate, actor=user)


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


def link_message(exam: Exam, url: str, code: str, minutes: int) -> tuple[str, str]:
    session = exam.jury.session
    organisation = current_app.config["ORGANISATION_NAME"]
    subject = f"Émargement – certification {session.referential.code} – session n° {session.number}"
    body = "\n".join([
        f"Bonjour {exam.candidate.first_name} {exam.candidate.last_name},",
        "",
        "Le jury vous invite à signer votre feuille d'émargement pour l'épreuve de la "
        f"certification « {session.referential.title} » (session n° {session.number}).",
        "",
        "Ouvrez ce lien personnel, valable une seule fois pendant "
        f"{minutes} minutes :",
        url,
        "",
        f"Ou saisissez le code {rules.format_code(code)} à l'adresse "
        f"{external_url('examday.code_form')}",
        "",
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
        "",
        f"{organisation}",
    ])
    return subject, body


def create_link(user, exam_id: int, *, today: date | None = None) -> NewLink:
    """A new single-use link and code for a remote candidate; earlier unused ones are revoked.
    The link is emailed when the candidate has an address (sent outside the write lock)."""
    minutes = int(current_app.config.get("ATTENDANCE_LINK_MINUTES", 30))
    token = secrets.token_urlsafe(32)
    url = external_url("examday.open_link", token=token)
    pending = None
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        _require_candidate_may_sign(access, today)
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


# --- The candidate's side (no login) --------------------------------------------------------

def attendance_closure(exam: Exam, juror_id: int | None) -> str | None:
    """Why the candidate's attendance can no longer be taken through a code given by
    `juror_id` (French), or None. The one place that closes a link besides its own dates:
    `create_link` refuses for the same reasons, and open links die the moment one applies."""
    jury = exam.jury
    if grades_locked(jury.session_id):
        return MSG_ATTENDANCE_MINUTES_SIGNED.format(number=jury.session.number)
    if jury.stopped_at is not None:
        return MSG_ATTENDANCE_JURY_STOPPED
    if juror_id is not None and db.session.scalar(db.select(ConflictDeclaration.id).where(
            ConflictDeclaration.exam_id == exam.id, ConflictDeclaration.juror_id == juror_id,
            ConflictDeclaration.has_conflict.is_(True))) is not None:
        return MSG_LINK_CREATOR_CONFLICT
    return None


def _link_status(link: AttendanceLink) -> tuple[str, str | None]:
    """The link's state, and why its exam's attendance is closed (if it is)."""
    closure = attendance_closure(link.exam, link.created_by_id) if link.used_at is None else None
    state = rules.link_state(used_at=link.used_at, revoked_at=link.revoked_at,
                             expires_at=link.expires_at, now=utcnow(), closed=closure is not None)
    return state, closure


def _state(link: AttendanceLink) -> str:
    return _link_status(link)[0]


def _require_usable(link: AttendanceLink) -> None:
    state, closure = _link_status(link)
    if state == rules.USED:
        raise LinkGone(MSG_LINK_USED)
    if state == rules.CLOSED:
        raise LinkGone(closure)
    if state == rules.REVOKED:
        raise LinkGone(MSG_LINK_REVOKED)
    if state == rules.EXPIRED:
        raise LinkGone(MSG_LINK_EXPIRED)


def _guarding_guesses():
    return throttling.guarding(GUESS_LIMIT, client_address(), MSG_TOO_MANY_GUESSES, "emargement")


def link_for_code(raw: str | None) -> AttendanceLink:
    """The usable link of a code the candidate typed; every wrong code counts (429 past the
    limit, even for a right one)."""
    with _guarding_guesses():
        code = rules.normalise_code(raw)
        if code is None:
            raise InvalidInput(MSG_CODE_MALFORMED)
        link = db.session.scalar(db.select(AttendanceLink).where(AttendanceLink.code == code)
                                 .order_by(AttendanceLink.id.desc()).limit(1))
        if link is None:
            raise NotFound(MSG_CODE_UNKNOWN)
        _require_usable(link)
        return link


def link_for_token(token: str) -> AttendanceLink:
    with _guarding_guesses():
        link = db.session.scalar(db.select(AttendanceLink)
                                 .where(AttendanceLink.token_sha256 == hash_token(token)))
        if link is None:
            raise NotFound(MSG_LINK_UNKNOWN)
        _require_usable(link)
        return link


@dataclass
class SigningPage:
    link: AttendanceLink
    exam: Exam
    content: dict = field(default_factory=dict)

    @property
    def content_sha256(self) -> str:
        return content_sha256(self.content)


def signing_page(link_id: int | None) -> SigningPage:
    """What the candidate is about to sign, from the link remembered in their browser."""
    link = db.session.get(AttendanceLink, link_id) if link_id else None
    if link is None:
        raise NotFound(MSG_NO_LINK)
    _require_usable(link)
    return SigningPage(link, link.exam, candidate_content(link.exam))


def sign_by_link(link_id: int | None, via: str, mark: Mark, *,
                 seen_sha256: str | None) -> Signature:
    """The candidate signs annex 1 through the link; the link is used in the same transaction."""
    with write_transaction():
        link = db.session.scalar(db.select(AttendanceLink).where(AttendanceLink.id == link_id)
                                 .with_for_update(of=AttendanceLink)) if link_id else None
        if link is None:
            raise NotFound(MSG_NO_LINK)
        # The exam row, as the minutes' locking locks it: the two cannot cross (PostgreSQL).
        # (of=Exam: the candidate is joined eagerly, and PostgreSQL locks no outer-joined side.)
        exam = db.session.scalar(db.select(Exam).where(Exam.id == link.exam_id)
                                 .with_for_update(of=Exam)
                                 .execution_options(populate_existing=True))
        _require_usable(link)
        session = exam.jury.session
        if exam.status != SCHEDULED or session.status in STOPPED:
            raise Conflict(MSG_NOT_SITTING)
        if candidate_signature(exam) is not None:
            raise Conflict(MSG_CANDIDATE_SIGNED)
        content = candidate_content(exam)
        require_seen(seen_sha256, content)
        how = "lien" if via == "lien" else "code"
        signature = signatures.add_signature(
            CANDIDATE_ATTENDANCE, exam.id, signer_key=signatures.candidate_key(exam.candidate),
            role="candidate", name=exam.candidate.full_name, content=content,
            mark=mark, auth_method="candidate_link",
            auth_detail=f"lien à usage unique n° {link.id}, ouvert par {how}",
            candidate=exam.candidate)
        link.used_at = signature.signed_at
        record(None, "attendance_link.use", "attendance_link", link.id, None, "used",
               exam_id=exam.id, signature_id=signature.id, via=how)
    return signature


def signed_by_candidate(signature_id: int | None) -> Signature:
    """The signature this browser just gave through a link (the confirmation page)."""
    signature = db.session.get(Signature, signature_id) if signature_id else None
    if signature is None or signature.document != CANDIDATE_ATTENDANCE:
        raise NotFound(MSG_NO_LINK)
    return signature


# --- Organiser's and PDFs' views -----------------------------------------------------------

@dataclass
class ExamAttendance:
    exam: Exam
    identity: IdentityCheck | None
    candidate_signature: Signature | None
    juror_signatures: dict[int, Signature]  # by juror's user id


@dataclass
class JuryAttendance:
    jury: Jury
    rows: list[ExamAttendance]


def _attendance_rows(exams: list[Exam]) -> list[ExamAttendance]:
    ids = [e.id for e in exams]
    identities = {c.exam_id: c for c in db.session.scalars(
        db.select(IdentityCheck).where(IdentityCheck.exam_id.in_(ids)))} if ids else {}
    cand = signatures.signatures_of(CANDIDATE_ATTENDANCE, ids)
    jury = signatures.signatures_of(JURY_ATTENDANCE, ids)
    rows = []
    for exam in exams:
        key = signatures.candidate_key(exam.candidate)
        rows.append(ExamAttendance(
            exam, identities.get(exam.id),
            next((s for s in cand[exam.id] if s.signer_key == key), None),
            {s.user_id: s for s in jury[exam.id] if s.user_id is not None}))
    return rows


def sitting_exams(jury: Jury) -> list[Exam]:
    """A jury's candidates on its attendance sheets: those expected (not moved, not absent)."""
    if jury.stopped_at is not None:
        return []
    return [e for e in jury.exams if e.status == SCHEDULED]


def jury_attendance(jury: Jury) -> JuryAttendance:
    return JuryAttendance(jury, _attendance_rows(sitting_exams(jury)))


def session_attendance(session_id: int) -> tuple[ExamSession, list[JuryAttendance]]:
    session = get_session(session_id)
    return session, [jury_attendance(j) for j in session.juries]


def attendance_rows(exams: list[Exam]) -> list[ExamAttendance]:
    return _attendance_rows(exams)


def session_sitting_exams(session_id: int) -> tuple[ExamSession, list[Exam]]:
    session = get_session(session_id)
    return session, [e for j in session.juries for e in sitting_exams(j)]


def organiser_jury(jury_id: int) -> Jury:
    return get_jury(jury_id)


def juror_jury(user, jury_id: int) -> Jury:
    """The jury if `user` sits on it; else 404, as if it did not exist."""
    sits = db.session.scalar(db.select(JuryMember.id).where(JuryMember.jury_id == jury_id,
                                                            JuryMember.juror_id == user.id))
    if sits is None:
        raise NotFound(MSG_NO_JURY)
    return get_jury(jury_id)
