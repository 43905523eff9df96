"""Sending convocations: the candidate's and the juror's, by email or handed over, one by
one or all those missing.

Each sending is one `Convocation` row (a resend is just another row, so the
history is kept) and one audit entry, written in a transaction of its own. An
email is sent between two transactions, never while holding the write lock
(see `_convey` and `mail.services`).

A convocation records what it announced (start, and a digest of the other facts:
`queries.candidate_facts`, `queries.juror_facts`): when they change, it is
outdated and must be sent again.

A failed email (the SMTP server refused it or could not be reached) records no
convocation: the `OutgoingMail` row marked "failed" and an audit entry are
committed as a trace, then `MailNotSent` is raised so that the organiser is told
and can retry or hand the convocation over instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app

from ..audit.services import record
from ..database import write_transaction
from ..documents.pdf import sha256
from ..errors import Conflict, InvalidInput, MailNotSent, ServiceError
from ..extensions import db
from ..mail import services as mail
from ..organisation.queries import cover_problem
from ..people import of
from ..sessions.lifecycle import convene_problem, session_facts
from ..sessions.models import (
    CANCELLED,
    CLOSED,
    CONVENED,
    DRAFT,
    SESSION_CLOSED,
    Exam,
    ExamSession,
)
from ..sessions.queries import get_exam, get_session, session_day, sitting_exams
from .content import (
    candidate_filename,
    candidate_message,
    candidate_pdf,
    juror_filename,
    juror_message,
    juror_pdf,
)
from .inputs import EMAIL, HAND, check_channel, check_handed_by, parse_handed_on
from .models import CANDIDATE, JUROR, Convocation
from .queries import (
    candidate_convocation_current,
    candidate_facts,
    juror_convocation_current,
    juror_facts,
    latest_candidate_convocations,
    latest_juror_convocations,
)
from .recipients import juror_start, juror_target, session_jurors

MSG_CHANGED = ("La convocation a changé pendant sa préparation (horaire, lieu, lien ou jury) : "
               "rechargez la page puis recommencez.")


def _check_session_open(session: ExamSession) -> None:
    if session.status == CANCELLED:
        raise Conflict(f"La session n° {session.number} est annulée : aucune convocation ne peut "
                       "être envoyée.")
    if session.status == SESSION_CLOSED:
        raise Conflict(f"La session n° {session.number} est clôturée : aucune convocation ne peut "
                       "plus être envoyée.")
    uninsured = cover_problem(session_day(session), session.number)  # seed 000, I.A
    if uninsured:
        raise Conflict(uninsured)


def _check_exam_convenable(exam: Exam) -> None:
    _check_session_open(exam.jury.session)
    name = exam.candidate.full_name
    if not exam.is_active:
        raise Conflict(f"{name} n'est plus attendu(e) à ce passage ({exam.status_label.lower()}) : "
                       "aucune convocation ne peut être envoyée.")
    if not exam.jury.sits:
        raise Conflict(f"Le jury {of(name)} ne peut pas siéger (carence) : convoquez le candidat "
                       "à la session de remplacement.")
    if exam.phase == CLOSED:
        raise Conflict(f"L'épreuve {of(name)} a déjà eu lieu : sa délibération est close.")


@dataclass
class Delivery:
    """What one sending needs, prepared before the write transaction (the PDF takes time)."""

    kind: str
    channel: str
    session_id: int
    pdf: bytes
    filename: str
    announced_start: datetime
    announced_facts: str  # queries.candidate_facts / juror_facts when it was prepared
    recipient: str | None = None
    subject: str = ""
    body: str = ""
    handed_on: date | None = None
    handed_by: str | None = None
    exam_id: int | None = None
    juror_id: int | None = None

    @property
    def audit_target(self) -> tuple[str, int]:
        # A candidate's convocation belongs to their exam's history, a juror's to the session's.
        return ("exam", self.exam_id) if self.kind == CANDIDATE else ("session", self.session_id)

    def summary(self) -> str:
        if self.channel == EMAIL:
            return f"e-mail à {self.recipient}"
        return f"remise en main propre le {self.handed_on.isoformat()} par {self.handed_by}"


def _hand_fields(channel: str, handed_on, handed_by, today) -> tuple[date | None, str | None]:
    if channel != HAND:
        return None, None
    return parse_handed_on(handed_on, today), check_handed_by(handed_by)


def send_candidate(actor, exam_id: int, channel: str, handed_on=None, handed_by=None, *,
                   today: date | None = None) -> Convocation:
    """Send (email) or record as handed over the candidate's convocation for an exam."""
    channel = check_channel(channel)
    exam = get_exam(exam_id)
    _check_exam_convenable(exam)
    recipient = None
    if channel == EMAIL:
        recipient = (exam.candidate.email or "").strip()
        if not recipient:
            raise InvalidInput(f"{exam.candidate.full_name} n'a pas d'adresse e-mail : remettez-lui "
                               "sa convocation en main propre (ou ajoutez son adresse).")
    handed_on, handed_by = _hand_fields(channel, handed_on, handed_by, today)
    facts = candidate_facts(exam)  # what the document and the email below announce
    subject, body = candidate_message(exam) if channel == EMAIL else ("", "")
    delivery = Delivery(kind=CANDIDATE, channel=channel, session_id=exam.jury.session_id,
                        exam_id=exam.id, pdf=candidate_pdf(exam),
                        filename=candidate_filename(exam), announced_start=exam.starts_at,
                        announced_facts=facts,
                        recipient=recipient, subject=subject, body=body,
                        handed_on=handed_on, handed_by=handed_by)

    def still_holds() -> None:
        exam = get_exam(exam_id)
        _check_exam_convenable(exam)
        if (exam.starts_at, exam.jury.session_id, candidate_facts(exam)) != (
                delivery.announced_start, delivery.session_id, delivery.announced_facts):
            raise Conflict(MSG_CHANGED)

    return _convey(actor, delivery, still_holds)


