"""The candidate's side, without an account: the single-use link or code that opens the
signing page once, and the candidate's signature of annex 1 given through it.

The token is stored as a SHA-256 only; wrong codes and links count against the client
address."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from ..audit.services import record
from ..auth.services import client_address
from ..database import write_transaction
from ..errors import Conflict, InvalidInput, NotFound, ServiceError
from ..extensions import db
from ..sessions.models import STOPPED, Exam
from ..signatures import services as signatures
from ..signatures.models import CANDIDATE_ATTENDANCE, Signature
from ..signatures.rules import Mark, content_sha256
from ..signatures.services import require_seen
from ..throttling import services as throttling
from ..timeutil import utcnow
from . import rules
from .content import candidate_content
from .guards import MSG_CANDIDATE_SIGNED, attendance_closure
from .models import AttendanceLink
from .queries import candidate_signature

# Wrong codes and links (unknown, malformed, expired…) from one client address: 29^8 codes
# and 256-bit tokens are not guessed, but nobody gets to try them by the thousand either.
GUESS_LIMIT = throttling.Limit("attendance-ip", 20, timedelta(minutes=15))
MSG_TOO_MANY_GUESSES = ("Trop de codes ou de liens d'émargement erronés depuis votre "
                        "connexion : la saisie est suspendue.")

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


class LinkGone(ServiceError):
    """The signing link can no longer be used (used, closed, expired or replaced)."""

    status = 410


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def active_link(exam_id: int) -> AttendanceLink | None:
    """The exam's latest link still usable (not used, not replaced, not expired)."""
    link = db.session.scalar(db.select(AttendanceLink).where(AttendanceLink.exam_id == exam_id)
                             .order_by(AttendanceLink.id.desc()).limit(1))
    if link is None or _state(link) != rules.VALID:
        return None
    return link


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
        if not exam.is_active or session.status in STOPPED:
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
