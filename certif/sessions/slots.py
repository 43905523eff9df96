"""A jury's slots: placing a candidate, timing the slots, moving a sitting within its jury or
to another one, and taking a candidate out.

`reschedule` and `add_exam` are primitives used by the candidate edits and the exception
services (`sessions.changes`): each caller runs them inside its own `write_transaction` and
records the audit entry. Every other write here runs in one `write_transaction` with its
audit entry."""
from __future__ import annotations

from dataclasses import dataclass

from ..audit.services import record
from ..candidates.models import Appeal, Candidate, RetakeRequest
from ..database import write_transaction
from ..errors import Conflict, FieldError, InvalidInput
from ..extensions import db
from ..jurors.models import ConflictDeclaration
from ..people import of
from . import picker, rules
from .juries import jury_problem, require_preparing
from .locks import grades_locked
from .models import GRADING, PLANNING, PREPARING, Exam, ExamSession, Jury
from .queries import (
    active_exams,
    conflict_with,
    get_exam,
    get_jury,
    get_session,
    graded_exam_ids,
    session_day,
)
from .references import CONVOCATIONS, DELIBERATION_MARKS, exam_has


def reschedule(jury: Jury) -> None:
    """Recompute the slots of a jury's active exams, in position order, from the session's start.

    Each lasts the referential's duration plus the candidate's extra time.
    Positions are renumbered 1..n so that reordering stays simple."""
    exams = active_exams(jury)
    session = jury.session
    slots = rules.schedule(session.starts_at, session.referential.exam_minutes,
                           [e.candidate.extra_minutes or 0 for e in exams])
    for position, (exam, slot) in enumerate(zip(exams, slots, strict=True), start=1):
        exam.position = position
        exam.starts_at = slot.starts_at
        exam.duration_minutes = slot.minutes


def add_exam(jury: Jury, candidate, *, attempt: int = 1, retake_of: Exam | None = None) -> Exam:
    """Place `candidate` at the end of `jury`'s slots (caller audits and commits)."""
    last = max((e.position for e in jury.exams), default=0)
    exam = Exam(candidate=candidate, position=last + 1, attempt=attempt, retake_of=retake_of,
                starts_at=jury.session.starts_at,
                duration_minutes=jury.session.referential.exam_minutes)
    jury.exams.append(exam)
    db.session.flush()
    reschedule(jury)
    return exam


def _active_exam_in_session(session: ExamSession, candidate_id: int) -> Exam | None:
    return db.session.scalar(
        db.select(Exam).join(Jury, Exam.jury_id == Jury.id)
        .where(Jury.session_id == session.id, Exam.candidate_id == candidate_id,
               Exam.is_active))


def _require_sitting(jury: Jury) -> None:
    if not jury.sits:
        raise Conflict(f"{jury.label} a été arrêté (carence) : il ne reçoit plus de candidats.")


@dataclass(frozen=True)
class Placement:
    exam: Exam
    warning: str | None  # the 3-month rule: told, not refused


def assign_candidate(actor, jury_id: int, candidate_id: int | None) -> Placement:
    """Place a candidate at the end of a jury's slots; the slots are timed again."""
    if not candidate_id:
        raise FieldError("candidate_id", "Choisissez un candidat.")
    with write_transaction():
        jury = get_jury(jury_id)
        session = get_session(jury.session_id, lock=True)
        require_preparing(session)
        _require_sitting(jury)
        candidate = db.session.get(Candidate, candidate_id)
        if candidate is None:
            raise FieldError("candidate_id", "Candidat introuvable.")
        already = _active_exam_in_session(session, candidate.id)
        if already is not None:
            raise Conflict(f"{candidate.full_name} est déjà placé dans cette session "
                           f"({already.jury.label}).")
        certified = picker.certified_problem(session, candidate)
        if certified:
            raise Conflict(certified)
        exam = add_exam(jury, candidate)
        record(actor, "exam.assign", "exam", exam.id, None, f"{jury.label}, {exam.position}",
               session_id=session.id, jury_id=jury.id, candidate_id=candidate.id,
               starts_at=exam.starts_at.isoformat())
    warnings = [rules.sitting_warning(candidate.training_end_date, session_day(session)),
                picker.scheduled_elsewhere_warning(session, candidate.id)]
    return Placement(exam, " ".join(w for w in warnings if w) or None)


def _require_movable(exam: Exam, graded: set[int]) -> None:
    if not exam.is_active:
        raise Conflict(f"{exam.candidate.full_name} est « {exam.status_label.lower()} » : "
                       "son passage ne peut plus être déplacé.")
    if exam.phase != GRADING or exam.id in graded:
        raise Conflict(f"L'évaluation {of(exam.candidate.full_name)} a commencé : son passage ne "
                       "peut plus être déplacé.")


def _planning_session(exam: Exam) -> ExamSession:
    session = get_session(exam.jury.session_id, lock=True)
    if session.status not in PLANNING:
        raise Conflict(f"La session est « {session.status_label.lower()} » : les passages ne "
                       "peuvent plus être déplacés.")
    if grades_locked(session.id):  # the minutes are signed: sittings and grades are final
        raise Conflict("Le procès-verbal de la session est signé : les passages ne peuvent "
                       "plus être déplacés.")
    return session


