"""Grading operations: a juror's marks, and the jury's deliberation.

Every write runs in `write_transaction` (write lock from the start) and records
its old and new value in the audit log. Marks are set, never toggled, so a
repeated or retried click leaves the same state.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func

from ..audit.models import AuditEntry
from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from ..examday.access import ExamAccess, exam_access
from ..extensions import db
from ..jurors.models import ConflictDeclaration
from ..sessions.models import CLOSED, DELIBERATION, GRADING, Exam, JuryMember
from ..text import clean_text
from ..timeutil import utcnow
from ..web import fr_number
from . import opening, rules
from .blocks.queries import kept_block_of, kept_refusal
from .declarations import MSG_CONFLICT, MSG_DECLARE_FIRST, require_no_conflict
from .guards import MSG_CLOSED, MSG_GRID_LOCKED, require_may_write, require_phase, require_unlocked
from .inputs import MAX_COMMENT, MSG_RESULT_UNKNOWN, ShownResult
from .models import DeliberationMark, EarlyStart, Grid, Mark
from .presenters import decision_label

VALUES = {"acquis": True, "non_acquis": False}

MSG_BAD_VALUE = "Valeur invalide : choisissez « Acquis » ou « Non acquis »."
MSG_NO_CRITERION = "Critère introuvable dans la grille de cette certification."
MSG_PRESIDENT_ONLY = "Seul le président du jury peut faire cela."
MSG_CONFLICT_NO_DELIBERATION = ("Un juré a déclaré connaître ce candidat : la délibération ne peut pas "
                                "être ouverte. Le responsable d'organisation doit confier le candidat "
                                "à un autre jury.")
MSG_RESULT_CHANGED = ("Le résultat a changé, confirmez à nouveau : la décision du jury est "
                      "désormais {result}.")


def label(value: bool | None) -> str | None:
    return None if value is None else ("acquis" if value else "non acquis")


def parse_value(raw: str | None) -> bool:
    if raw not in VALUES:
        raise InvalidInput(MSG_BAD_VALUE)
    return VALUES[raw]


def criterion_of(access: ExamAccess, criterion_id: int):
    criterion = access.layout.criteria.get(criterion_id)
    if criterion is None:
        raise NotFound(MSG_NO_CRITERION)
    block = kept_block_of(access, criterion)
    if block is not None:
        raise Conflict(kept_refusal(block))
    return criterion


def juror_grid(exam_id: int, juror_id: int | None) -> tuple[int | None, dict[int, bool]]:
    """A juror's grid id (None before their first mark) and marks, in one statement."""
    rows = db.session.execute(
        db.select(Grid.id, Mark.criterion_id, Mark.value)
        .outerjoin(Mark, Mark.grid_id == Grid.id)
        .where(Grid.exam_id == exam_id, Grid.juror_id == juror_id)).all()
    if not rows:
        return None, {}
    return rows[0][0], {criterion: value for _, criterion, value in rows if criterion is not None}


# --- A juror's own grid ---------------------------------------------------------------

