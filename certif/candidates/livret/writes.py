"""Writing a candidate's livret: open it for a certification, add, edit and delete
evaluations and block projects, import a partner organisation's CSV (all or nothing), and
the relevé's export. Each in one write transaction with its audit entry; a pathway without
a livret (VAE) is refused with 409."""
from __future__ import annotations

from dataclasses import dataclass

from ...audit.services import record
from ...database import get_row, write_transaction
from ...errors import Conflict, InvalidInput, NotFound
from ...extensions import db
from ...referentials.models import Referential
from ...timeutil import paris_today, utcnow
from ..csv_import import LineError
from ..models import Candidate
from . import csv_import
from .models import BlockProject, Livret, LivretEvaluation
from .queries import livret_referentials, structure_of
from .rules import EvaluationInput, ProjectInput, refusal

MSG_MISSING = "Candidat introuvable."
MSG_NOT_OPEN = "Le livret de ce candidat n'est pas encore ouvert : choisissez d'abord la certification."
IMPORT_ACTION = "livret.import"


def _candidate(candidate_id: int) -> Candidate:
    return get_row(Candidate, candidate_id, MSG_MISSING, lock=True)


def require_writable(candidate: Candidate, referential: Referential) -> None:
    reason = refusal(candidate.pathway, referential.livret_pathways, referential.title)
    if reason:
        raise Conflict(reason)


def _open_livret(candidate_id: int) -> tuple[Candidate, Livret]:
    candidate = _candidate(candidate_id)
    return candidate, writable_livret(candidate)


def writable_livret(candidate: Candidate) -> Livret:
    """The candidate's livret, if their pathway keeps one and it is open (else 409)."""
    livret = db.session.scalar(db.select(Livret).filter_by(candidate_id=candidate.id))
    if livret is None:
        if not livret_referentials(candidate.pathway):
            raise Conflict(refusal(candidate.pathway, (), None))
        raise Conflict(MSG_NOT_OPEN)
    require_writable(candidate, livret.referential)
    return livret


def open_livret(actor, candidate_id: int, referential_id: int | None) -> Livret:
    with write_transaction():
        candidate = _candidate(candidate_id)
        referential = db.session.get(Referential, referential_id) if referential_id else None
        if referential is None:
            raise InvalidInput("Choisissez la certification dont le livret suit le référentiel.")
        require_writable(candidate, referential)
        if db.session.scalar(db.select(Livret.id).filter_by(candidate_id=candidate.id)):
            raise Conflict("Le livret de ce candidat est déjà ouvert.")
        livret = Livret(candidate_id=candidate.id, referential_id=referential.id,
                        opened_by_id=getattr(actor, "id", None))
        db.session.add(livret)
        db.session.flush()
        record(actor, "livret.open", "candidate", candidate.id, new=referential.label,
               livret_id=livret.id)
    return livret


def _competency(livret: Livret, code: str):
    return next(c for c in livret.referential.competencies if c.code == code)


def _block(livret: Livret, code: str):
    return next(b for b in livret.referential.blocks if b.code == code)


def _fill_evaluation(row: LivretEvaluation, livret: Livret, data: EvaluationInput) -> None:
    row.competency = _competency(livret, data.competency_code)
    row.evaluated_on, row.kind, row.acquired = data.evaluated_on, data.kind, data.acquired
    row.evaluator, row.comment = data.evaluator, data.comment


def add_evaluation(actor, candidate_id: int, data: EvaluationInput) -> LivretEvaluation:
    with write_transaction():
        candidate, livret = _open_livret(candidate_id)
        row = LivretEvaluation(livret=livret, source="organiser")
        _fill_evaluation(row, livret, data)
        db.session.add(row)
        db.session.flush()
        record(actor, "livret.evaluation_add", "candidate", candidate.id, new=row.summary,
               evaluation_id=row.id)
    return row


def evaluation_of(candidate_id: int, evaluation_id: int) -> LivretEvaluation:
    """The evaluation, if it is in this candidate's livret (else NotFound)."""
    row = db.session.get(LivretEvaluation, evaluation_id) if evaluation_id < 2**31 else None
    if row is None or row.livret.candidate_id != candidate_id:
        raise NotFound("Évaluation introuvable.")
    return row


def update_evaluation(actor, candidate_id: int, evaluation_id: int,
                      data: EvaluationInput) -> LivretEvaluation:
    with write_transaction():
        candidate, livret = _open_livret(candidate_id)
        row = evaluation_of(candidate.id, evaluation_id)
        old = row.summary
        _fill_evaluation(row, livret, data)
        row.updated_at = utcnow()
        db.session.flush()
        record(actor, "livret.evaluation_edit", "candidate", candidate.id, old, row.summary,
               evaluation_id=row.id)
    return row


