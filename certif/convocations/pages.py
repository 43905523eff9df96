"""The convocation pages' models: each person to convene with the history and status of
their convocation, for the session page and the sending pages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..auth.models import User
from ..extensions import db
from ..sessions.models import CLOSED, STOPPED, Exam, ExamSession, Jury
from ..sessions.queries import get_exam, get_session, sitting_juries
from ..timeutil import french_date
from .dossier_warning import dossier_deadline_warning
from .inputs import EMAIL
from .models import CANDIDATE, JUROR, Convocation
from .queries import candidate_facts, facts_changed, is_current, juror_facts, link_renewed_since
from .recipients import juror_start, juror_target, session_jurors


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
        if self.exam is not None and not self.exam.is_active:
            return Status(f"Pas de convocation : {self.exam.status_label.lower()}", "")
        return convocation_status(self.latest, self.starts_at, self.facts,
                                  juror=self.juror is not None,
                                  link_renewed=self._link_renewed_since(self.latest))

    @property
    def can_send(self) -> bool:
        return self.exam is None or (self.exam.sits and self.exam.phase != CLOSED)

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
    def dossier_warning(self) -> str | None:
        return dossier_deadline_warning(self.session)

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
