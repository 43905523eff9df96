"""Why a juror may not write on an exam now (the day, the jury's and the session's state,
their declaration) and when the candidate's attendance is closed: shown by the pages,
enforced by the writes."""
from __future__ import annotations

from datetime import date

from ..errors import Conflict
from ..extensions import db
from ..jurors.models import ConflictDeclaration
from ..sessions.locks import grades_locked
from ..sessions.models import Exam
from ..timeutil import paris_today
from . import rules
from .access import ExamAccess
from .queries import candidate_signature, exam_day

MSG_IDENTITY_BEFORE = ("Vérifiez d'abord l'identité et la convocation du candidat : il émarge "
                       "ensuite.")
MSG_CONFLICT = ("Vous avez déclaré connaître ce candidat : vous ne pouvez ni vérifier son identité "
                "ni le faire émarger. L'autre juré ou le responsable d'organisation s'en charge.")
MSG_DECLARE_FIRST = ("Déclarez d'abord que vous ne connaissez pas ce candidat (page de la grille), "
                     "puis vérifiez son identité.")
MSG_CANDIDATE_SIGNED = "Le candidat a déjà émargé pour cette épreuve : sa signature est enregistrée."
MSG_ATTENDANCE_MINUTES_SIGNED = ("Le procès-verbal de la session n° {number} est signé : "
                                 "l'émargement des candidats est clos.")
MSG_ATTENDANCE_JURY_STOPPED = ("Le jury de cette épreuve a été arrêté (carence d'un juré) : "
                               "l'émargement des candidats est clos. Adressez-vous au responsable "
                               "d'organisation.")
MSG_LINK_CREATOR_CONFLICT = ("Le juré qui a créé ce code a déclaré connaître le candidat : le code ne "
                             "peut plus servir. Demandez un nouveau code à l'autre juré.")


def attendance_closure(exam: Exam, juror_id: int | None) -> str | None:
    """Why the candidate's attendance can no longer be taken through a code given by
    `juror_id` (French), or None. The one place that closes a link besides its own dates:
    `create_link` refuses for the same reasons, and open links die the moment one applies."""
    jury = exam.jury
    if grades_locked(jury.session_id):
        return MSG_ATTENDANCE_MINUTES_SIGNED.format(number=jury.session.number)
    if not jury.sits:
        return MSG_ATTENDANCE_JURY_STOPPED
    if juror_id is not None and db.session.scalar(db.select(ConflictDeclaration.id).where(
            ConflictDeclaration.exam_id == exam.id, ConflictDeclaration.juror_id == juror_id,
            ConflictDeclaration.has_conflict.is_(True))) is not None:
        return MSG_LINK_CREATOR_CONFLICT
    return None


def identity_refusal(access: ExamAccess, today: date) -> str | None:
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


def require_writable(access: ExamAccess, today: date | None) -> None:
    refusal = rules.exam_day_refusal(exam_day(access.exam), today or paris_today())
    refusal = refusal or access.write_refusal
    if refusal:
        raise Conflict(refusal)


def require_candidate_may_sign(access: ExamAccess, today: date | None) -> None:
    require_writable(access, today)
    if access.identity_checked is False:
        raise Conflict(MSG_IDENTITY_BEFORE)
    if access.declaration is not None and access.declaration.has_conflict:
        raise Conflict(MSG_CONFLICT)
    closure = attendance_closure(access.exam, None)  # the juror's own conflict: just above
    if closure:
        raise Conflict(closure)
    if candidate_signature(access.exam) is not None:
        raise Conflict(MSG_CANDIDATE_SIGNED)
