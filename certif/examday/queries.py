"""Read-only lookups of the exam day: its date, the identity checks, the candidate's
signature, the attendance block's version, and the juries a juror may open."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func

from ..audit.models import AuditEntry
from ..errors import NotFound
from ..extensions import db
from ..sessions.models import Exam, Jury, JuryMember
from ..sessions.queries import get_jury
from ..signatures import services as signatures
from ..signatures.models import CANDIDATE_ATTENDANCE, JURY_ATTENDANCE, Signature
from ..timeutil import to_paris
from .access import exam_access
from .models import CandidateUnsigned, IdentityCheck

MSG_NO_JURY = "Jury introuvable parmi vos jurys."


def exam_day(exam: Exam) -> date:
    return to_paris(exam.starts_at).date()


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


def candidate_unsigned_reasons(exam_ids) -> dict[int, CandidateUnsigned]:
    """Why the candidate of each of these exams could not sign the attendance sheet (annex 1),
    as the jury recorded it (`.reason`, `.recorded_by`, `.recorded_at`): only the exams whose
    candidate has not signed after all. The minutes mention them."""
    ids = list(exam_ids)
    if not ids:
        return {}
    signed = (db.select(Signature.subject_id)
              .where(Signature.document == CANDIDATE_ATTENDANCE, Signature.subject_id.in_(ids)))
    rows = db.session.scalars(
        db.select(CandidateUnsigned).where(CandidateUnsigned.exam_id.in_(ids),
                                           CandidateUnsigned.exam_id.not_in(signed))
        .options(db.joinedload(CandidateUnsigned.recorded_by))).unique()
    return {row.exam_id: row for row in rows}


def jury_attendance_version(exam_id: int) -> int:
    """Changes when a juror signs the jury's attendance sheet for this exam."""
    return db.session.scalar(
        db.select(func.coalesce(func.max(AuditEntry.id), 0)).where(
            AuditEntry.entity_id == exam_id, AuditEntry.entity == JURY_ATTENDANCE))


def attendance_version(exam_id: int) -> int:
    """Changes when the candidate's attendance block does: identity checked, a link given,
    the candidate signed (the polling page swaps its block only then)."""
    return db.session.scalar(
        db.select(func.coalesce(func.max(AuditEntry.id), 0)).where(
            AuditEntry.entity_id == exam_id,
            db.or_(AuditEntry.entity == CANDIDATE_ATTENDANCE,
                   db.and_(AuditEntry.entity == "exam",
                           AuditEntry.action.in_(("identity.check", "attendance_link.create",
                                                  "attendance.candidate_unsigned"))))))


def candidate_version(user, exam_id: int) -> int:
    exam_access(user, exam_id)  # 404 for a juror not on the jury
    return attendance_version(exam_id)


def organiser_jury(jury_id: int) -> Jury:
    return get_jury(jury_id)


def juror_jury(user, jury_id: int) -> Jury:
    """The jury if `user` sits on it; else 404, as if it did not exist."""
    sits = db.session.scalar(db.select(JuryMember.id).where(JuryMember.jury_id == jury_id,
                                                            JuryMember.juror_id == user.id))
    if sits is None:
        raise NotFound(MSG_NO_JURY)
    return get_jury(jury_id)
