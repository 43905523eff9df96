"""Appeals to the management against a result (seed 000, I.D.7: « les recours potentiels se
feront auprès de la direction »): recorded by the organiser, or requested by the candidate
from their link; then decided, and the answer emailed to the candidate (outbox)."""
from __future__ import annotations

from datetime import date

from flask import current_app

from ...audit.services import record
from ...candidates.models import APPEAL_CHANNELS, Appeal
from ...database import get_row, write_transaction
from ...errors import Conflict, InvalidInput
from ...extensions import db
from ...mail import services as mail
from ...timeutil import french_date, paris_today
from ..models import CLOSED
from ..queries import get_exam
from .common import checked_text, is_unfavourable, result_day

MSG_APPEAL_PENDING = ("Votre recours déposé le {day} attend la réponse de la direction : vous "
                      "la verrez sur cette page et la recevrez par e-mail.")
MSG_APPEAL_NOT_OPEN = ("Un recours ne peut être demandé qu'après un résultat défavorable, une "
                       "fois la délibération close.")


def get_appeal(appeal_id: int, *, lock: bool = False) -> Appeal:
    return get_row(Appeal, appeal_id, "Recours introuvable.", lock=lock)


def pending_candidate_appeal(exam_id: int) -> Appeal | None:
    """The candidate's own appeal on this sitting still awaiting the management's answer."""
    return db.session.scalar(
        db.select(Appeal).where(Appeal.exam_id == exam_id, Appeal.outcome == "pending",
                                Appeal.channel == "candidate").limit(1))


def candidate_appeal_problem(exam) -> str | None:
    """Why the candidate cannot request an appeal on this sitting from their link now (None
    when they can): after an unfavourable result only, one pending request at a time."""
    if not is_unfavourable(exam):
        return MSG_APPEAL_NOT_OPEN
    pending = pending_candidate_appeal(exam.id)
    if pending is not None:
        return MSG_APPEAL_PENDING.format(day=french_date(pending.filed_on))
    return None


def request_appeal(exam_id: int, grounds: str | None, *, link_detail: str | None = None,
                   today: date | None = None) -> Appeal:
    """The candidate appeals to the management from their personal link (no account):
    filed today, recorded for the organiser, who answers on the sitting's page."""
    today = today or paris_today()
    text = checked_text(grounds, required="Indiquez les motifs de votre recours.")
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        problem = candidate_appeal_problem(exam)
        if problem:
            raise Conflict(problem)
        appeal = Appeal(exam_id=exam.id, filed_on=today, grounds=text, channel="candidate")
        db.session.add(appeal)
        db.session.flush()
        record(None, "appeal.request", "exam", exam.id, None, "pending", appeal_id=appeal.id,
               filed_on=today.isoformat(), channel="candidate", link=link_detail)
    return appeal


def record_appeal(actor, exam_id: int, *, filed_on: date | None, grounds: str | None,
                  today: date | None = None, channel: str = "organiser") -> Appeal:
    """An appeal to the management against a result, recorded by the organiser."""
    today = today or paris_today()
    if channel not in APPEAL_CHANNELS:
        raise InvalidInput("Canal du recours inconnu.")
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        if exam.phase != CLOSED or exam.closed_at is None:
            raise Conflict("Un recours ne peut être enregistré qu'une fois le résultat connu "
                           "(délibération close).")
        if filed_on is None:
            raise InvalidInput("Indiquez la date du recours.")
        if filed_on > today:
            raise InvalidInput("La date du recours ne peut pas être dans le futur.")
        if filed_on < result_day(exam):
            raise InvalidInput(f"La date du recours ne peut pas précéder le résultat "
                               f"(le {french_date(result_day(exam))}).")
        grounds = checked_text(grounds, required="Indiquez les motifs du recours.")
        _require_not_recorded(exam.id, filed_on, grounds)
        appeal = Appeal(exam_id=exam.id, filed_on=filed_on, grounds=grounds, channel=channel,
                        recorded_by_id=getattr(actor, "id", None))
        db.session.add(appeal)
        db.session.flush()
        record(actor, "appeal.record", "exam", exam.id, None, "pending", appeal_id=appeal.id,
               filed_on=filed_on.isoformat())
    return appeal


