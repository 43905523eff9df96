"""Convocations: the candidate's and the juror's, as PDFs, sent by email or handed over.

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

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app

from ..audit.services import record
from ..auth.models import User
from ..candidates.links import candidate_link
from ..database import write_transaction
from ..documents.pdf import render_pdf, sha256
from ..errors import Conflict, InvalidInput, MailNotSent, NotFound, ServiceError
from ..extensions import db
from ..mail import services as mail
from ..sessions.models import (
    CANCELLED,
    CLOSED,
    CONVENED,
    DRAFT,
    SCHEDULED,
    SESSION_CLOSED,
    STOPPED,
    Exam,
    ExamSession,
    Jury,
)
from ..sessions.services import convene_problem, get_exam, get_session, session_facts
from ..text import slug
from ..timeutil import french_date, french_time, paris_today, to_paris
from .models import CANDIDATE, CHANNELS, JUROR, Convocation
from .queries import (
    candidate_convocation_current,
    candidate_facts,
    facts_changed,
    is_current,
    juror_convocation_current,
    juror_facts,
    latest_candidate_convocations,
    latest_juror_convocations,
    link_renewed_since,
)

EMAIL, HAND = "email", "hand"
HANDED_BY_MAX = 200

# When a remote session gives no technical prerequisites of its own.
DEFAULT_TECHNICAL_REQUIREMENTS = (
    "Une connexion internet stable (de préférence filaire ou un Wi-Fi de bonne qualité).",
    "Un ordinateur équipé d'une webcam et d'un microphone en état de marche "
    "(un téléphone ne suffit pas pour présenter vos écrans).",
    "Un navigateur internet récent et à jour (Firefox, Chrome, Edge ou Safari).",
    "Un lieu calme et bien éclairé, où vous serez seul(e) pendant l'épreuve.",
    "Votre pièce d'identité et cette convocation à portée de main : le jury les vérifie "
    "face à la webcam.",
    "Connectez-vous au lien de la session 10 minutes avant l'heure de votre passage.",
)

# What the juror's convocation reminds them of (seed 000, I.C.2 and annexes 2 to 5).
JUROR_REMINDERS = (
    "Avant d'évaluer chaque candidat, déclarez dans certif que vous ne le connaissez ni à titre "
    "personnel ni à titre professionnel ; en cas de conflit d'intérêts, signalez-le : le "
    "responsable d'organisation réaffecte le candidat.",
    "Signez la feuille d'émargement du jury pour chaque épreuve (annexe 2) ; vérifiez l'identité "
    "et la convocation de chaque candidat, qui signe sa feuille d'émargement (annexe 1).",
    "Complétez la grille d'évaluation de chaque candidat (annexe 6), puis délibérez et signez le "
    "procès-verbal (annexe 5).",
    "Remplissez et signez la fiche de validation des conditions d'examen (annexe 4).",
    "Signalez tout incident sur une fiche anomalie (annexe 3).",
)

MSG_BAD_CHANNEL = "Mode d'envoi invalide : choisissez « par e-mail » ou « remise en main propre »."
MSG_HANDED_ON_MISSING = "Indiquez la date de la remise en main propre."
MSG_HANDED_ON_INVALID = "Date de remise invalide : utilisez le format jj/mm/aaaa."
MSG_HANDED_ON_FUTURE = "La date de remise ne peut pas être dans le futur."
MSG_HANDED_BY_MISSING = "Indiquez qui a remis la convocation."
MSG_HANDED_BY_LONG = f"Le nom de la personne qui a remis la convocation dépasse {HANDED_BY_MAX} caractères."
MSG_CHANGED = ("La convocation a changé pendant sa préparation (horaire, lieu, lien ou jury) : "
               "rechargez la page puis recommencez.")


# --- Validation ----------------------------------------------------------------------

def check_channel(channel: str | None) -> str:
    if channel not in CHANNELS:
        raise InvalidInput(MSG_BAD_CHANNEL)
    return channel


def parse_handed_on(raw, today: date | None = None) -> date:
    """The hand-delivery date: required, a real date (ISO or jj/mm/aaaa), not after today."""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        day = raw
    else:
        text = (raw or "").strip()
        if not text:
            raise InvalidInput(MSG_HANDED_ON_MISSING)
        day = _parse_day(text)
    if day > (today or paris_today()):
        raise InvalidInput(MSG_HANDED_ON_FUTURE)
    return day


def _parse_day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if day.year >= 2000:
            return day
    raise InvalidInput(MSG_HANDED_ON_INVALID)


def check_handed_by(raw: str | None) -> str:
    text = " ".join((raw or "").split())
    if not text:
        raise InvalidInput(MSG_HANDED_BY_MISSING)
    if len(text) > HANDED_BY_MAX:
        raise InvalidInput(MSG_HANDED_BY_LONG)
    return text


def _check_session_open(session: ExamSession) -> None:
    if session.status == CANCELLED:
        raise Conflict(f"La session n° {session.number} est annulée : aucune convocation ne peut "
                       "être envoyée.")
    if session.status == SESSION_CLOSED:
        raise Conflict(f"La session n° {session.number} est clôturée : aucune convocation ne peut "
                       "plus être envoyée.")


def _check_exam_convenable(exam: Exam) -> None:
    _check_session_open(exam.jury.session)
    name = exam.candidate.full_name
    if exam.status != SCHEDULED:
        raise Conflict(f"{name} n'est plus attendu(e) à ce passage ({exam.status_label.lower()}) : "
                       "aucune convocation ne peut être envoyée.")
    if exam.jury.stopped_at is not None:
        raise Conflict(f"Le jury de {name} ne peut pas siéger (carence) : convoquez le candidat "
                       "à la session de remplacement.")
    if exam.phase == CLOSED:
        raise Conflict(f"L'épreuve de {name} a déjà eu lieu : sa délibération est close.")


# --- Who is convened, and for when -------------------------------------------------------

def sitting_juries(session: ExamSession) -> list[Jury]:
    """The session's juries that can sit (not stopped by a juror's absence)."""
    return [j for j in session.juries if j.stopped_at is None]


def active_exams(session: ExamSession) -> list[Exam]:
    """The candidates still expected at the session, in jury and slot order."""
    return [e for jury in sitting_juries(session) for e in jury.exams if e.status == SCHEDULED]


def session_jurors(session: ExamSession) -> list[User]:
    """Each juror of the session once, in jury and seat order."""
    jurors: dict[int, User] = {}
    for jury in sitting_juries(session):
        for juror in jury.jurors:
            jurors.setdefault(juror.id, juror)
    return list(jurors.values())


def juror_juries(session: ExamSession, juror_id: int) -> list[Jury]:
    return [j for j in sitting_juries(session) if any(m.juror_id == juror_id for m in j.members)]


def juror_start(session: ExamSession, juror_id: int) -> datetime:
    """What a juror's convocation announces, and must still hold to be current: the
    session's start (as the session's own guard reads it, `sessions.services`)."""
    return session.starts_at


def juror_first_slot(session: ExamSession, juror_id: int) -> datetime:
    """When the juror's first candidate sits (the session's start when they have none)."""
    starts = [e.starts_at for jury in juror_juries(session, juror_id) for e in jury.exams
              if e.status == SCHEDULED]
    return min(starts, default=session.starts_at)


def juror_target(session_id: int, juror_id: int) -> tuple[ExamSession, User]:
    """The session and one of its jurors; 404 when the user sits on none of its juries."""
    session = get_session(session_id)
    juror = db.session.get(User, juror_id)
    if juror is None or not juror_juries(session, juror_id):
        raise NotFound("Ce juré ne siège dans aucun jury de cette session.")
    return session, juror


# --- The documents ------------------------------------------------------------------------

def _details(session: ExamSession) -> dict:
    return session.referential.details or {}


def technical_requirements(session: ExamSession) -> list[str]:
    """The session's prerequisites, one per line, or the default list."""
    lines = [re.sub(r"^[-•*]\s*", "", line).strip()
             for line in (session.technical_requirements or "").splitlines()]
    return [line for line in lines if line] or list(DEFAULT_TECHNICAL_REQUIREMENTS)


