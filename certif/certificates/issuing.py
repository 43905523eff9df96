"""Certificates (parchemins, seed 000 I.D.6): producing them, numbered and sealed, once the
minutes have their visa; then recording how and when each left, by post or by email.

Sealing a certificate (a PDF signature) runs between two transactions, and so does
sending it by email (as `convocations.sending`): no write lock is held while the PDF
is signed or while the SMTP server answers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..database import write_transaction
from ..documents.models import SEALED_CERTIFICATE
from ..documents.seal import seal_pdf
from ..documents.sealed import store_sealed
from ..errors import Conflict, MailNotSent
from ..extensions import db
from ..mail import services as mail
from ..referentials.registration import after_end
from ..sessions.models import Exam, ExamSession, Jury
from ..sessions.queries import get_session
from ..timeutil import french_date, paris_day, utcnow
from . import rules
from .blocks.issuing import create_attestations, holders_to_attest, seal_attestations
from .content import (
    certificate_filename,
    certificate_mail,
    certificate_pdf,
    issued_description,
    mail_failure,
)
from .inputs import check_channel, parse_issue_day
from .mentions import check_mentions
from .models import EMAIL, POST, Certificate
from .queries import (
    closed_exams,
    get_certificate,
    is_admitted,
    minutes_visa_at,
    sealed_certificate,
    sealed_ids,
)

MSG_NO_VISA = ("Les certificats ne peuvent être produits qu'après le visa du procès-verbal de la "
               "session par le responsable d'organisation.")
MSG_AFTER_REGISTRATION = ("L'enregistrement de la certification {code} a pris fin le {day}, avant "
                          "cette session : aucun certificat ne peut être produit pour elle.")
MSG_NUMBER_TAKEN = ("Des certificats ont été produits en même temps par ailleurs : rien n'est "
                    "enregistré, recommencez.")
MSG_CERT_NO_EMAIL = ("{name} n'a pas d'adresse e-mail : délivrez le certificat par voie postale "
                     "(ou ajoutez son adresse sur sa fiche).")


def _admitted_without_certificate(session: ExamSession) -> list[Exam]:
    exams = [e for e in closed_exams(session) if is_admitted(e)]
    have = set(db.session.scalars(db.select(Certificate.exam_id)
                                  .where(Certificate.exam_id.in_([e.id for e in exams])))) if exams else set()
    return [e for e in exams if e.id not in have]


def _create_certificates(actor, session: ExamSession) -> list[Certificate]:
    """Inside the write transaction: number each admitted candidate's certificate in order.

    The write lock serialises the numbering on SQLite; on PostgreSQL the unique
    constraint on the number refuses a duplicate from a concurrent generation."""
    exams = _admitted_without_certificate(session)
    if not exams:
        return []
    code, year = session.referential.code, paris_day(session.starts_at).year
    prefix = rules.number_prefix(code, year)
    used = db.session.scalars(db.select(Certificate.number)
                              .where(Certificate.number.startswith(prefix, autoescape=True)))
    sequence = rules.next_sequence(used, code, year)
    created = []
    for exam in exams:
        certificate = Certificate(exam_id=exam.id, number=rules.certificate_number(code, year, sequence),
                                  verification_code=rules.new_code(), created_by_id=actor.id)
        db.session.add(certificate)
        try:
            db.session.flush()
        except IntegrityError:  # PostgreSQL: a concurrent generation took this number
            raise Conflict(MSG_NUMBER_TAKEN) from None
        record(actor, "certificate.create", "certificate", certificate.id, None, certificate.number,
               exam_id=exam.id, candidate_id=exam.candidate_id)
        created.append(certificate)
        sequence += 1
    return created


def _session_certificates(session_id: int) -> list[Certificate]:
    return list(db.session.scalars(
        db.select(Certificate).join(Exam, Certificate.exam_id == Exam.id)
        .join(Jury, Exam.jury_id == Jury.id).where(Jury.session_id == session_id)
        .order_by(Certificate.number)))


def _holders_to_print(session: ExamSession) -> list:
    """The candidates whose certificate or block attestation is still to be made or sealed."""
    certificates = _session_certificates(session.id)
    sealed = sealed_ids([c.id for c in certificates])
    return ([e.candidate for e in _admitted_without_certificate(session)]
            + [c.exam.candidate for c in certificates if c.id not in sealed]
            + holders_to_attest(session))


def _check_registration(session: ExamSession) -> None:
    """No parchemin for a session held after the registration's end; none without every
    mandatory mention (Conflict with the list of what is missing)."""
    facts = session.referential.registration_facts
    if after_end(paris_day(session.starts_at), facts.ends_on):
        raise Conflict(MSG_AFTER_REGISTRATION.format(code=session.referential.code,
                                                     day=french_date(facts.ends_on)))
    holders = _holders_to_print(session)
    if holders:
        check_mentions(session, holders)


@dataclass
class Generation:
    created: list[Certificate]
    sealed: int
    attestations: list = field(default_factory=list)  # block attestations created (blocks/)


def generate_certificates(actor, session_id: int) -> Generation:
    """Create the missing certificates of the session's admitted candidates, then produce
    and seal the PDF of every certificate that has none (a failed sealing is redone here)."""
    session = get_session(session_id)
    if minutes_visa_at(session_id) is None:
        raise Conflict(MSG_NO_VISA)
    _check_registration(session)
    with write_transaction():
        db.session.expire_all()
        session = get_session(session_id, lock=True)
        if minutes_visa_at(session_id) is None:
            raise Conflict(MSG_NO_VISA)
        _check_registration(session)
        created = _create_certificates(actor, session)
        attestations = create_attestations(actor, session)
    certificates = _session_certificates(session_id)
    unsealed = [c for c in certificates if c.id not in sealed_ids([c.id for c in certificates])]
    # Building and sealing take a while: no write lock held meanwhile.
    produced = [(c, seal_pdf(certificate_pdf(c), reason=f"Certificat n° {c.number}"))
                for c in unsealed]
    sealed = 0
    with write_transaction():
        done = sealed_ids([c.id for c, _ in produced])  # a concurrent generation got there first
        for certificate, data in produced:
            if certificate.id in done:
                continue
            store_sealed(SEALED_CERTIFICATE, certificate.id, certificate_filename(certificate),
                         data, actor=actor)  # audited there ("document.seal")
            sealed += 1
    return Generation(created, sealed + seal_attestations(actor, session_id), attestations)


# --- Issuing --------------------------------------------------------------------------------

def _check_not_issued(certificate: Certificate) -> None:
    if certificate.revoked:
        raise Conflict(f"Le certificat n° {certificate.number} est révoqué : il ne peut plus être "
                       "délivré.")
    if certificate.channel is not None:
        raise Conflict(f"Le certificat n° {certificate.number} a déjà été "
                       f"{issued_description(certificate)}.")


def _mark_issued(actor, certificate: Certificate, channel: str, day: date, mail_id=None) -> None:
    certificate.channel, certificate.issued_on = channel, day
    certificate.issued_at, certificate.issued_by_id, certificate.mail_id = utcnow(), actor.id, mail_id
    record(actor, "certificate.issue", "certificate", certificate.id, None, channel,
           issued_on=day.isoformat(), mail_id=mail_id, number=certificate.number)


def issue_certificate(actor, certificate_id: int, channel: str | None, raw_day=None) -> Certificate:
    """Record how and when the certificate left: by post (recorded), or by email (sent now,
    the sealed PDF attached, then recorded)."""
    certificate = get_certificate(certificate_id)
    _check_not_issued(certificate)
    channel = check_channel(channel)
    session_day = paris_day(certificate.exam.jury.session.starts_at)
    # An email leaves now: its day is today, whatever the form said.
    day = parse_issue_day(None if channel == EMAIL else raw_day, session_day)
    if channel == POST:
        with write_transaction():
            certificate = get_certificate(certificate_id, lock=True)
            _check_not_issued(certificate)
            _mark_issued(actor, certificate, POST, day)
        return certificate
    recipient = (certificate.exam.candidate.email or "").strip()
    if not recipient:
        raise Conflict(MSG_CERT_NO_EMAIL.format(name=certificate.exam.candidate.full_name))
    filename, data = sealed_certificate(certificate_id)
    subject, body = certificate_mail(certificate)
    with write_transaction():
        certificate = get_certificate(certificate_id, lock=True)
        _check_not_issued(certificate)
        pending = mail.record_pending([recipient], subject, body, (mail.Attachment(filename, data),))
    error = mail.deliver(pending)
    with write_transaction():
        mail_row = mail.record_outcome(pending, error)
        certificate = get_certificate(certificate_id, lock=True)
        if error is None and certificate.channel is None:
            _mark_issued(actor, certificate, EMAIL, day, mail_row.id)
        elif error is None:  # issued by someone else during the exchange: keep the trace
            record(actor, "certificate.email", "certificate", certificate.id, None, EMAIL,
                   mail_id=mail_row.id, note="déjà délivré pendant l'envoi")
        else:
            record(actor, "certificate.email_failed", "certificate", certificate.id, None, EMAIL,
                   mail_id=mail_row.id, error=mail_row.error)
    if error is not None:
        raise MailNotSent(mail_failure("du certificat", recipient))
    return certificate
