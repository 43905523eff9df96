"""Sending results to candidates (seed 000, I.D.5): one email each, a resend is another notice.

Emails follow `convocations.sending`: the message is recorded as pending inside
a write transaction, delivered OUTSIDE any transaction (a slow SMTP server never
holds the write lock), then its outcome recorded in a second transaction with
what it proves (a ResultNotice).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, MailNotSent, ServiceError
from ..extensions import db
from ..mail import services as mail
from ..people import of
from ..sessions.models import CLOSED, Exam
from ..sessions.queries import get_exam
from .content import mail_failure, result_mail
from .models import ResultNotice
from .pages import session_results
from .queries import send_refusal

MSG_NO_EMAIL = ("{name} n'a pas d'adresse e-mail : remettez-lui le résultat en main propre "
                "(ou ajoutez son adresse sur sa fiche).")
MSG_NOT_CLOSED = "La délibération {of_name} n'est pas close : il n'y a pas encore de résultat à envoyer."


def _check_result_sendable(exam: Exam) -> None:
    refusal = send_refusal(exam.jury.session)
    if refusal:
        raise Conflict(refusal)
    if exam.phase != CLOSED or exam.decision is None:
        raise Conflict(MSG_NOT_CLOSED.format(of_name=of(exam.candidate.full_name)))
    if not (exam.candidate.email or "").strip():
        raise Conflict(MSG_NO_EMAIL.format(name=exam.candidate.full_name))


def send_result(actor, exam_id: int) -> ResultNotice:
    """Email one candidate their result (a resend is another ResultNotice, the history stays)."""
    exam = get_exam(exam_id)
    _check_result_sendable(exam)
    subject, body = result_mail(exam)
    recipient = exam.candidate.email.strip()
    with write_transaction():
        db.session.expire_all()
        exam = get_exam(exam_id, lock=True)
        _check_result_sendable(exam)  # what was read before may have changed
        decision = exam.decision
        pending = mail.record_pending([recipient], subject, body)
    error = mail.deliver(pending)
    with write_transaction():
        mail_row = mail.record_outcome(pending, error)
        if error is None:
            notice = ResultNotice(exam_id=exam_id, decision=decision, sent_by_id=actor.id,
                                  mail_id=mail_row.id)
            db.session.add(notice)
            db.session.flush()
            record(actor, "result.send", "exam", exam_id, None, decision, notice_id=notice.id,
                   mail_id=mail_row.id, recipient=recipient)
        else:
            record(actor, "result.email_failed", "exam", exam_id, None, decision,
                   mail_id=mail_row.id, error=mail_row.error)
    if error is not None:
        raise MailNotSent(mail_failure("du résultat", recipient))
    return notice


@dataclass
class ResultBatch:
    sent: list[str] = field(default_factory=list)
    to_hand_over: list[str] = field(default_factory=list)  # no email address
    failed: list[tuple[str, str]] = field(default_factory=list)
    already: int = 0


def send_all_results(actor, session_id: int) -> ResultBatch:
    """Email every candidate of the session not yet notified; one transaction each."""
    overview = session_results(session_id)
    if overview.refusal:
        raise Conflict(overview.refusal)
    batch = ResultBatch(already=len(overview.rows) - len(overview.unsent))
    for row in overview.unsent:
        name = row.candidate.full_name
        if not row.has_email:
            batch.to_hand_over.append(name)
            continue
        try:
            send_result(actor, row.exam.id)
        except MailNotSent:
            batch.failed.append((name, "le serveur de messagerie n'a pas accepté le message"))
        except ServiceError as exc:
            batch.failed.append((name, exc.message))
        else:
            batch.sent.append(name)
    return batch
