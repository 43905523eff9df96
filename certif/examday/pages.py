"""The exam day's page models: the juror's reception page (jurors' seats, identity check,
candidate's attendance and link) and the organiser's and PDFs' attendance tables."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..auth.models import User
from ..extensions import db
from ..sessions.models import Exam, ExamSession, Jury
from ..sessions.queries import get_session, sitting_exams
from ..signatures import services as signatures
from ..signatures.models import CANDIDATE_ATTENDANCE, JURY_ATTENDANCE, Signature
from ..signatures.rules import content_sha256
from ..timeutil import paris_today
from . import rules
from .access import ExamAccess, exam_access
from .content import candidate_content, jury_content
from .guards import MSG_CONFLICT, attendance_closure, identity_refusal
from .links import active_link
from .models import AttendanceLink, CandidateUnsigned, IdentityCheck
from .queries import (
    attendance_version,
    candidate_signature,
    candidate_unsigned_reasons,
    exam_day,
    identity_of,
    jury_attendance_version,
)

# --- The juror's reception page -----------------------------------------------------------

@dataclass
class JurorSeat:
    juror: User
    seat: int
    signature: Signature | None


@dataclass
class Reception:
    access: ExamAccess
    jurors: list[JurorSeat]
    identity: IdentityCheck | None
    candidate_signature: Signature | None
    active_link: AttendanceLink | None
    version: int
    today: date
    jury_version: int = 0  # changes when a juror signs (the jurors' list polls on it)
    unsigned: CandidateUnsigned | None = None  # why the candidate could not sign, if recorded

    @property
    def exam(self) -> Exam:
        return self.access.exam

    @property
    def session(self) -> ExamSession:
        return self.exam.jury.session

    def own_seat(self, user) -> JurorSeat | None:
        return next((s for s in self.jurors if s.juror.id == user.id), None)

    @property
    def day_refusal(self) -> str | None:
        return rules.exam_day_refusal(exam_day(self.exam), self.today)

    @property
    def identity_refusal(self) -> str | None:
        """Why this juror cannot record the identity check now, or None."""
        if self.identity is not None:
            return None
        return identity_refusal(self.access, self.today)

    @property
    def write_refusal(self) -> str | None:
        """Why nothing can be signed on this exam now (day to come, session stopped…), or None."""
        return self.day_refusal or self.access.write_refusal

    @property
    def candidate_refusal(self) -> str | None:
        """Why this juror cannot have the candidate sign now (identity aside), or None."""
        if self.write_refusal:
            return self.write_refusal
        if self.access.declaration is not None and self.access.declaration.has_conflict:
            return MSG_CONFLICT
        return attendance_closure(self.exam, None)

    @property
    def default_mode(self) -> str:
        return "camera" if self.session.is_remote else "in_person"

    @property
    def remote(self) -> bool:
        """The candidate signs from their own device (unless the identity was checked in person)."""
        if self.identity is not None:
            return self.identity.mode == "camera"
        return self.session.is_remote

    @property
    def link_code(self) -> str | None:
        return rules.format_code(self.active_link.code) if self.active_link else None

    def jury_content_sha256(self, user) -> str | None:
        """The fingerprint of the annex-2 line `user` would sign (their signing form carries it)."""
        seat = self.own_seat(user)
        return content_sha256(jury_content(self.exam, user, seat.seat)) if seat else None

    @property
    def accommodation(self) -> dict | None:
        """The measures granted to the candidate (never the medical details), or None."""
        candidate = self.exam.candidate
        other = (candidate.accommodation or "").strip()
        if not candidate.extra_minutes and not other:
            return None
        return {"extra_minutes": candidate.extra_minutes or 0, "other": other or None}

    @property
    def candidate_content_sha256(self) -> str:
        return content_sha256(candidate_content(self.exam))


def reception(user, exam_id: int, *, today: date | None = None) -> Reception:
    access = exam_access(user, exam_id)
    exam = access.exam
    members = exam.jury.members  # ordered by seat
    jury_sigs = signatures.signatures_of(JURY_ATTENDANCE, [exam_id])[exam_id]
    by_user = {s.user_id: s for s in jury_sigs}
    seats = [JurorSeat(m.juror, m.seat, by_user.get(m.juror_id)) for m in members]
    return Reception(access=access, jurors=seats, identity=identity_of(exam_id),
                     candidate_signature=candidate_signature(exam),
                     active_link=active_link(exam_id),
                     version=attendance_version(exam_id), today=today or paris_today(),
                     jury_version=jury_attendance_version(exam_id),
                     unsigned=candidate_unsigned_reasons([exam_id]).get(exam_id))


# --- Organiser's and PDFs' views -----------------------------------------------------------

@dataclass
class ExamAttendance:
    exam: Exam
    identity: IdentityCheck | None
    candidate_signature: Signature | None
    juror_signatures: dict[int, Signature]  # by juror's user id


@dataclass
class JuryAttendance:
    jury: Jury
    rows: list[ExamAttendance]


def _attendance_rows(exams: list[Exam]) -> list[ExamAttendance]:
    ids = [e.id for e in exams]
    identities = {c.exam_id: c for c in db.session.scalars(
        db.select(IdentityCheck).where(IdentityCheck.exam_id.in_(ids)))} if ids else {}
    cand = signatures.signatures_of(CANDIDATE_ATTENDANCE, ids)
    jury = signatures.signatures_of(JURY_ATTENDANCE, ids)
    rows = []
    for exam in exams:
        key = signatures.candidate_key(exam.candidate)
        rows.append(ExamAttendance(
            exam, identities.get(exam.id),
            next((s for s in cand[exam.id] if s.signer_key == key), None),
            {s.user_id: s for s in jury[exam.id] if s.user_id is not None}))
    return rows


def jury_attendance(jury: Jury) -> JuryAttendance:
    return JuryAttendance(jury, _attendance_rows(sitting_exams(jury)))


def session_attendance(session_id: int) -> tuple[ExamSession, list[JuryAttendance]]:
    session = get_session(session_id)
    return session, [jury_attendance(j) for j in session.juries]


def attendance_rows(exams: list[Exam]) -> list[ExamAttendance]:
    return _attendance_rows(exams)


def session_sitting_exams(session_id: int) -> tuple[ExamSession, list[Exam]]:
    session = get_session(session_id)
    return session, sitting_exams(session)