def delete_evaluation(actor, candidate_id: int, evaluation_id: int) -> None:
    with write_transaction():
        candidate, _ = _open_livret(candidate_id)
        row = evaluation_of(candidate.id, evaluation_id)
        record(actor, "livret.evaluation_delete", "candidate", candidate.id, old=row.summary,
               evaluation_id=row.id)
        db.session.delete(row)


def save_project(actor, candidate_id: int, data: ProjectInput, source: str = "organiser"
                 ) -> BlockProject:
    """The block's project validated (created, or its date and lead corrected)."""
    with write_transaction():
        candidate, livret = _open_livret(candidate_id)
        block = _block(livret, data.block_code)
        row = db.session.scalar(db.select(BlockProject).filter_by(livret_id=livret.id,
                                                                  block_id=block.id))
        old = row.summary if row else None
        if row is None:
            row = BlockProject(livret=livret, block=block, source=source)
            db.session.add(row)
        else:
            row.updated_at = utcnow()
        row.validated_on, row.validated_by, row.comment = (data.validated_on, data.validated_by,
                                                           data.comment)
        db.session.flush()
        record(actor, "livret.project_save", "candidate", candidate.id, old, row.summary,
               project_id=row.id)
    return row


def delete_project(actor, candidate_id: int, project_id: int) -> None:
    with write_transaction():
        candidate, livret = _open_livret(candidate_id)
        row = db.session.get(BlockProject, project_id) if project_id < 2**31 else None
        if row is None or row.livret_id != livret.id:
            raise NotFound("Projet de bloc introuvable.")
        record(actor, "livret.project_delete", "candidate", candidate.id, old=row.summary,
               project_id=row.id)
        db.session.delete(row)


# --- A partner organisation's CSV -----------------------------------------------------------

@dataclass
class ImportOutcome:
    errors: list[str]
    evaluations: int = 0
    projects: int = 0


def import_csv(actor, candidate_id: int, filename: str, data: bytes) -> ImportOutcome:
    """Every line checked (file, then livret); all written in one transaction, or none."""
    with write_transaction():
        candidate, livret = _open_livret(candidate_id)
        block_of, blocks = structure_of(livret.referential)
        result = csv_import.parse(data, csv_import.Structure(block_of, blocks), paris_today())
        errors = result.errors + _already_there(livret, result.rows)
        if errors or not result.ok:
            return ImportOutcome([e.message for e in sorted(errors, key=lambda e: e.line or 0)])
        evaluations = projects = 0
        for row in result.rows:
            if isinstance(row.data, ProjectInput):
                item = BlockProject(livret=livret, block=_block(livret, row.data.block_code),
                                    validated_on=row.data.validated_on,
                                    validated_by=row.data.validated_by,
                                    comment=row.data.comment, source="import")
                projects += 1
            else:
                item = LivretEvaluation(livret=livret, source="import")
                _fill_evaluation(item, livret, row.data)
                evaluations += 1
            db.session.add(item)
        db.session.flush()
        record(actor, IMPORT_ACTION, "candidate", candidate.id,
               new=f"{evaluations} évaluation(s), {projects} projet(s) de bloc",
               filename=(filename or "").strip()[:200] or "livret.csv",
               evaluations=evaluations, projects=projects)
    return ImportOutcome([], evaluations, projects)


def _already_there(livret: Livret, rows) -> list[LineError]:
    validated = {p.block.code for p in livret.projects}
    recorded = {(e.competency.code, e.evaluated_on, e.kind, e.evaluator)
                for e in livret.evaluations}
    errors = []
    for row in rows:
        data = row.data
        if isinstance(data, ProjectInput) and data.block_code in validated:
            errors.append(LineError(row.line, f"Ligne {row.line} : le projet du bloc "
                                    f"{data.block_code} est déjà validé dans le livret"))
        elif isinstance(data, EvaluationInput) and (data.competency_code, data.evaluated_on,
                                                    data.kind, data.evaluator) in recorded:
            errors.append(LineError(row.line, f"Ligne {row.line} : cette évaluation de "
                                    f"{data.competency_code} est déjà dans le livret"))
    return errors


def record_export(actor, candidate: Candidate) -> None:
    """The relevé des évaluations downloaded: personal data exported, audited."""
    with write_transaction():
        record(actor, "livret.releve_download", "candidate", candidate.id)
