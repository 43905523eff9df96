"""The results page's model: each candidate's result, its sendings and certificate."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..extensions import db
from ..sessions.models import Exam, ExamSession
from ..sessions.queries import get_session
from ..timeutil import paris_day
from .blocks.pages import exam_blocks
from .models import Certificate, ResultNotice
from .queries import closed_exams, is_admitted, minutes_visa_at, sealed_ids, send_refusal


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
    blocks: dict = field(default_factory=dict)  # exam id -> ExamBlocks (blocks/pages.py)

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
        return (sum(1 for r in self.rows if r.admitted and (r.certificate is None or not r.sealed))
                + sum(b.to_make for b in self.blocks.values()))

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
    sealed = sealed_ids([c.id for c in certificates.values()])
    rows = [ResultRow(e, notices.get(e.id, []), certificates.get(e.id),
                      e.id in certificates and certificates[e.id].id in sealed) for e in exams]
    return SessionResults(session, rows, send_refusal(session), minutes_visa_at(session.id),
                          exam_blocks(exams))
