"""The president moves the jury to the next part; either juror marks a competency's coverage.
Both in `write_transaction`, audited on the exam."""
from __future__ import annotations

from ...audit.services import record
from ...database import write_transaction
from ...errors import Conflict, Forbidden, NotFound, ServiceError
from ...examday.access import ExamAccess, exam_access
from ...extensions import db
from ...sessions.models import CLOSED, GRADING
from ...timeutil import to_paris, utcnow
from ..guards import require_unlocked
from . import queries, rules
from .models import CompetencyCoverage, ExamPartStart

MSG_PRESIDENT_ONLY = "Seul le président du jury fait passer l'épreuve à la partie suivante."
MSG_EXAM_OVER = ("L'épreuve est terminée (délibération ouverte ou close) : les parties "
                 "ne changent plus.")
MSG_COVERAGE_CLOSED = "La délibération est close : la couverture des compétences ne change plus."
MSG_CONFLICT = "Vous avez déclaré connaître ce candidat : vous ne l'évaluez pas."
MSG_DECLARE_FIRST = "Déclarez d'abord si vous connaissez ce candidat."


def advance_refusal(access: ExamAccess, user) -> ServiceError | None:
    """Why `user` may not move this exam to its next part now, or None (checked in this order)."""
    if not access.is_president(user):
        return Forbidden(MSG_PRESIDENT_ONLY)
    if access.minutes_locked or access.exam.phase != GRADING:
        return Conflict(MSG_EXAM_OVER)
    refusal = access.write_refusal or access.grid_closed_reason
    return Conflict(refusal) if refusal else None


def coverage_refusal(access: ExamAccess) -> ServiceError | None:
    """Why this juror may not mark coverage now, or None: while grading (grid open) and in
    deliberation, by a juror who declared not knowing the candidate."""
    if access.exam.phase == CLOSED:
        return Conflict(MSG_COVERAGE_CLOSED)
    refusal = access.write_refusal
    if refusal is None and access.exam.phase == GRADING:
        if access.declaration is None:
            refusal = MSG_DECLARE_FIRST
        elif access.declaration.has_conflict:
            refusal = MSG_CONFLICT
        else:
            refusal = access.grid_closed_reason
    return Conflict(refusal) if refusal else None


def advance(user, exam_id: int, raw_position: str | None) -> ExamAccess:
    """Start part `raw_position` (the one after the current part); a repeated click on the
    part already started changes nothing."""
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        require_unlocked(access)
        refusal = advance_refusal(access, user)
        if refusal is not None:
            raise refusal
        target = rules.parse_position(raw_position)
        planned = rules.plan(queries.declared_parts(access.referential_id))
        starts = queries.part_starts(exam_id)
        current = max(starts) if starts else None
        if rules.next_move(planned, current, target):
            now = utcnow()
            db.session.add(ExamPartStart(exam_id=exam_id, position=target, started_at=now,
                                         started_by_id=user.id))
            record(user, "exam_part.start", "exam", exam_id,
                   None if current is None else planned[current].title, planned[target].title,
                   position=target + 1, at=to_paris(now).strftime("%H:%M:%S"))
    return access


def set_coverage(user, exam_id: int, code: str | None, raw_kind: str | None,
                 raw_value: str | None) -> tuple[ExamAccess, str]:
    """Set one of a competency's two coverage marks (idempotent); returns the access and the
    competency's code."""
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        if code not in access.layout.competencies:
            raise NotFound(rules.MSG_NO_COMPETENCY)
        column, value = rules.parse_coverage(raw_kind, raw_value)
        require_unlocked(access)
        refusal = coverage_refusal(access)
        if refusal is not None:
            raise refusal
        row = db.session.scalar(db.select(CompetencyCoverage).filter_by(
            exam_id=exam_id, competency_code=code))
        if row is None:
            row = CompetencyCoverage(exam_id=exam_id, competency_code=code, updated_by_id=user.id)
            db.session.add(row)
        old = getattr(row, column)
        if old is not value:
            setattr(row, column, value)
            row.updated_by_id, row.updated_at = user.id, utcnow()
            record(user, "coverage.set", "exam", exam_id, _answer(old), _answer(value),
                   competency=code, kind=rules.KIND_LABELS[raw_kind])
    return access, code


def _answer(value: bool | None) -> str | None:
    return None if value is None else ("oui" if value else "non")