@dataclass
class GridState:
    access: ExamAccess
    marks: dict[int, bool]
    result: rules.GridResult
    declaration: ConflictDeclaration | None = None
    early_start: EarlyStart | None = None
    before_slot: bool = False  # the slot has not started yet (Paris time)

    @property
    def is_grading(self) -> bool:
        return self.access.exam.is_grading

    @property
    def is_closed(self) -> bool:
        return self.access.exam.is_closed

    @property
    def must_declare(self) -> bool:
        """Grading is open, and this juror has not said yet whether they know the candidate."""
        return self.is_grading and self.declaration is None

    @property
    def blocked_by_conflict(self) -> bool:
        return self.declaration is not None and self.declaration.has_conflict

    @property
    def grid_closed_reason(self) -> str | None:
        """While grading: what the reception still misses before the grid opens (French)."""
        if self.access.exam.phase != GRADING:
            return None
        return self.access.grid_closed_reason

    @property
    def must_confirm_early(self) -> bool:
        """The grid is ready but the slot has not started: the juror confirms starting early."""
        return (self.access.exam.phase == GRADING and self.before_slot and self.early_start is None
                and self.grid_closed_reason is None and self.access.write_refusal is None
                and not self.must_declare and not self.blocked_by_conflict)

    @property
    def locked_reason(self) -> str | None:
        """Why this juror cannot mark their grid now (French), or None when it is editable."""
        exam = self.access.exam
        if exam.phase == CLOSED:
            return MSG_CLOSED
        if exam.phase == DELIBERATION:
            return MSG_GRID_LOCKED
        if self.access.write_refusal is not None:
            return self.access.write_refusal
        if self.must_declare:
            return MSG_DECLARE_FIRST
        if self.blocked_by_conflict:
            return MSG_CONFLICT
        if self.grid_closed_reason is not None:
            return self.grid_closed_reason
        if self.must_confirm_early:
            return opening.MSG_BEFORE_SLOT.format(when=opening.slot_label(self.access))
        return None

    @property
    def editable(self) -> bool:
        return self.locked_reason is None


def own_grid(user, exam_id: int) -> GridState:
    access = exam_access(user, exam_id)
    _, marks = juror_grid(exam_id, user.id)
    early = opening.before_slot(access)
    return GridState(access, marks, rules.score(access.scheme, marks), access.declaration,
                     opening.early_start_of(exam_id, user.id) if early else None, early)


def set_mark(user, exam_id: int, criterion_id: int, raw_value: str | None) -> GridState:
    """Set one criterion of the juror's own grid (idempotent)."""
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        criterion = criterion_of(access, criterion_id)
        value = parse_value(raw_value)
        require_unlocked(access)
        require_phase(access.exam, GRADING)
        require_may_write(access)
        declaration = require_no_conflict(access)
        refusal = access.grid_closed_reason or opening.early_refusal(access, user)
        if refusal:
            raise Conflict(refusal)
        grid_id, marks = juror_grid(exam_id, user.id)
        if grid_id is None:
            grid = Grid(exam_id=exam_id, juror_id=user.id)
            db.session.add(grid)
            db.session.flush()
            grid_id = grid.id
        old = marks.get(criterion_id)
        if old != value:
            if old is None:
                db.session.add(Mark(grid_id=grid_id, criterion_id=criterion_id, value=value))
            else:
                db.session.execute(
                    db.update(Mark)
                    .where(Mark.grid_id == grid_id, Mark.criterion_id == criterion_id)
                    .values(value=value, updated_at=utcnow()))
            record(user, "mark.set", "grid", grid_id, label(old), label(value),
                   exam_id=exam_id, criterion=criterion.code)
            marks[criterion_id] = value
    return GridState(access, marks, rules.score(access.scheme, marks), declaration)


@dataclass
class Progress:
    """How far each juror of an exam is: counts only, never the other's values."""

    own_done: int
    other_done: int
    total: int

    @property
    def both_complete(self) -> bool:
        return self.own_done == self.total and self.other_done == self.total


def progress(user, access: ExamAccess) -> Progress:
    counts = dict(db.session.execute(
        db.select(Grid.juror_id, func.count(Mark.id)).join(Mark, Mark.grid_id == Grid.id)
        .where(Grid.exam_id == access.exam.id).group_by(Grid.juror_id)).all())
    own = counts.pop(user.id, 0)
    return Progress(own, sum(counts.values()), len(access.scheme.criteria))


# --- Deliberation ---------------------------------------------------------------------

