"""A candidate seen from the sessions: the list with their latest sitting, their record page,
and editing them, where new extra minutes time their juries' slots again.

Candidates sit below the sessions and know nothing of exams; what shows or moves a
candidate's sittings lives here. Every write runs in one `write_transaction` with its audit
entry.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_

from ..audit.services import record
from ..candidates.models import Appeal, Candidate, RetakeRequest
from ..candidates.rules import CandidateData
from ..candidates.services import get_candidate, same_person
from ..database import write_transaction
from ..extensions import db
from ..timeutil import utcnow
from .models import GRADING, PREPARING, Exam, ExamSession, Jury
from .slots import reschedule

PAGE_SIZE = 50
MAX_QUERY = 100


# --- List and search ------------------------------------------------------------------------

@dataclass
class Row:
    """A line of the list: the candidate, how many times they sat, their latest sitting."""

    candidate: Candidate
    attempts: int
    latest: Exam | None
    rule: str | None  # the latest sitting's scoring rule, for its decision's wording


@dataclass
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int
    query: str


def search(query: str | None, page: int = 1) -> Page:
    """Candidates whose name or email contains every word of `query`, by last name."""
    query = " ".join((query or "").split())[:MAX_QUERY]
    condition = db.true()
    for word in query.split():
        condition = condition & or_(Candidate.last_name.icontains(word, autoescape=True),
                                    Candidate.first_name.icontains(word, autoescape=True),
                                    Candidate.email.icontains(word, autoescape=True))
    total = db.session.scalar(db.select(func.count(Candidate.id)).where(condition))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    candidates = db.session.scalars(
        db.select(Candidate).where(condition)
        .order_by(func.lower(Candidate.last_name), func.lower(Candidate.first_name), Candidate.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return Page(_rows(candidates), total, page, pages, query)


def _rows(candidates: list[Candidate]) -> list[Row]:
    """Each candidate with their sittings, read in one query for the whole page."""
    by_candidate: dict[int, list[tuple[Exam, str]]] = {c.id: [] for c in candidates}
    if candidates:
        results = db.session.execute(
            db.select(Exam, ExamSession)
            .join(Jury, Exam.jury_id == Jury.id)
            .join(ExamSession, Jury.session_id == ExamSession.id)
            .options(db.joinedload(ExamSession.referential))
            .where(Exam.candidate_id.in_(by_candidate))
            .order_by(Exam.starts_at, Exam.id)).all()
        for exam, session in results:
            by_candidate[exam.candidate_id].append((exam, session.referential.rule))
    rows = []
    for candidate in candidates:
        exams = by_candidate[candidate.id]
        # A sitting moved to another session is the same attempt, counted once.
        sittings = [(e, rule) for e, rule in exams if e.moved_to_id is None]
        latest, rule = sittings[-1] if sittings else (None, None)
        rows.append(Row(candidate, len(sittings), latest, rule))
    return rows


# --- One candidate --------------------------------------------------------------------------

@dataclass
class Sitting:
    exam: Exam
    session: ExamSession
    jury: Jury


@dataclass
class Record:
    """What the candidate's page shows beside their identity."""

    candidate: Candidate
    sittings: list[Sitting]
    retakes: list[RetakeRequest]
    appeals: list[Appeal]


def candidate_record(candidate_id: int) -> Record:
    candidate = get_candidate(candidate_id)
    sittings = [Sitting(exam, session, jury) for exam, jury, session in db.session.execute(
        db.select(Exam, Jury, ExamSession)
        .join(Jury, Exam.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .options(db.joinedload(ExamSession.referential))
        .where(Exam.candidate_id == candidate.id)
        .order_by(Exam.starts_at, Exam.id)).all()]
    retakes = db.session.scalars(
        db.select(RetakeRequest).join(Exam, RetakeRequest.exam_id == Exam.id)
        .where(Exam.candidate_id == candidate.id).order_by(RetakeRequest.requested_at)).all()
    appeals = db.session.scalars(
        db.select(Appeal).join(Exam, Appeal.exam_id == Exam.id)
        .where(Exam.candidate_id == candidate.id).order_by(Appeal.filed_on, Appeal.id)).all()
    return Record(candidate, sittings, list(retakes), list(appeals))


# --- Edit -----------------------------------------------------------------------------------

def _audit_value(value):
    return value.isoformat() if isinstance(value, date) else value


@dataclass
class Updated:
    """What `update` did: the changed fields {name: (old, new)} and, for new extra
    minutes, the sessions whose slots were timed again and those left as they were."""

    candidate: Candidate
    changes: dict
    rescheduled: list[ExamSession] = field(default_factory=list)
    kept: list[ExamSession] = field(default_factory=list)


def update(actor, candidate_id: int, data: CandidateData) -> Updated:
    """Apply the form.

    New extra minutes move the slots of the juries where the candidate is still
    to be graded, in sessions still being prepared (draft, convened); once a
    session has started its times stay as they are (the page says so)."""
    with write_transaction():
        candidate = get_candidate(candidate_id)
        duplicate = same_person(data, exclude_id=candidate.id)
        if duplicate:
            raise duplicate
        changes = {name: (getattr(candidate, name), value)
                   for name, value in data.as_dict().items() if getattr(candidate, name) != value}
        if not changes:
            return Updated(candidate, {})
        for name, (_, value) in changes.items():
            setattr(candidate, name, value)
        candidate.updated_at = utcnow()
        rescheduled, kept = (_reschedule_juries(candidate) if "extra_minutes" in changes
                             else ([], []))
        details = {"changes": {n: [_audit_value(o), _audit_value(v)]
                               for n, (o, v) in changes.items()}}
        if rescheduled:
            details["rescheduled_juries"] = sorted(j.id for j in rescheduled)
        if kept:
            details["kept_juries"] = sorted(j.id for j in kept)
        record(actor, "candidate.update", "candidate", candidate.id,
               old=_summary({n: o for n, (o, _) in changes.items()}),
               new=_summary({n: v for n, (_, v) in changes.items()}), **details)
        result = Updated(candidate, changes, _sessions_of(rescheduled), _sessions_of(kept))
    return result


def _summary(values: dict) -> str:
    return "; ".join(f"{name}={_audit_value(value) if value is not None else ''}"
                     for name, value in values.items())


# Slots are timed again only while the session is prepared; on the day they stay put.
RESCHEDULABLE = PREPARING


def _reschedule_juries(candidate: Candidate) -> tuple[list[Jury], list[Jury]]:
    """Time again the juries where the candidate is still to be graded; returns those
    rescheduled and those kept as they were (their session has started)."""
    db.session.flush()
    exams = db.session.scalars(db.select(Exam).where(
        Exam.candidate_id == candidate.id, Exam.is_active, Exam.phase == GRADING)).all()
    juries = {exam.jury.id: exam.jury for exam in exams}
    rescheduled, kept = [], []
    for jury in juries.values():
        if jury.session.status in RESCHEDULABLE:
            reschedule(jury)
            rescheduled.append(jury)
        else:
            kept.append(jury)
    return rescheduled, kept


def _sessions_of(juries: list[Jury]) -> list[ExamSession]:
    sessions = {jury.session.id: jury.session for jury in juries}
    return sorted(sessions.values(), key=lambda s: (s.starts_at, s.id))