def _require_not_recorded(exam_id: int, filed_on: date, grounds: str) -> None:
    """The same appeal, still pending, is not recorded twice (a second click, a reload)."""
    same = db.session.scalar(
        db.select(Appeal).where(Appeal.exam_id == exam_id, Appeal.outcome == "pending",
                                Appeal.filed_on == filed_on, Appeal.grounds == grounds).limit(1))
    if same is not None:
        raise Conflict(f"Ce recours (déposé le {french_date(filed_on)}, mêmes motifs) est déjà "
                       "enregistré et attend la décision de la direction.")


def decide_appeal(actor, appeal_id: int, *, outcome: str | None, outcome_text: str | None,
                  decided_on: date | None, today: date | None = None) -> Appeal:
    """The management's answer to an appeal, then emailed to the candidate when they have
    an address (recorded in the outbox; a failed sending leaves the decision recorded and
    `appeal.answer_mail.status` says "failed")."""
    today = today or paris_today()
    pending = None
    with write_transaction():
        appeal = get_appeal(appeal_id, lock=True)
        if appeal.outcome != "pending":
            raise Conflict(f"Ce recours a déjà été tranché le {french_date(appeal.decided_on)}.")
        if outcome not in ("upheld", "rejected"):
            raise InvalidInput("Choisissez l'issue du recours : accepté ou rejeté.")
        if decided_on is None:
            raise InvalidInput("Indiquez la date de la décision.")
        if decided_on < appeal.filed_on:
            raise InvalidInput(f"La décision ne peut pas précéder le recours "
                               f"(déposé le {french_date(appeal.filed_on)}).")
        if decided_on > today:
            raise InvalidInput("La date de la décision ne peut pas être dans le futur.")
        text = checked_text(outcome_text, required="Indiquez la réponse de la direction.")
        appeal.outcome, appeal.outcome_text, appeal.decided_on = outcome, text, decided_on
        record(actor, "appeal.decide", "exam", appeal.exam_id, "pending", outcome,
               appeal_id=appeal.id, decided_on=decided_on.isoformat())
        recipient = (appeal.exam.candidate.email or "").strip()
        if recipient:
            pending = mail.record_pending([recipient], *answer_mail(appeal))
    if pending is None:
        return appeal
    error = mail.deliver(pending)
    with write_transaction():
        appeal = get_appeal(appeal_id, lock=True)
        sent = mail.record_outcome(pending, error)
        appeal.answer_mail_id = sent.id
        record(actor, "appeal.answer_failed" if error else "appeal.answer_mail", "exam",
               appeal.exam_id, None, sent.status, appeal_id=appeal.id, mail_id=sent.id,
               **({"error": sent.error} if error else {}))
    return appeal


def answer_mail(appeal: Appeal) -> tuple[str, str]:
    """The subject and body (French) of the email that tells the candidate the answer."""
    exam = appeal.exam
    session = exam.jury.session
    organisation = current_app.config["ORGANISATION_NAME"]
    verdict = ("Votre recours est accepté." if appeal.outcome == "upheld"
               else "Votre recours est rejeté.")
    subject = (f"Réponse à votre recours — certification {session.referential.code}, "
               f"session n° {session.number}")
    body = "\n".join([
        f"Bonjour {exam.candidate.full_name},",
        "",
        f"Vous avez formé le {french_date(appeal.filed_on)} un recours contre le résultat de "
        f"votre épreuve du {french_date(exam.starts_at)} (session n° {session.number}, "
        f"certification {session.referential.code}).",
        "",
        f"La direction a statué le {french_date(appeal.decided_on)}. {verdict}",
        "",
        "Réponse de la direction :",
        appeal.outcome_text,
        "",
        "Vous retrouvez cette réponse dans votre espace personnel, par le lien qui vous a été "
        "envoyé avec votre convocation.",
        "",
        f"Le responsable d'organisation de la certification — {organisation}",
    ])
    return subject, body