def technical_dossier_due(session: ExamSession) -> tuple[int, date] | None:
    """RNCP: (days before, last day) for the technical dossier, when the referential asks."""
    days = (_details(session).get("deliverables") or {}).get("technical_dossier_due_days_before")
    if not isinstance(days, int):
        return None
    return days, to_paris(session.starts_at).date() - timedelta(days=days)


def contact_email() -> str:
    config = current_app.config
    return config.get("ORGANISATION_CONTACT") or config["MAIL_SENDER"]


def candidate_context(exam: Exam) -> dict:
    session = exam.jury.session
    referential = session.referential
    facts = _details(session).get("exam") or {}
    extra = max(exam.duration_minutes - referential.exam_minutes, 0)
    return dict(
        exam=exam, candidate=exam.candidate, session=session, referential=referential,
        modality=facts.get("modality"), parts=facts.get("parts") or [],
        to_present=facts.get("to_present") or [],
        base_minutes=referential.exam_minutes, extra_minutes=extra,
        requirements=technical_requirements(session) if session.is_remote else [],
        dossier_due=technical_dossier_due(session),
        link=candidate_link(exam.candidate), contact=contact_email(),
        issued_on=paris_today())


def candidate_pdf(exam: Exam) -> bytes:
    return render_pdf("pdf/convocation_candidate.html", **candidate_context(exam))


