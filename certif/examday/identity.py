"""The candidate's identity check: its fields as stored, and either juror's record of it,
once per exam (the first one of a convened session puts the session under way)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..sessions.models import CONVENED, IN_PROGRESS
from ..sessions.queries import get_session
from ..text import clean_text
from ..timeutil import french_datetime, paris_today
from .access import exam_access
from .guards import identity_refusal
from .models import CHECK_MODES, ID_DOCUMENTS, IdentityCheck
from .queries import identity_of

MAX_NOTES = 2000
MAX_DETAIL = 200

MSG_BAD_DOCUMENT = "Choisissez la pièce d'identité présentée par le candidat."
MSG_DETAIL_NEEDED = "Précisez quelle autre pièce d'identité le candidat a présentée."
MSG_DETAIL_LONG = f"La précision sur la pièce d'identité ne doit pas dépasser {MAX_DETAIL} caractères."
MSG_CONVOCATION = "Cochez « convocation vérifiée » : le jury vérifie la convocation avec l'identité."
MSG_BAD_MODE = "Choisissez comment l'identité a été vérifiée : face à la webcam ou en présentiel."
MSG_NOTES_LONG = f"Les remarques ne doivent pas dépasser {MAX_NOTES} caractères."
MSG_IDENTITY_DONE = "L'identité de ce candidat a déjà été vérifiée par {who} le {when}."


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
        refusal = identity_refusal(access, today or paris_today())
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
