"""Candidates: create, the duplicate check, personal link, CSV import.

The list, the record page and editing show or move the candidate's sittings: they are in
`sessions.candidates`, above the sessions.

Every write runs in one `write_transaction` and records its audit entries in it;
duplicates are checked inside the transaction, so two organisers cannot create
the same candidate twice at the same moment.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func

from ..audit.models import AuditEntry
from ..audit.services import record
from ..database import get_row, write_transaction
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from . import csv_import
from .csv_import import ImportResult, LineError
from .models import Candidate, new_link_nonce
from .rules import CandidateData, identity_key

MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds
IMPORT_ACTION = "candidate.import"


class DuplicateCandidate(Conflict):
    """Another candidate is the same person: the page names them and links to them."""

    def __init__(self, existing: Candidate, reason: str):
        super().__init__(f"Ce candidat existe déjà : {existing.full_name} ({reason}).")
        self.existing = existing
        self.reason = reason


def get_candidate(candidate_id: int) -> Candidate:
    return get_row(Candidate, candidate_id, "Candidat introuvable.")


# --- Create and edit ------------------------------------------------------------------------

def same_person(data: CandidateData, exclude_id: int | None = None) -> DuplicateCandidate | None:
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
        duplicate = same_person(data)
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