@dataclass
class JurorJury:
    """One jury the juror sits on, as their convocation shows it."""

    jury: Jury
    president: User | None
    other: User | None
    exams: list[Exam]


def juror_context(session: ExamSession, juror: User) -> dict:
    juries = [JurorJury(jury=j, president=j.president, other=j.other_juror(juror),
                        exams=[e for e in j.exams if e.status == SCHEDULED])
              for j in juror_juries(session, juror.id)]
    return dict(session=session, referential=session.referential, juror=juror, juries=juries,
                starts_at=juror_first_slot(session, juror.id), reminders=JUROR_REMINDERS,
                contact=contact_email(), issued_on=paris_today())


def juror_pdf(session: ExamSession, juror: User) -> bytes:
    return render_pdf("pdf/convocation_juror.html", **juror_context(session, juror))


def candidate_filename(exam: Exam) -> str:
    c = exam.candidate
    return f"convocation-{slug(exam.jury.session.number)}-{slug(c.last_name + '-' + c.first_name)}.pdf"


def juror_filename(session: ExamSession, juror: User) -> str:
    return f"convocation-jury-{slug(session.number)}-{slug(juror.last_name + '-' + juror.first_name)}.pdf"


# --- The emails ---------------------------------------------------------------------------

def _when(value: datetime) -> str:
    return f"le {french_date(value)} à {french_time(value)} (heure de Paris)"


def candidate_message(exam: Exam) -> tuple[str, str]:
    session, candidate = exam.jury.session, exam.candidate
    ref = session.referential
    organisation = current_app.config["ORGANISATION_NAME"]
    where = []
    if session.is_remote and session.video_link:
        where.append(f"Lien de connexion à l'épreuve : {session.video_link}")
    if session.mode in ("on_site", "both") and session.place:
        where.append(f"Lieu : {session.place}")
    subject = f"Convocation à la certification {ref.code} – {french_date(exam.starts_at)}"
    body = "\n".join([
        f"Bonjour {candidate.first_name} {candidate.last_name},",
        "",
        f"Vous êtes convoqué(e) à l'épreuve de la certification « {ref.title} » ({ref.code}), "
        f"{_when(exam.starts_at)}, pour une durée de {exam.duration_minutes} minutes "
        f"({session.mode_label.lower()}).",
        *([""] + where if where else []),
        "",
        "Votre convocation est jointe à ce message (PDF) : elle précise les modalités de "
        "l'épreuve, ce que vous devez présenter"
        + (" et les prérequis techniques" if session.is_remote else "") + ".",
        "Vous pouvez aussi la consulter à tout moment sur votre page personnelle :",
        candidate_link(candidate),
        "",
        "Munissez-vous d'une pièce d'identité en cours de validité et de cette convocation.",
        "",
        f"Si vous ne pouvez pas vous présenter à cette date, prévenez {organisation} au plus "
        f"vite ({contact_email()}) afin d'être programmé(e) sur une autre session de "
        "certification.",
        "",
        "Cordialement,",
        f"Le responsable d'organisation de la certification – {organisation}",
    ])
    return subject, body


