"""Results sent to candidates, certificates (parchemins), their issuing, public verification.

Seed 000: after every exam the jury's result goes to each candidate (I.D.5); the
parchemin is completed and sent by post or email (I.D.6), within 3 weeks (DESIGN);
a failed candidate may ask to sit again within 2 months (I.D.7).

Emails follow `convocations.services`: the message is recorded as pending inside
a write transaction, delivered OUTSIDE any transaction (a slow SMTP server never
holds the write lock), then its outcome recorded in a second transaction with
what it proves (a ResultNotice, an issued certificate). Sealing a certificate
(a PDF signature) likewise runs between two transactions.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..auth.models import User
from ..auth.services import client_address
from ..candidates.links import candidate_link
from ..convocations.services import contact_email
from ..database import get_row, write_transaction
from ..documents.models import SEALED_CERTIFICATE, SealedDocument
from ..documents.pdf import render_pdf
from ..documents.seal import seal_pdf
from ..documents.sealed import read_sealed, store_sealed
from ..errors import Conflict, InvalidInput, MailNotSent, NotFound, ServiceError
from ..extensions import db
from ..grading import rules as grading_rules
from ..grading.models import DeliberationMark
from ..grading.presenters import decision_label
from ..grading.rules import FAVORABLE
from ..grading.services import juror_grid
from ..mail import services as mail
from ..minutes.services import minutes_of
from ..people import of
from ..referentials.services import layout
from ..sessions import rules as session_rules
from ..sessions.exceptions import result_day
from ..sessions.models import CLOSED, WITH_RESULTS, Exam, ExamSession, Jury
from ..sessions.services import get_exam, get_session
from ..throttling import services as throttling
from ..timeutil import french_date, paris_day, paris_today, utcnow
from ..web import external_url
from . import rules
from .models import ISSUE_CHANNELS, Certificate, ResultNotice

POST, EMAIL = "post", "email"
# Who signs every email of this domain (the parchemin itself stays signed by the
# responsable pédagogique, seed I.D.6).
SIGNATORY = "Le responsable d'organisation de la certification"
MSG_NOT_DELIBERATED = (
    "Les résultats de la session n° {number} ne peuvent pas encore être envoyés : la session "
    "est « {status} ». Ils partent une fois la session délibérée (procès-verbal signé par le "
    "jury).")
MSG_NO_EMAIL = ("{name} n'a pas d'adresse e-mail : remettez-lui le résultat en main propre "
                "(ou ajoutez son adresse sur sa fiche).")
MSG_NOT_CLOSED = "La délibération {of_name} n'est pas close : il n'y a pas encore de résultat à envoyer."
MSG_NO_VISA = ("Les certificats ne peuvent être produits qu'après le visa du procès-verbal de la "
               "session par le responsable d'organisation.")
MSG_NUMBER_TAKEN = ("Des certificats ont été produits en même temps par ailleurs : rien n'est "
                    "enregistré, recommencez.")
MSG_BAD_CHANNEL = "Mode de délivrance invalide : choisissez « par voie postale » ou « par e-mail »."
MSG_DAY_INVALID = "Date de délivrance invalide : utilisez le format jj/mm/aaaa."
MSG_DAY_FUTURE = "La date de délivrance ne peut pas être dans le futur."
MSG_DAY_BEFORE_SESSION = ("La date de délivrance ne peut pas précéder la session ({day}), où le "
                          "certificat a été obtenu.")
MSG_CERT_NO_EMAIL = ("{name} n'a pas d'adresse e-mail : délivrez le certificat par voie postale "
                     "(ou ajoutez son adresse sur sa fiche).")
MSG_NOT_SEALED = ("Le PDF scellé de ce certificat n'est pas encore produit : utilisez « Produire "
                  "les certificats » sur la page des résultats, puis recommencez.")
MSG_NO_CERTIFICATE = "Certificat introuvable."


def _mail_failure(what: str, recipient: str) -> str:
    return (f"L'envoi {what} à {recipient} a échoué : le serveur de messagerie n'a pas accepté le "
            "message. Rien n'est enregistré comme envoyé ; réessayez plus tard. Le détail de "
            "l'erreur est dans les courriels.")


# --- Reading --------------------------------------------------------------------------------

def closed_exams(session: ExamSession) -> list[Exam]:
    """The session's sittings with a result (deliberation closed), in jury and slot order."""
    return [e for jury in session.juries for e in jury.exams
            if e.phase == CLOSED and e.decision is not None]