def move_slot(actor, exam_id: int, direction: str | None) -> Exam:
    """Swap a candidate with the one before (up) or after (down) them; times follow."""
    if direction not in ("up", "down"):
        raise InvalidInput("Sens de déplacement inconnu : « monter » ou « descendre ».")
    with write_transaction():
        exam = get_exam(exam_id)
        session = _planning_session(exam)
        jury = exam.jury
        _require_sitting(jury)
        slots = active_exams(jury)
        graded = graded_exam_ids(e.id for e in slots)
        _require_movable(exam, graded)
        index = slots.index(exam)
        other_index = index - 1 if direction == "up" else index + 1
        if not 0 <= other_index < len(slots):
            raise Conflict(f"{exam.candidate.full_name} est déjà "
                           f"{'le premier' if direction == 'up' else 'le dernier'} de son jury.")
        other = slots[other_index]
        _require_movable(other, graded)
        slots[index], slots[other_index] = other, exam
        for position, each in enumerate(slots, start=1):
            each.position = position
        old_start = exam.starts_at
        reschedule(jury)
        record(actor, "exam.reorder", "exam", exam.id, old_start.isoformat(),
               exam.starts_at.isoformat(), session_id=session.id, jury_id=jury.id,
               direction=direction)
    return exam


def change_jury(actor, exam_id: int, target_jury_id: int | None) -> Exam:
    """Move a candidate to another jury of the same session, at the end of its slots.
    This is how a declared conflict of interest is resolved."""
    if not target_jury_id:
        raise FieldError("jury_id", "Choisissez le jury qui recevra le candidat.")
    with write_transaction():
        exam = get_exam(exam_id)
        session = _planning_session(exam)
        source = exam.jury
        target = db.session.get(Jury, target_jury_id)
        if target is None or target.session_id != session.id:
            raise FieldError("jury_id", "Choisissez un jury de cette session.")
        if target.id == source.id:
            raise FieldError("jury_id", f"{exam.candidate.full_name} est déjà dans le {source.label}.")
        _require_sitting(source)
        _require_sitting(target)
        _require_movable(exam, graded_exam_ids([exam.id]))
        if jury_problem(target):
            raise Conflict(jury_problem(target))
        conflict = conflict_with(target, exam.candidate_id)
        if conflict is not None:
            raise Conflict(f"{conflict.juror.full_name} ({target.label}) a déclaré connaître "
                           f"{exam.candidate.full_name} : choisissez un autre jury.")
        exam.position = max((e.position for e in target.exams), default=0) + 1
        exam.jury = target  # leaves source.exams, joins target.exams
        db.session.flush()
        reschedule(source)
        reschedule(target)
        record(actor, "exam.change_jury", "exam", exam.id, source.label, target.label,
               session_id=session.id, from_jury_id=source.id, to_jury_id=target.id,
               starts_at=exam.starts_at.isoformat())
    return exam


def unassign(actor, exam_id: int) -> Jury:
    """Take a candidate out of a jury before anything was sent or graded for them."""
    with write_transaction():
        exam = get_exam(exam_id)
        jury = exam.jury
        session = get_session(jury.session_id, lock=True)
        name = exam.candidate.full_name
        if session.status not in PREPARING:
            raise Conflict(f"La session est « {session.status_label.lower()} » : déclarez "
                           f"l'absence {of(name)} ou reportez-le plutôt.")
        if not exam.is_active:
            raise Conflict(f"{name} est « {exam.status_label.lower()} » : son passage est "
                           "conservé dans l'historique.")
        if graded_exam_ids([exam.id]) or exam.phase != GRADING:
            raise Conflict(f"L'évaluation {of(name)} a commencé : il ne peut plus être retiré.")
        if exam_has(CONVOCATIONS, exam.id):
            raise Conflict(f"Une convocation a déjà été envoyée à {name} : il ne peut plus être "
                           "simplement retiré. Déplacez-le vers un autre jury, ou déclarez son "
                           "absence ou son report depuis la page de son passage.")
        if _exam_is_referenced(exam):
            raise Conflict(f"Le passage {of(name)} est lié à un report, une reprise ou un recours : "
                           "il ne peut pas être retiré.")
        declarations = db.session.scalars(
            db.select(ConflictDeclaration).where(ConflictDeclaration.exam_id == exam.id)).all()
        for declaration in declarations:
            db.session.delete(declaration)
        record(actor, "exam.unassign", "exam", exam.id, f"{jury.label}, {exam.position}", None,
               session_id=session.id, jury_id=jury.id, candidate_id=exam.candidate_id,
               declarations_deleted=len(declarations))
        jury.exams.remove(exam)
        db.session.delete(exam)
        db.session.flush()
        reschedule(jury)
    return jury


def _exam_is_referenced(exam: Exam) -> bool:
    """Whether other records point to this sitting (moves, retakes, appeals)."""
    checks = (
        db.select(Exam.id).where((Exam.moved_to_id == exam.id) | (Exam.retake_of_id == exam.id)),
        db.select(RetakeRequest.id).where((RetakeRequest.exam_id == exam.id)
                                          | (RetakeRequest.new_exam_id == exam.id)),
        db.select(Appeal.id).where(Appeal.exam_id == exam.id),
    )
    return (exam.moved_to_id is not None or exam.retake_of_id is not None
            or any(db.session.scalar(q.limit(1)) is not None for q in checks)
            or exam_has(DELIBERATION_MARKS, exam.id))