def send_juror(actor, session_id: int, juror_id: int, channel: str, handed_on=None,
               handed_by=None, *, today: date | None = None) -> Convocation:
    """Send (email) or record as handed over a juror's written convocation to a session."""
    channel = check_channel(channel)
    session, juror = juror_target(session_id, juror_id)
    _check_session_open(session)
    handed_on, handed_by = _hand_fields(channel, handed_on, handed_by, today)
    facts = juror_facts(session, juror.id)  # what the document and the email below announce
    subject, body = juror_message(session, juror) if channel == EMAIL else ("", "")
    delivery = Delivery(kind=JUROR, channel=channel, session_id=session.id, juror_id=juror.id,
                        pdf=juror_pdf(session, juror), filename=juror_filename(session, juror),
                        announced_start=juror_start(session, juror.id), announced_facts=facts,
                        recipient=juror.email if channel == EMAIL else None,
                        subject=subject, body=body, handed_on=handed_on, handed_by=handed_by)

    def still_holds() -> None:
        session, juror = juror_target(session_id, juror_id)
        _check_session_open(session)
        if (juror_start(session, juror.id), juror_facts(session, juror.id)) != (
                delivery.announced_start, delivery.announced_facts):
            raise Conflict(MSG_CHANGED)

    return _convey(actor, delivery, still_holds)


def _failure_message(recipient: str | None) -> str:
    return (f"L'envoi de la convocation à {recipient} a échoué : le serveur de messagerie n'a pas "
            "accepté le message. Rien n'est enregistré comme envoyé ; réessayez plus tard ou "
            "remettez la convocation en main propre. Le détail de l'erreur est dans les courriels.")


MSG_VANISHED = ("Le passage a été retiré de la session pendant l'envoi : le message est parti, "
                "mais aucune convocation n'est enregistrée.")


def _convey(actor, delivery: Delivery, still_holds) -> Convocation:
    """Record a hand delivery (one transaction), or email the convocation in three steps.

    The SMTP exchange can take up to MAIL_TIMEOUT: it runs between two transactions
    so that it never holds the write lock (every juror's save would wait for it).
    1. re-check what is sent still holds, record the message as unconfirmed;
    2. file and send it (no transaction);
    3. record the outcome: the convocation and its audit entry, or the failure."""
    with write_transaction():
        _reread(delivery.session_id)
        still_holds()
        if delivery.channel == HAND:
            return _record_sending(actor, delivery, None)
        pending = mail.record_pending([delivery.recipient], delivery.subject, delivery.body,
                                      (mail.Attachment(delivery.filename, delivery.pdf),))
    error = mail.deliver(pending)
    with write_transaction():
        _reread(delivery.session_id)
        mail_row = mail.record_outcome(pending, error)
        if error is None:
            convocation = _record_sending(actor, delivery, mail_row)
        else:
            entity, entity_id = delivery.audit_target
            record(actor, "convocation.email_failed", entity, entity_id, None, delivery.summary(),
                   kind=delivery.kind, juror_id=delivery.juror_id, mail_id=mail_row.id,
                   error=mail_row.error)
    if error is not None:
        raise MailNotSent(_failure_message(delivery.recipient))
    if convocation is None:
        raise Conflict(MSG_VANISHED)
    return convocation


def _reread(session_id: int) -> None:
    """At the start of a write transaction: forget what was read before (objects outlive
    commits here) and lock the session, so that what is checked is what now holds."""
    db.session.expire_all()
    get_session(session_id, lock=True)