def is_admitted(exam: Exam) -> bool:
    return exam.phase == CLOSED and exam.decision == FAVORABLE


def send_refusal(session: ExamSession) -> str | None:
    """Why the session's results cannot be sent yet (French), or None."""
    # Results go out once the jury has deliberated (minutes signed) or the session is closed.
    if session.status not in WITH_RESULTS:
        return MSG_NOT_DELIBERATED.format(number=session.number,
                                          status=session.status_label.lower())
    return None


def minutes_visa_at(session_id: int) -> datetime | None:
    """When the organiser gave the minutes their visa (None before): certificates wait for it."""
    minutes = minutes_of(session_id)
    return minutes.visa_at if minutes is not None else None


def get_certificate(certificate_id: int, *, lock: bool = False) -> Certificate:
    return get_row(Certificate, certificate_id, MSG_NO_CERTIFICATE, lock=lock)


def certificate_of(exam_id: int) -> Certificate | None:
    return db.session.scalar(db.select(Certificate).where(Certificate.exam_id == exam_id))


def _sealed_ids(certificate_ids: list[int]) -> set[int]:
    if not certificate_ids:
        return set()
    return set(db.session.scalars(
        db.select(SealedDocument.subject_id)
        .where(SealedDocument.kind == SEALED_CERTIFICATE,
               SealedDocument.subject_id.in_(certificate_ids))))


@dataclass
class ResultRow:
    """One candidate of the results page: the result, its sendings, the certificate."""

    exam: Exam
    notices: list[ResultNotice]  # oldest first
    certificate: Certificate | None
    sealed: bool  # the certificate's sealed PDF exists

    @property
    def candidate(self):
        return self.exam.candidate

    @property
    def has_email(self) -> bool:
        return bool((self.exam.candidate.email or "").strip())

    @property
    def postal_address(self) -> list[str] | None:
        """The lines a parchemin sent by post goes to; None while street or town is unknown."""
        c = self.exam.candidate
        street = (c.address or "").strip()
        town = " ".join(p for p in ((c.postal_code or "").strip(), (c.city or "").strip()) if p)
        if not street or not (c.city or "").strip():
            return None
        return [c.full_name, *street.splitlines(), town]

    @property
    def latest(self) -> ResultNotice | None:
        return self.notices[-1] if self.notices else None

    @property
    def admitted(self) -> bool:
        return is_admitted(self.exam)


@dataclass
class SessionResults:
    session: ExamSession
    rows: list[ResultRow]
    refusal: str | None  # why results cannot be sent yet
    visa_at: datetime | None

    @property
    def unsent(self) -> list[ResultRow]:
        return [r for r in self.rows if r.latest is None]

    @property
    def unsent_by_email(self) -> list[ResultRow]:
        return [r for r in self.unsent if r.has_email]

    @property
    def to_hand_over(self) -> list[ResultRow]:
        return [r for r in self.unsent if not r.has_email]

    @property
    def certificates_to_make(self) -> int:
        """Admitted candidates without certificate, plus certificates without their PDF."""
        return sum(1 for r in self.rows if r.admitted and (r.certificate is None or not r.sealed))

    @property
    def session_day(self) -> date:
        return paris_day(self.session.starts_at)


def session_results(session_id: int) -> SessionResults:
    session = get_session(session_id)
    exams = closed_exams(session)
    ids = [e.id for e in exams]
    notices: dict[int, list[ResultNotice]] = {}
    certificates: dict[int, Certificate] = {}
    if ids:
        for notice in db.session.scalars(
                db.select(ResultNotice).where(ResultNotice.exam_id.in_(ids))
                .options(db.joinedload(ResultNotice.sent_by), db.joinedload(ResultNotice.mail))
                .order_by(ResultNotice.sent_at, ResultNotice.id)).unique():
            notices.setdefault(notice.exam_id, []).append(notice)
        certificates = {c.exam_id: c for c in db.session.scalars(
            db.select(Certificate).where(Certificate.exam_id.in_(ids)))}
    sealed = _sealed_ids([c.id for c in certificates.values()])
    rows = [ResultRow(e, notices.get(e.id, []), certificates.get(e.id),
                      e.id in certificates and certificates[e.id].id in sealed) for e in exams]
    return SessionResults(session, rows, send_refusal(session), minutes_visa_at(session.id))


