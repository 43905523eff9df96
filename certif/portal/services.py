"""What a candidate reaches through their personal link: their sittings, convocations, retakes.

The token is never stored nor written to the audit log: it identifies the
candidate for this request only (`candidate_from_token`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from ..audit.services import record
from ..auth.services import client_address
from ..candidates.links import candidate_from_token, link_serializer
from ..candidates.models import Appeal, Candidate, RetakeRequest
from ..certificates.queries import certificate_of, sealed_certificate
from ..convocations import content as convocations
from ..council import anomalies
from ..council.models import AnomalySheet
from ..database import write_transaction
from ..errors import Conflict, NotFound
from ..extensions import db
from ..sessions.changes import appeals, retakes
from ..sessions.changes.common import is_unfavourable
from ..sessions.models import CANCELLED, CLOSED, STOPPED, Exam, ExamSession, Jury
from ..throttling import services as throttling
from ..timeutil import french_datetime, utcnow
from . import results

MSG_NO_EXAM = "Ce passage n'existe pas ou ne vous concerne pas."
MSG_NO_CONVOCATION = "Aucune convocation n'est disponible pour ce passage."
MSG_NO_CERTIFICATE = "Aucun certificat n'est disponible pour ce passage."
# Forged, revoked or expired links opened from one client address.
LINK_LIMIT = throttling.Limit("candidate-link-ip", 20, timedelta(minutes=15))
MSG_TOO_MANY_LINKS = ("Trop de liens non valides ou expirés ont été ouverts depuis votre "
                      "connexion : l'accès aux pages des candidats est suspendu.")


def check_link(token: str) -> Candidate:
    """The candidate of a link opened from this client; every bad link counts (429 past the
    limit, even for a good one)."""
    with throttling.guarding(LINK_LIMIT, client_address(), MSG_TOO_MANY_LINKS, "portail"):
        return candidate_from_token(token)


@dataclass
class Sitting:
    """One of the candidate's exams, as their page shows it."""

    exam: Exam
    session: ExamSession
    upcoming: bool
    retake: retakes.RetakeStatus | None = None
    outcome: results.Outcome | None = None  # the result, once the deliberation is closed

    @property
    def has_convocation(self) -> bool:
        return self.exam.sits and self.exam.phase != CLOSED and self.session.status not in STOPPED

    @property
    def state(self) -> str:
        if self.session.status == CANCELLED:
            return "Session annulée"
        if not self.exam.is_active:
            return self.exam.status_label
        if not self.exam.jury.sits:
            return "Jury empêché : vous serez convoqué(e) à une autre session"
        if self.exam.phase == CLOSED:
            return "Épreuve passée : résultat délibéré"
        return "Épreuve passée" if not self.upcoming else "Convoqué(e)"

    @property
    def shows_video_link(self) -> bool:
        return self.upcoming and self.has_convocation and self.session.is_remote \
            and bool(self.session.video_link)


@dataclass
class PortalPage:
    candidate: Candidate
    upcoming: list[Sitting]
    past: list[Sitting]
    contact: str
    anomalies: list = field(default_factory=list)  # the sheets they filed, newest first