@dataclass
class Deliberation:
    access: ExamAccess
    president_marks: dict[int, bool]
    other_marks: dict[int, bool]
    jury_marks: dict[int, bool]
    final: dict[int, rules.FinalMark]
    result: rules.GridResult

    @property
    def disagreements(self) -> list[int]:
        """Criterion ids on which the jurors disagree, in grid order."""
        return [k for k, m in self.final.items() if m.disagreement]

    @property
    def is_open(self) -> bool:
        return self.access.exam.is_deliberating

    @property
    def is_closed(self) -> bool:
        return self.access.exam.is_closed

    def locked_reason(self, user) -> str | None:
        """Why `user` cannot write this deliberation now (French, what a write would be
        refused with), or None when they can."""
        refusal = _president_refusal(self.access, user, DELIBERATION)
        return None if refusal is None else refusal.message


def deliberation(user, exam_id: int) -> Deliberation:
    access = exam_access(user, exam_id)
    if access.exam.phase == GRADING:
        raise Conflict("La délibération n'est pas encore ouverte : le président l'ouvre "
                       "quand les deux grilles sont complètes.")
    return _deliberation_state(access)


def deliberation_version(user, exam_id: int) -> int:
    """Changes whenever the deliberation does (every change is audited on the exam)."""
    exam_access(user, exam_id)
    return db.session.scalar(
        db.select(func.coalesce(func.max(AuditEntry.id), 0))
        .where(AuditEntry.entity == "exam", AuditEntry.entity_id == exam_id))


def _deliberation_state(access: ExamAccess) -> Deliberation:
    exam_id = access.exam.id
    _, president_marks = juror_grid(exam_id, access.president_id)
    other_id = db.session.scalar(
        db.select(JuryMember.juror_id).where(JuryMember.jury_id == access.exam.jury_id,
                                             JuryMember.juror_id != access.president_id))
    _, other_marks = juror_grid(exam_id, other_id)
    jury_marks = dict(db.session.execute(
        db.select(DeliberationMark.criterion_id, DeliberationMark.value)
        .where(DeliberationMark.exam_id == exam_id)).all())
    keys = access.scheme.criteria
    final = rules.merge_grids(keys, president_marks, other_marks, jury_marks)
    result = rules.score(access.scheme, rules.final_values(final))
    return Deliberation(access, president_marks, other_marks, jury_marks, final, result)


def _sitting_conflict(exam: Exam) -> bool:
    """A juror of the exam's jury declared knowing the candidate."""
    return db.session.scalar(
        db.select(ConflictDeclaration.id)
        .join(JuryMember, and_(JuryMember.jury_id == exam.jury_id,
                               JuryMember.juror_id == ConflictDeclaration.juror_id))
        .where(ConflictDeclaration.exam_id == exam.id, ConflictDeclaration.has_conflict.is_(True))
        .limit(1)) is not None


def _president_refusal(access: ExamAccess, user, phase: str) -> ServiceError | None:
    """What a president's write in `phase` is refused with (in the order it is checked), or None."""
    if not access.is_president(user):
        return Forbidden(MSG_PRESIDENT_ONLY)
    try:
        require_unlocked(access)
        require_phase(access.exam, phase)
        require_may_write(access)
    except Conflict as refusal:
        return refusal
    return None


def _president_access(user, exam_id: int, phase: str) -> ExamAccess:
    access = exam_access(user, exam_id, lock=True)
    refusal = _president_refusal(access, user, phase)
    if refusal is not None:
        raise refusal
    return access


def open_deliberation(user, exam_id: int) -> None:
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        if access.jury_president_id is None:
            raise Conflict("Aucun président n'est nommé pour ce jury : le responsable "
                           "d'organisation doit en nommer un avant la délibération.")
        if not access.is_president(user):
            raise Forbidden(MSG_PRESIDENT_ONLY)
        require_phase(access.exam, GRADING)
        require_may_write(access)
        if _sitting_conflict(access.exam):
            raise Conflict(MSG_CONFLICT_NO_DELIBERATION)
        jury_size = db.session.scalar(
            db.select(func.count(JuryMember.id)).where(JuryMember.jury_id == access.exam.jury_id))
        if jury_size != 2 or not progress(user, access).both_complete:
            raise Conflict("Les deux grilles doivent être complètes pour ouvrir la délibération.")
        access.exam.phase = DELIBERATION
        access.exam.president_id = access.president_id  # frozen for the record
        access.exam.deliberation_opened_at = utcnow()
        record(user, "deliberation.open", "exam", exam_id, GRADING, DELIBERATION)