# --- The final grid (for the competencies not acquired) -----------------------------------------

def final_result(exam: Exam) -> tuple[grading_rules.GridResult, object]:
    """The deliberation's final grid, as the grading domain computes it, with its layout."""
    lay = layout(exam.jury.session.referential_id)
    president_id = exam.president_id or exam.jury.president_id
    other_id = next((m.juror_id for m in exam.jury.members if m.juror_id != president_id), None)
    _, president_marks = juror_grid(exam.id, president_id)
    _, other_marks = juror_grid(exam.id, other_id)
    jury_marks = dict(db.session.execute(
        db.select(DeliberationMark.criterion_id, DeliberationMark.value)
        .where(DeliberationMark.exam_id == exam.id)).all())
    final = grading_rules.merge_grids(lay.scheme.criteria, president_marks, other_marks, jury_marks)
    return grading_rules.score(lay.scheme, grading_rules.final_values(final)), lay


def competencies_not_acquired(exam: Exam) -> list[str]:
    """"C3 : <title>" for each competency the final grid does not acquire."""
    result, lay = final_result(exam)
    return [f"{code} : {lay.competencies[code].title}"
            for code, competency in result.competencies.items() if competency.acquired is False]


# --- Sending results ------------------------------------------------------------------------

def _points(value: Decimal | None) -> str:
    return "–" if value is None else f"{Decimal(value):.2f}".replace(".", ",")


def _score_line(exam: Exam) -> str:
    referential = exam.jury.session.referential
    label = decision_label(referential.rule, exam.decision).lower()
    if exam.total is None:
        return f"Résultat : {label}."
    maximum = f" / {_points(referential.max_points).replace(',00', '')}" if referential.max_points else ""
    return f"Résultat : {_points(exam.total)}{maximum} — {label}."


def result_mail(exam: Exam) -> tuple[str, str]:
    """The subject and body (French) of the result email."""
    session = exam.jury.session
    referential = session.referential
    organisation = current_app.config["ORGANISATION_NAME"]
    subject = f"Votre résultat à la certification {referential.code} — session n° {session.number}"
    lines = [
        f"Bonjour {exam.candidate.full_name},",
        "",
        f"Le jury de la session n° {session.number} du {french_date(session.starts_at)} a délibéré "
        f"sur votre épreuve de la certification {referential.code} « {referential.title} ».",
        "",
        _score_line(exam),
        "",
    ]
    if is_admitted(exam):
        lines += [
            "Félicitations : le jury a rendu un avis favorable.",
            "",
            f"Votre certificat (parchemin) vous sera adressé dans un délai de "
            f"{rules.DELIVERY_DAYS // 7} semaines, par voie postale ou par e-mail.",
        ]
    else:
        missing = competencies_not_acquired(exam)
        if missing:
            lines += ["Compétences non acquises :", *(f"- {m}" for m in missing), ""]
        elif exam.total is not None:
            lines += ["Toutes les compétences sont acquises, mais le total n'atteint pas le "
                      "seuil de réussite.", ""]
        deadline = session_rules.retake_deadline(result_day(exam))
        lines += [
            f"Vous pouvez demander à repasser l'épreuve avant le {french_date(deadline)} (inclus), "
            f"soit dans les {session_rules.RETAKE_MONTHS} mois qui suivent le résultat :",
            f"- depuis votre espace personnel : {candidate_link(exam.candidate)} "
            "(« Demander à repasser l'épreuve ») ;",
            f"- ou en écrivant au référent pédagogique : {contact_email()}.",
            "Vous recevrez alors une nouvelle convocation.",
            "",
            f"Vous pouvez aussi former un recours auprès de la direction {of(organisation)}.",
        ]
    lines += ["", f"Pour toute question : {contact_email()}.", "", "Cordialement,",
              f"{SIGNATORY}, {organisation}"]
    return subject, "\n".join(lines)


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
        raise MailNotSent(_mail_failure("du résultat", recipient))
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