def juror_message(session: ExamSession, juror: User) -> tuple[str, str]:
    organisation = current_app.config["ORGANISATION_NAME"]
    exams = [e for j in juror_juries(session, juror.id) for e in j.exams if e.status == SCHEDULED]
    subject = f"Convocation du jury – session n° {session.number} du {french_date(session.starts_at)}"
    body = "\n".join([
        f"Bonjour {juror.first_name} {juror.last_name},",
        "",
        f"Nous vous convoquons en qualité de membre du jury de la session de certification "
        f"n° {session.number} ({session.referential.code}), {_when(juror_first_slot(session, juror.id))}"
        f" ({session.mode_label.lower()}).",
        f"Vous évaluerez {len(exams)} candidat{'s' if len(exams) > 1 else ''}.",
        *([f"Lien de la session : {session.video_link}"] if session.is_remote and session.video_link else []),
        *([f"Lieu : {session.place}"] if session.mode in ("on_site", "both") and session.place else []),
        "",
        "Votre convocation, jointe à ce message (PDF), donne vos horaires, vos candidats et la "
        "composition de votre jury. Vous la retrouverez aussi dans certif.",
        "",
        "Avant d'évaluer chaque candidat, vous déclarerez ne pas le connaître à titre personnel "
        "ou professionnel.",
        "",
        "Cordialement,",
        f"Le responsable d'organisation de la certification – {organisation}",
    ])
    return subject, body


# --- Sending ------------------------------------------------------------------------------

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
    exams = active_exams(session)
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


# --- The session page ---------------------------------------------------------------------

@dataclass
class Status:
    text: str
    tone: str  # badge class: ok, warn, ko


STATUS_TIME_CHANGED = "À renvoyer : horaire modifié"
STATUS_FACTS_CHANGED = "À renvoyer : lieu, lien ou horaire modifié"
STATUS_JURY_CHANGED = "À renvoyer : lieu, lien ou horaire modifié, ou jury recomposé"
STATUS_LINK_RENEWED = "À renvoyer : lien personnel renouvelé"
OUTBOX_WORDING = "Déposée dans la boîte d'envoi (aucun serveur SMTP)"


def went_to_outbox(convocation: Convocation) -> bool:
    """An email sending that only reached the local outbox: nothing left the machine."""
    return (convocation.channel == EMAIL and convocation.mail is not None
            and convocation.mail.transport == "outbox")


def convocation_status(convocation: Convocation | None, starts_at: datetime,
                       facts: str | None = None, *, juror: bool = False,
                       link_renewed: bool = False) -> Status:
    """`link_renewed`: the candidate's personal link was renewed since the sending."""
    if convocation is None:
        return Status("Non envoyée", "ko")
    if convocation.announced_start != starts_at:
        return Status(STATUS_TIME_CHANGED, "warn")
    if facts is not None and facts_changed(convocation, facts):
        if link_renewed:
            return Status(STATUS_LINK_RENEWED, "warn")
        return Status(STATUS_JURY_CHANGED if juror else STATUS_FACTS_CHANGED, "warn")
    if went_to_outbox(convocation):
        return Status(f"{OUTBOX_WORDING} le {french_date(convocation.sent_at)} pour "
                      f"{convocation.recipient}", "ok")
    if convocation.channel == EMAIL:
        return Status(f"Envoyée le {french_date(convocation.sent_at)} par e-mail à "
                      f"{convocation.recipient}", "ok")
    return Status(f"Remise en main propre le {french_date(convocation.handed_on)} par "
                  f"{convocation.handed_by}", "ok")