def _record_sending(actor, delivery: Delivery, mail_row) -> Convocation | None:
    """Inside a write transaction: record what was sent (or handed over), audit it, and
    move a draft session on when everyone is convened. None when the exam is gone."""
    entity, entity_id = delivery.audit_target
    if delivery.kind == CANDIDATE and db.session.get(Exam, delivery.exam_id) is None:
        # Unassigned during the SMTP exchange (no convocation existed yet to forbid it).
        record(actor, f"convocation.{delivery.channel}", entity, entity_id, None,
               delivery.summary(), kind=delivery.kind, convocation_id=None,
               mail_id=getattr(mail_row, "id", None), note="passage retiré pendant l'envoi")
        return None
    convocation = Convocation(
        kind=delivery.kind, session_id=delivery.session_id, exam_id=delivery.exam_id,
        juror_id=delivery.juror_id, channel=delivery.channel, sent_by_id=getattr(actor, "id", None),
        recipient=delivery.recipient, handed_on=delivery.handed_on, handed_by=delivery.handed_by,
        announced_start=delivery.announced_start, announced_facts=delivery.announced_facts,
        pdf_sha256=sha256(delivery.pdf), mail_id=mail_row.id if mail_row else None)
    db.session.add(convocation)
    db.session.flush()
    record(actor, f"convocation.{delivery.channel}", entity, entity_id, None, delivery.summary(),
           kind=delivery.kind, convocation_id=convocation.id, juror_id=delivery.juror_id,
           announced_start=delivery.announced_start.isoformat(),
           announced_facts=delivery.announced_facts,
           pdf_sha256=convocation.pdf_sha256, mail_id=convocation.mail_id)
    mark_convened_if_complete(actor, db.session.get(ExamSession, delivery.session_id))
    return convocation


def mark_convened_if_complete(actor, session: ExamSession) -> bool:
    """Inside a write transaction: a draft session whose people are all convened moves on.

    The guard is the session workflow's own (`convene_problem`: complete juries of
    habilitated jurors, candidates placed, every convocation current), so that this
    automatic step and the organiser's button agree."""
    if session.status != DRAFT or convene_problem(session_facts(session)) is not None:
        return False
    session.status = CONVENED
    record(actor, "session.status", "session", session.id, DRAFT, CONVENED,
           reason="toutes les convocations sont envoyées")
    return True


MSG_UNEXPECTED = ("erreur inattendue, détaillée dans le journal du serveur : vérifiez dans les "
                  "courriels si le message est parti, puis réessayez ou remettez la convocation "
                  "en main propre")


@dataclass
class BatchSummary:
    sent: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (who, why)
    failed: list[tuple[str, str]] = field(default_factory=list)
    already: int = 0
    convened: bool = False


def send_all_unsent(actor, session_id: int) -> BatchSummary:
    """Email every candidate and juror whose convocation is missing or outdated.

    One transaction per recipient: a failure leaves the other sendings in place,
    and the summary says who was sent, skipped (and why), or failed."""
    session = get_session(session_id)
    _check_session_open(session)
    was_draft = session.status == DRAFT
    summary = BatchSummary()
    exams = sitting_exams(session)
    latest = latest_candidate_convocations(e.id for e in exams)
    todo = []
    for exam in exams:
        if candidate_convocation_current(exam, latest.get(exam.id)):
            summary.already += 1
        elif not (exam.candidate.email or "").strip():
            summary.skipped.append((exam.candidate.full_name,
                                    "pas d'adresse e-mail : à remettre en main propre"))
        else:
            todo.append((exam.candidate.full_name,
                         lambda exam_id=exam.id: send_candidate(actor, exam_id, EMAIL)))
    latest_jurors = latest_juror_convocations(session.id)
    for juror in session_jurors(session):
        if juror_convocation_current(session, juror, latest_jurors.get(juror.id)):
            summary.already += 1
        else:
            todo.append((f"{juror.full_name} (juré)",
                         lambda juror_id=juror.id: send_juror(actor, session_id, juror_id, EMAIL)))
    for name, send in todo:
        try:
            send()
        except MailNotSent:
            summary.failed.append((name, "le serveur de messagerie n'a pas accepté le message"))
        except ServiceError as exc:
            summary.skipped.append((name, exc.message))
        except Exception:  # noqa: BLE001 — one recipient's bug must not stop the others
            current_app.logger.exception("Unexpected error sending a convocation to %s", name)
            db.session.rollback()
            summary.failed.append((name, MSG_UNEXPECTED))
        else:
            summary.sent.append(name)
    if was_draft:
        summary.convened = get_session(session_id).status == CONVENED
    return summary