# --- Certificates ---------------------------------------------------------------------------

def certificate_filename(certificate: Certificate) -> str:
    return f"certificat-{certificate.number}.pdf"


def registration_sentence(referential) -> str | None:
    """RS6240: "Certification enregistrée au Répertoire spécifique sous le n° RS6240 (Arrêté …)"."""
    facts = (referential.details or {}).get("registration") or {}
    register, number, decree = facts.get("register"), facts.get("number"), facts.get("decree")
    if not register:
        return None
    sentence = f"Certification enregistrée au {register}"
    if number:
        sentence += f" sous le numéro {number}"
    if decree:
        sentence += f" : {decree}"
    return sentence + "."


def _place() -> str | None:
    """Where the parchemin is made: the organisation's city (config), else no place at all.

    Never the minutes' place: a remote session's would read "Fait à À distance"."""
    return (current_app.config.get("ORGANISATION_CITY") or "").strip() or None


def certificate_context(certificate: Certificate) -> dict:
    exam = certificate.exam
    session = exam.jury.session
    referential = session.referential
    return dict(certificate=certificate, exam=exam, candidate=exam.candidate, session=session,
                referential=referential, registration=registration_sentence(referential),
                place=_place(), made_on=paris_day(certificate.created_at),
                code=rules.format_code(certificate.verification_code),
                verify_url=external_url("certificates.verify_public"),
                decision=decision_label(referential.rule, exam.decision))


def certificate_pdf(certificate: Certificate) -> bytes:
    """The parchemin, unsealed (sealing happens outside any transaction)."""
    return render_pdf("pdf/certificate.html", **certificate_context(certificate))


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


@dataclass
class Generation:
    created: list[Certificate]
    sealed: int


def generate_certificates(actor, session_id: int) -> Generation:
    """Create the missing certificates of the session's admitted candidates, then produce
    and seal the PDF of every certificate that has none (a failed sealing is redone here)."""
    get_session(session_id)
    if minutes_visa_at(session_id) is None:
        raise Conflict(MSG_NO_VISA)
    with write_transaction():
        db.session.expire_all()
        session = get_session(session_id, lock=True)
        if minutes_visa_at(session_id) is None:
            raise Conflict(MSG_NO_VISA)
        created = _create_certificates(actor, session)
    certificates = _session_certificates(session_id)
    unsealed = [c for c in certificates if c.id not in _sealed_ids([c.id for c in certificates])]
    # Building and sealing take a while: no write lock held meanwhile.
    produced = [(c, seal_pdf(certificate_pdf(c), reason=f"Certificat n° {c.number}"))
                for c in unsealed]
    sealed = 0
    with write_transaction():
        done = _sealed_ids([c.id for c, _ in produced])  # a concurrent generation got there first
        for certificate, data in produced:
            if certificate.id in done:
                continue
            store_sealed(SEALED_CERTIFICATE, certificate.id, certificate_filename(certificate),
                         data, actor=actor)  # audited there ("document.seal")
            sealed += 1
    return Generation(created, sealed)


def sealed_certificate(certificate_id: int) -> tuple[str, bytes]:
    """(filename, PDF) of the sealed certificate; 404 when it is not produced yet."""
    certificate = get_certificate(certificate_id)
    found = read_sealed(SEALED_CERTIFICATE, certificate.id)
    if found is None:
        raise NotFound(MSG_NOT_SEALED)
    return found


def certificate_file(exam: Exam) -> tuple[str, bytes] | None:
    """The sealed certificate of this sitting, for the candidate's archive (None if none)."""
    certificate = certificate_of(exam.id)
    return read_sealed(SEALED_CERTIFICATE, certificate.id) if certificate is not None else None


# --- Issuing --------------------------------------------------------------------------------

def check_channel(channel: str | None) -> str:
    if channel not in ISSUE_CHANNELS:
        raise InvalidInput(MSG_BAD_CHANNEL)
    return channel


def parse_issue_day(raw, session_day: date, today: date | None = None) -> date:
    """The day the certificate left: today when empty; a real date, not in the future,
    not before the session where it was obtained."""
    today = today or paris_today()
    text = (raw or "").strip() if not isinstance(raw, date) else None
    if isinstance(raw, date):
        day = raw
    elif not text:
        day = today
    else:
        day = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                day = datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        if day is None or day.year < 2000:
            raise InvalidInput(MSG_DAY_INVALID)
    if day > today:
        raise InvalidInput(MSG_DAY_FUTURE)
    if day < session_day:
        raise InvalidInput(MSG_DAY_BEFORE_SESSION.format(day=french_date(session_day)))
    return day


