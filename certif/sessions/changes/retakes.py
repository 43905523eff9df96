"""Retakes after an unfavourable result: whether one may be requested, the request (by the
organiser, or by the candidate from their link), and the new attempt's place.

The portal (candidate's link) calls `retake_status` and `request_retake`: keep their
signatures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...audit.services import record
from ...candidates.models import RETAKE_CHANNELS, RetakeRequest
from ...database import write_transaction
from ...errors import Conflict, InvalidInput
from ...extensions import db
from ...timeutil import french_date, paris_day, paris_today, utcnow
from .. import rules
from ..models import SCHEDULED, Exam
from ..queries import get_exam
from ..slots import add_exam
from .common import is_unfavourable, result_day
from .moves import Target, chosen_target, open_targets


@dataclass
class RetakeStatus:
    can_request: bool
    deadline: date | None
    reason: str | None
    request: RetakeRequest | None = None


def retake_request_for(exam_id: int) -> RetakeRequest | None:
    return db.session.scalar(db.select(RetakeRequest).filter_by(exam_id=exam_id))


def retake_status(exam: Exam, today: date | None = None) -> RetakeStatus:
    """Whether a retake may be requested for this sitting now, until when, or why not."""
    today = today or paris_today()
    request = retake_request_for(exam.id)
    if not is_unfavourable(exam):
        return RetakeStatus(False, None, "Un rattrapage ne peut être demandé qu'après un "
                                         "résultat défavorable.", request)
    deadline = rules.retake_deadline(result_day(exam))
    if request is not None:
        return RetakeStatus(False, deadline, "Une demande de rattrapage a déjà été enregistrée "
                            f"le {french_date(paris_day(request.requested_at))}.", request)
    problem = rules.retake_request_problem(result_day(exam), today)
    if problem:
        return RetakeStatus(False, deadline, problem, None)
    return RetakeStatus(True, deadline, None, None)


def request_retake(exam_id: int, *, actor=None, channel: str = "candidate",
                   today: date | None = None) -> RetakeRequest:
    """Record a retake request (by the organiser, or by the candidate from their link)."""
    if channel not in RETAKE_CHANNELS:
        raise InvalidInput("Canal de demande inconnu.")
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        status = retake_status(exam, today)
        if not status.can_request:
            raise Conflict(status.reason)
        request = RetakeRequest(exam_id=exam.id, channel=channel,
                                requested_by_id=getattr(actor, "id", None))
        db.session.add(request)
        db.session.flush()
        record(actor, "retake.request", "exam", exam.id, None, "requested", channel=channel,
               retake_request_id=request.id, deadline=status.deadline.isoformat())
    return request


def retake_targets(exam: Exam, today: date | None = None) -> list[Target]:
    """Where a retake can be placed. No 3-month warning: the retake is to be sat within
    2 months of the result (seed 000, I.D.7), so a session after that is flagged instead."""
    targets = open_targets(exam, today, with_warning=False)
    if is_unfavourable(exam):
        for target in targets:
            target.warning = rules.retake_sitting_warning(result_day(exam), target.day)
    return targets


def schedule_retake(actor, exam_id: int, jury_id: int | None, *, confirmed: bool = False,
                    today: date | None = None) -> Exam:
    """The new attempt (attempt + 1) in the chosen jury; the failed one stays as it was.

    When the retake would be sat more than 2 months after the result, the organiser
    must confirm; the warning and the confirmation are kept in the audit entry."""
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        request = retake_request_for(exam.id)
        if request is None:
            raise Conflict("Aucune demande de rattrapage n'a été enregistrée pour ce passage.")
        if request.new_exam_id is not None:
            raise Conflict("Le rattrapage est déjà planifié.")
        deadline = rules.retake_deadline(result_day(exam))
        if paris_day(request.requested_at) > deadline:
            raise Conflict(f"La demande a été faite après la fin du délai de rattrapage "
                           f"(le {french_date(deadline)}).")
        target = chosen_target(retake_targets(exam, today), jury_id)
        if target.warning and not confirmed:
            raise InvalidInput(f"{target.warning} Cochez la case de confirmation pour planifier "
                               "le rattrapage malgré tout.")
        new = add_exam(target.jury, exam.candidate, attempt=exam.attempt + 1, retake_of=exam)
        request.new_exam = new
        request.scheduled_at = utcnow()
        details = {"warning": target.warning, "confirmed": True} if target.warning else {}
        record(actor, "retake.schedule", "exam", exam.id, None, "scheduled",
               retake_request_id=request.id, new_exam_id=new.id,
               session_id=target.jury.session_id, **details)
        record(actor, "exam.create", "exam", new.id, None, SCHEDULED, retake_of_exam_id=exam.id,
               attempt=new.attempt, reason="retake")
    return new