def record_jury_value(user, exam_id: int, criterion_id: int, raw_value: str | None) -> Deliberation:
    """Record the value the jury retains for a criterion on which the jurors disagree."""
    with write_transaction():
        access = _president_access(user, exam_id, DELIBERATION)
        criterion = criterion_of(access, criterion_id)
        value = parse_value(raw_value)
        state = _deliberation_state(access)
        current = state.final[criterion_id]
        if not current.disagreement:
            raise Conflict("Les deux jurés sont d'accord sur ce critère : leur valeur s'applique.")
        if current.value != value or current.source != rules.JURY:
            existing = db.session.scalar(db.select(DeliberationMark).filter_by(
                exam_id=exam_id, criterion_id=criterion_id))
            if existing is None:
                db.session.add(DeliberationMark(exam_id=exam_id, criterion_id=criterion_id,
                                                value=value, recorded_by_id=user.id))
            else:
                existing.value, existing.recorded_by_id, existing.recorded_at = value, user.id, utcnow()
            record(user, "deliberation.mark", "exam", exam_id, label(current.value), label(value),
                   criterion=criterion.code, previous_source=current.source)
    return _deliberation_state(exam_access(user, exam_id))


def save_comment(user, exam_id: int, comment: str | None) -> None:
    with write_transaction():
        access = _president_access(user, exam_id, DELIBERATION)
        if comment is None:
            raise InvalidInput("Le commentaire est absent du formulaire.")
        _apply_comment(user, access.exam, comment)


def _apply_comment(user, exam: Exam, comment: str) -> None:
    # Browsers count a line break as one character but send CRLF.
    comment = clean_text(comment)
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(f"Le commentaire ne doit pas dépasser {MAX_COMMENT} caractères.")
    old = exam.president_comment
    if (old or "") != comment:
        exam.president_comment = comment
        record(user, "deliberation.comment", "exam", exam.id, old, comment)


def result_text(access: ExamAccess, result: rules.GridResult) -> str:
    """"Avis défavorable (17,25/20)": the decision as the confirmation states it."""
    lay = access.layout
    text = decision_label(lay.rule, result.decision)
    if result.total is not None:
        text += f" ({fr_number(result.total)}/{fr_number(lay.max_points, 0)})"
    return text


def close_deliberation(user, exam_id: int, *, confirmed: bool, comment: str | None = None,
                       shown: ShownResult | None = None) -> None:
    """Close for good: the comment sent with the closing is saved first, in the same transaction.

    `shown`: the result the president confirmed (the form posts it); a closing whose result
    changed meanwhile is refused (409), so that no one confirms a result they did not see.
    """
    with write_transaction():
        access = _president_access(user, exam_id, DELIBERATION)
        if not confirmed:
            raise InvalidInput("Cochez la case de confirmation pour clore la délibération.")
        if comment is not None:
            _apply_comment(user, access.exam, comment)
        state = _deliberation_state(access)
        if state.result.decision is None:
            raise Conflict("La grille finale est incomplète : la délibération ne peut pas être close.")
        if shown is not None and not shown.posted:
            raise InvalidInput(MSG_RESULT_UNKNOWN)
        if shown is not None and (shown.total, shown.decision) != (state.result.total,
                                                                   state.result.decision):
            raise Conflict(MSG_RESULT_CHANGED.format(result=result_text(access, state.result)))
        exam = access.exam
        exam.phase = CLOSED
        exam.closed_at = utcnow()
        exam.closed_by_id = user.id
        exam.total = state.result.total
        exam.decision = state.result.decision
        record(user, "deliberation.close", "exam", exam_id, DELIBERATION, CLOSED,
               decision=exam.decision, total=None if exam.total is None else str(exam.total))