def issued_description(certificate: Certificate) -> str:
    """"délivré le 3 décembre 2026 par voie postale (enregistré le … par …)"."""
    how = "par voie postale" if certificate.channel == POST else "par e-mail"
    by = db.session.get(User, certificate.issued_by_id) if certificate.issued_by_id else None
    recorded = f" (enregistré le {french_date(certificate.issued_at)}"
    recorded += f" par {by.full_name})" if by else ")"
    return f"délivré le {french_date(certificate.issued_on)} {how}{recorded}"


def _check_not_issued(certificate: Certificate) -> None:
    if certificate.channel is not None:
        raise Conflict(f"Le certificat n° {certificate.number} a déjà été "
                       f"{issued_description(certificate)}.")


def _mark_issued(actor, certificate: Certificate, channel: str, day: date, mail_id=None) -> None:
    certificate.channel, certificate.issued_on = channel, day
    certificate.issued_at, certificate.issued_by_id, certificate.mail_id = utcnow(), actor.id, mail_id
    record(actor, "certificate.issue", "certificate", certificate.id, None, channel,
           issued_on=day.isoformat(), mail_id=mail_id, number=certificate.number)


def certificate_mail(certificate: Certificate) -> tuple[str, str]:
    exam = certificate.exam
    referential = exam.jury.session.referential
    organisation = current_app.config["ORGANISATION_NAME"]
    subject = f"Votre certificat {referential.code} n° {certificate.number}"
    body = "\n".join([
        f"Bonjour {exam.candidate.full_name},",
        "",
        f"Vous trouverez ci-joint votre certificat (parchemin) de la certification "
        f"{referential.code} « {referential.title} », n° {certificate.number}.",
        "",
        "Le document PDF est scellé électroniquement par l'organisme. Toute personne à qui vous le "
        "présentez peut vérifier son authenticité avec son numéro et son code de vérification "
        f"({rules.format_code(certificate.verification_code)}) à l'adresse : "
        f"{external_url('certificates.verify_public')}",
        "",
        f"Pour toute question : {contact_email()}.",
        "",
        "Cordialement,",
        f"{SIGNATORY}, {organisation}",
    ])
    return subject, body


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
        raise MailNotSent(_mail_failure("du certificat", recipient))
    return certificate


# --- Public verification ----------------------------------------------------------------------

# Compared against when the number is unknown, so that both answers take the same time.
_NO_CODE = "#" * rules.CODE_LENGTH
# Checks that match no certificate (or are malformed) from one client address.
VERIFY_LIMIT = throttling.Limit("certificate-verify-ip", 20, timedelta(minutes=15))
MSG_TOO_MANY_CHECKS = ("Trop de vérifications infructueuses depuis votre connexion : la "
                       "vérification des certificats est suspendue.")
VERIFY_SURFACE = "verification-certificat"


def verify(raw_number: str | None, raw_code: str | None) -> bool:
    """Whether this number and code belong to a certificate certif produced (issued or not).
    Every check that fails counts against the client (429 past the limit, even a right one)."""
    address = client_address()
    with throttling.guarding(VERIFY_LIMIT, address, MSG_TOO_MANY_CHECKS, VERIFY_SURFACE):
        genuine = _matches(raw_number, raw_code)
    if not genuine:
        throttling.count_failure(VERIFY_LIMIT, address, MSG_TOO_MANY_CHECKS, VERIFY_SURFACE)
    return genuine


def _matches(raw_number: str | None, raw_code: str | None) -> bool:
    problem = rules.verification_input_problem(raw_number, raw_code)
    if problem:
        raise InvalidInput(problem)
    number, code = rules.normalise_number(raw_number), rules.normalise_code(raw_code)
    stored = db.session.scalar(db.select(Certificate.verification_code)
                               .where(Certificate.number == number))
    matches = hmac.compare_digest(code.encode(), (stored or _NO_CODE).encode())
    return stored is not None and matches