@dataclass
class Target:
    """A person to convene, as the session page lists them."""

    name: str
    email: str | None
    starts_at: datetime  # what a current convocation announces …
    facts: str  # … with these facts (queries.candidate_facts / juror_facts)
    history: list[Convocation]  # oldest first
    exam: Exam | None = None
    juror: User | None = None
    jury: Jury | None = None

    @property
    def latest(self) -> Convocation | None:
        return self.history[-1] if self.history else None

    @property
    def status(self) -> Status:
        if self.exam is not None and self.exam.status != SCHEDULED:
            return Status(f"Pas de convocation : {self.exam.status_label.lower()}", "")
        return convocation_status(self.latest, self.starts_at, self.facts,
                                  juror=self.juror is not None,
                                  link_renewed=self._link_renewed_since(self.latest))

    @property
    def can_send(self) -> bool:
        return self.exam is None or (self.exam.status == SCHEDULED and self.exam.phase != CLOSED
                                     and self.exam.jury.stopped_at is None)

    @property
    def is_current(self) -> bool:
        return is_current(self.latest, self.starts_at, self.facts)

    def _link_renewed_since(self, convocation: Convocation | None) -> bool:
        """A candidate's link renewed after this sending (only asked once the facts differ)."""
        return (self.exam is not None and convocation is not None
                and facts_changed(convocation, self.facts)
                and link_renewed_since(self.exam.candidate_id, convocation.sent_at))

    def change_note(self, convocation: Convocation) -> str | None:
        """What changed since a past sending, as its history line says it."""
        if convocation.announced_start != self.starts_at:
            return "horaire modifié depuis"
        if self._link_renewed_since(convocation):
            return "lien personnel renouvelé depuis"
        if facts_changed(convocation, self.facts):
            return ("lieu, lien, horaires ou jury modifiés depuis" if self.juror is not None
                    else "lieu, lien ou durée modifiés depuis")
        return None


def target_of_exam(exam: Exam, history: list[Convocation]) -> Target:
    return Target(name=exam.candidate.full_name, email=exam.candidate.email,
                  starts_at=exam.starts_at, facts=candidate_facts(exam), history=history,
                  exam=exam, jury=exam.jury)


def target_of_juror(session: ExamSession, juror: User, history: list[Convocation]) -> Target:
    return Target(name=juror.full_name, email=juror.email, starts_at=juror_start(session, juror.id),
                  facts=juror_facts(session, juror.id), history=history, juror=juror)


@dataclass
class SessionConvocations:
    session: ExamSession
    candidates: list[Target]
    jurors: list[Target]

    @property
    def open(self) -> bool:
        return self.session.status not in STOPPED

    @property
    def to_send(self) -> int:
        return sum(1 for t in self.candidates + self.jurors if t.can_send and not t.is_current)

    @property
    def sendable_by_email(self) -> int:
        return sum(1 for t in self.candidates + self.jurors
                   if t.can_send and not t.is_current and t.email)


def session_convocations(session_id: int) -> SessionConvocations:
    session = get_session(session_id)
    exams = [e for jury in sitting_juries(session) for e in jury.exams]
    rows = db.session.scalars(
        db.select(Convocation).where(Convocation.session_id == session.id)
        .options(db.joinedload(Convocation.sent_by))
        .order_by(Convocation.sent_at, Convocation.id)).unique().all()
    by_exam: dict[int, list[Convocation]] = {}
    by_juror: dict[int, list[Convocation]] = {}
    for row in rows:
        if row.kind == CANDIDATE:
            by_exam.setdefault(row.exam_id, []).append(row)
        else:
            by_juror.setdefault(row.juror_id, []).append(row)
    candidates = [target_of_exam(e, by_exam.get(e.id, [])) for e in exams]
    jurors = [target_of_juror(session, j, by_juror.get(j.id, [])) for j in session_jurors(session)]
    return SessionConvocations(session=session, candidates=candidates, jurors=jurors)


def candidate_target(exam_id: int) -> Target:
    exam = get_exam(exam_id)
    history = db.session.scalars(
        db.select(Convocation).where(Convocation.kind == CANDIDATE, Convocation.exam_id == exam.id)
        .order_by(Convocation.sent_at, Convocation.id)).all()
    return target_of_exam(exam, list(history))


def juror_convocation_target(session_id: int, juror_id: int) -> tuple[ExamSession, Target]:
    session, juror = juror_target(session_id, juror_id)
    history = db.session.scalars(
        db.select(Convocation).where(Convocation.kind == JUROR, Convocation.session_id == session.id,
                                     Convocation.juror_id == juror.id)
        .order_by(Convocation.sent_at, Convocation.id)).all()
    return session, target_of_juror(session, juror, list(history))