def candidate_exams(candidate: Candidate) -> list[Exam]:
    return db.session.scalars(
        db.select(Exam).join(Jury, Exam.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .where(Exam.candidate_id == candidate.id)
        .options(db.joinedload(Exam.jury).joinedload(Jury.session)
                 .joinedload(ExamSession.referential))
        .order_by(Exam.starts_at, Exam.id)).unique().all()


def _is_upcoming(exam: Exam, session: ExamSession, now) -> bool:
    return (exam.is_active and exam.phase != CLOSED and session.status != CANCELLED
            and exam.ends_at + timedelta(hours=1) >= now)


def portal_page(token: str) -> PortalPage:
    candidate = candidate_from_token(token)
    now = utcnow()
    upcoming, past = [], []
    for exam in candidate_exams(candidate):
        session = exam.jury.session
        sitting = Sitting(exam=exam, session=session, upcoming=_is_upcoming(exam, session, now))
        if sitting.upcoming:
            upcoming.append(sitting)
        else:
            if is_unfavourable(exam):
                sitting.retake = retakes.retake_status(exam)
            sitting.outcome = results.outcome(exam)
            past.append(sitting)
    past.reverse()  # the most recent first
    return PortalPage(candidate=candidate, upcoming=upcoming, past=past,
                      contact=convocations.contact_email(),
                      anomalies=anomalies.candidate_sheets(candidate))


def own_exam(candidate: Candidate, exam_id: int) -> Exam:
    """One of the candidate's exams; 404 for anyone else's, as if it did not exist."""
    exam = db.session.get(Exam, exam_id)
    if exam is None or exam.candidate_id != candidate.id:
        raise NotFound(MSG_NO_EXAM)
    return exam


def convocation_pdf(token: str, exam_id: int) -> tuple[bytes, str]:
    """The candidate's convocation for one of their scheduled exams, and its file name."""
    exam = own_exam(candidate_from_token(token), exam_id)
    sitting = Sitting(exam=exam, session=exam.jury.session, upcoming=True)
    if not sitting.has_convocation:
        raise NotFound(MSG_NO_CONVOCATION)
    return convocations.candidate_pdf(exam), convocations.candidate_filename(exam)


def request_retake(token: str, exam_id: int) -> RetakeRequest:
    """The candidate asks, from their link, to sit again after an unfavourable result."""
    exam = own_exam(candidate_from_token(token), exam_id)
    return retakes.request_retake(exam.id, actor=None, channel="candidate")


# --- Appeal to the management, certificate ----------------------------------------------

def appeal_sitting(token: str, exam_id: int) -> Sitting:
    """The sitting the candidate appeals against, with its result (404 for anyone else's;
    409 with the reason when no appeal may be requested on it now)."""
    exam = own_exam(candidate_from_token(token), exam_id)
    sitting = Sitting(exam=exam, session=exam.jury.session, upcoming=False,
                      outcome=results.outcome(exam))
    problem = appeals.candidate_appeal_problem(exam)
    if problem:
        raise Conflict(problem)
    return sitting


def request_appeal(token: str, exam_id: int, grounds: str | None) -> Appeal:
    """The candidate appeals to the management from their link (recorded for the organiser)."""
    candidate = candidate_from_token(token)
    exam = own_exam(candidate, exam_id)
    return appeals.request_appeal(exam.id, grounds, link_detail=_link_detail(token, candidate))


def certificate_pdf(token: str, exam_id: int) -> tuple[str, bytes]:
    """(filename, sealed PDF) of the candidate's certificate for one of their sittings: 404
    before it is produced, for anyone else's, and once revoked. Each download is audited."""
    candidate = candidate_from_token(token)
    exam = own_exam(candidate, exam_id)
    certificate = certificate_of(exam.id)
    if certificate is None or certificate.revoked_at is not None:
        raise NotFound(MSG_NO_CERTIFICATE)
    filename, data = sealed_certificate(certificate.id)
    with write_transaction():
        record(None, "certificate.download", "certificate", certificate.id, exam_id=exam.id,
               number=certificate.number, channel="candidate",
               link=_link_detail(token, candidate))
    return filename, data


# --- Anomaly sheets (annex 3), available to the candidate at all times -----------------

def _link_detail(token: str, candidate: Candidate) -> str:
    """Which personal link the candidate signed from, without the link itself (its
    issue time and a fingerprint of it)."""
    _, issued = link_serializer().loads(token, return_timestamp=True)
    fingerprint = hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]
    return (f"lien personnel du candidat n° {candidate.id} ({candidate.full_name}), émis le "
            f"{french_datetime(_naive_utc(issued))}, empreinte SHA-256 {fingerprint}…")[:300]


def _naive_utc(moment):
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def anomaly_pdf(token: str, sheet_id: int) -> tuple[bytes, str]:
    """The PDF of a sheet the candidate filed (annex 3, with the council's opinion when it has
    one); 404 for any other sheet, as if it did not exist."""
    candidate = candidate_from_token(token)
    sheet = db.session.get(AnomalySheet, sheet_id)
    if sheet is None or sheet.reporter_candidate_id != candidate.id:
        raise NotFound(anomalies.MSG_NO_SHEET)
    return anomalies.anomaly_pdf(sheet), anomalies.pdf_filename(sheet)


def anomaly_reporter(token: str) -> anomalies.Reporter:
    """The candidate behind the link, as the observer of an anomaly (404/410 as the portal)."""
    candidate = candidate_from_token(token)
    return anomalies.Reporter(candidate=candidate, link_detail=_link_detail(token, candidate))
