"""Candidates: list and search, create and edit, personal link, CSV import.

Every write runs in one `write_transaction` and records its audit entries in it;
duplicates are checked inside the transaction, so two organisers cannot create
the same candidate twice at the same moment.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_

from ..audit.models import AuditEntry
from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..sessions.models import GRADING, SCHEDULED, Exam, ExamSession, Jury
from ..sessions.services import reschedule
from ..timeutil import utcnow
from . import csv_import
from .csv_import import CandidateData, ImportResult, LineError, identity_key
from .models import Appeal, Candidate, RetakeRequest, new_link_nonce

PAGE_SIZE = 50
MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds
MAX_QUERY = 100
IMPORT_ACTION = "candidate.import"


class DuplicateCandidate(Conflict):
    """Another candidate is the same person: the page names them and links to them."""

    def __init__(self, existing: Candidate, reason: str):
        super().__init__(f"Ce candidat existe déjà : {existing.full_name} ({reason}).")
        self.existing = existing
        self.reason = reason


def get_candidate(candidate_id: int) -> Candidate:
    candidate = db.session.get(Candidate, candidate_id)
    if candidate is None:
        raise NotFound("Candidat introuvable.")
    return candidate


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


# --- Create and edit ------------------------------------------------------------------------

def _same_person(data: CandidateData, exclude_id: int | None = None) -> DuplicateCandidate | None:
    """Another candidate with the same email, or the same names and birth date."""
    others = db.select(Candidate)
    if exclude_id is not None:
        others = others.where(Candidate.id != exclude_id)
    if data.email:
        existing = db.session.scalar(
            others.where(func.lower(Candidate.email) == data.email).order_by(Candidate.id).limit(1))
        if existing is not None:
            return DuplicateCandidate(existing, f"même adresse e-mail {data.email}")
    same_birth = (Candidate.birth_date == data.birth_date if data.birth_date
                  else Candidate.birth_date.is_(None))
    key = identity_key(data.first_name, data.last_name, data.birth_date)
    for existing in db.session.scalars(others.where(same_birth).order_by(Candidate.id)):
        if identity_key(existing.first_name, existing.last_name, existing.birth_date) == key:
            reason = ("même nom, même prénom et même date de naissance" if data.birth_date
                      else "même nom et même prénom, sans date de naissance")
            return DuplicateCandidate(existing, reason)
    return None


def create(actor, data: CandidateData) -> Candidate:
    with write_transaction():
        duplicate = _same_person(data)
        if duplicate:
            raise duplicate
        candidate = _insert(actor, data, source="form")
    return candidate


def _insert(actor, data: CandidateData, **details) -> Candidate:
    candidate = Candidate(**data.as_dict())
    db.session.add(candidate)
    db.session.flush()
    record(actor, "candidate.create", "candidate", candidate.id, new=candidate.full_name,
           **details)
    return candidate


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
        duplicate = _same_person(data, exclude_id=candidate.id)
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
RESCHEDULABLE = ("draft", "convened")


def _reschedule_juries(candidate: Candidate) -> tuple[list[Jury], list[Jury]]:
    """Time again the juries where the candidate is still to be graded; returns those
    rescheduled and those kept as they were (their session has started)."""
    db.session.flush()
    exams = db.session.scalars(db.select(Exam).where(
        Exam.candidate_id == candidate.id, Exam.status == SCHEDULED, Exam.phase == GRADING)).all()
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


def renew_link(actor, candidate_id: int) -> Candidate:
    """A new link nonce: every personal link sent before stops working."""
    with write_transaction():
        candidate = get_candidate(candidate_id)
        candidate.link_nonce = new_link_nonce()
        record(actor, "candidate.link_renewed", "candidate", candidate.id)
    return candidate


# --- CSV import -----------------------------------------------------------------------------

@dataclass
class ImportOutcome:
    errors: list[str]
    batch_id: int | None = None  # the import's audit entry, to show what it created
    count: int = 0


def import_csv(actor, filename: str, data: bytes) -> ImportOutcome:
    """Every line checked (file, then database); all inserted in one transaction, or none."""
    result = csv_import.parse(data)
    if not result.ok:
        # Say at once which valid-looking lines are already in the database, too.
        return ImportOutcome(_by_line(result.errors + _database_duplicates(result)))
    filename = (filename or "").strip()[:200] or "import.csv"
    with write_transaction():
        errors = _database_duplicates(result)
        if errors:
            return ImportOutcome(_by_line(errors))  # nothing added: the commit writes nothing
        created = [_insert(actor, row.data, source="import", filename=filename, line=row.line)
                   for row in result.rows]
        entry = record(actor, IMPORT_ACTION, "candidate_import", None, new=str(len(created)),
                       filename=filename, count=len(created),
                       candidate_ids=[c.id for c in created])
        db.session.flush()
        batch_id = entry.id
    return ImportOutcome([], batch_id, len(created))


def _by_line(errors: list[LineError]) -> list[str]:
    return [e.message for e in sorted(errors, key=lambda e: e.line or 0)]


def _database_duplicates(result: ImportResult) -> list[LineError]:
    """One error per line whose candidate is already in the database."""
    if not result.rows:
        return []
    by_email: dict[str, Candidate] = {}
    by_identity: dict[tuple, Candidate] = {}
    for candidate in db.session.scalars(db.select(Candidate).order_by(Candidate.id.desc())):
        if candidate.email:
            by_email[candidate.email.lower()] = candidate
        by_identity[identity_key(candidate.first_name, candidate.last_name,
                                 candidate.birth_date)] = candidate
    errors = []
    for row in result.rows:
        data = row.data
        existing = by_email.get(data.email) if data.email else None
        if existing is not None:
            errors.append(LineError(row.line, (
                f"Ligne {row.line} : l'adresse e-mail « {data.email} » est déjà celle de "
                f"{existing.full_name}, déjà enregistré(e)")))
            continue
        existing = by_identity.get(identity_key(data.first_name, data.last_name, data.birth_date))
        if existing is not None:
            errors.append(LineError(row.line, (
                f"Ligne {row.line} : {existing.full_name} est déjà enregistré(e) (même nom, "
                "prénom et date de naissance)")))
    return errors


@dataclass
class ImportBatch:
    filename: str
    at: object
    candidates: list[Candidate]


def import_batch(entry_id: int) -> ImportBatch:
    """What an earlier import created, from its audit entry."""
    if not 1 <= entry_id <= MAX_ID:  # a bigger number would overflow the INTEGER binding
        raise NotFound("Import introuvable.")
    entry = db.session.get(AuditEntry, entry_id)
    if entry is None or entry.action != IMPORT_ACTION or not isinstance(entry.details, dict):
        raise NotFound("Import introuvable.")
    ids = entry.details.get("candidate_ids") or []
    candidates = db.session.scalars(
        db.select(Candidate).where(Candidate.id.in_(ids))
        .order_by(func.lower(Candidate.last_name), func.lower(Candidate.first_name))).all()
    return ImportBatch(entry.details.get("filename", ""), entry.at, list(candidates))


def require_upload(upload) -> tuple[str, bytes]:
    """The name and bytes of the uploaded file, or a French 400."""
    if upload is None or not getattr(upload, "filename", ""):
        raise InvalidInput("Choisissez un fichier CSV à importer.")
    data = upload.read(csv_import.MAX_BYTES + 1)
    return upload.filename, data
