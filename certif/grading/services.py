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
from ..database import get_row, write_transaction
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..examday.access import MSG_MINUTES_SIGNED, ExamAccess, exam_access
from ..extensions import db
from ..jurors.models import ConflictDeclaration
from ..referentials.services import Layout, layout
from ..sessions.models import (
    ABSENT_EXCUSED,
    ABSENT_UNEXCUSED,
    CLOSED,
    DELIBERATION,
    GRADING,
    MOVED,
    Exam,
    ExamSession,
    Jury,
    JuryMember,
)
from ..text import clean_text
from ..timeutil import to_paris, utcnow
from . import rules
from .models import DeliberationMark, Grid, Mark

VALUES = {"acquis": True, "non_acquis": False}
MAX_COMMENT = 2000

MSG_BAD_VALUE = "Valeur invalide : choisissez « Acquis » ou « Non acquis »."
MSG_NO_CRITERION = "Critère introuvable dans la grille de cette certification."
MSG_GRID_LOCKED = ("La délibération est ouverte : les grilles individuelles sont verrouillées ; "
                   "les modifications se font désormais en délibération.")
MSG_CLOSED = "La délibération est close : les notes sont verrouillées et ne peuvent plus être modifiées."
MSG_PRESIDENT_ONLY = "Seul le président du jury peut faire cela."
# Conflict of interest (seed 000, I.C.1): each juror declares before grading a candidate.
MSG_DECLARE_FIRST = ("Déclarez d'abord que vous ne connaissez pas ce candidat, personnellement "
                     "ou professionnellement, avant de l'évaluer.")
MSG_CONFLICT = ("Vous avez déclaré connaître ce candidat : vous ne pouvez pas l'évaluer. "
                "Le responsable d'organisation doit le confier à un autre jury.")
MSG_ALREADY_DECLARED = "Vous avez déjà déclaré pour ce candidat : la déclaration ne peut pas être modifiée."
MSG_CONFLICT_NO_DELIBERATION = ("Un juré a déclaré connaître ce candidat : la délibération ne peut pas "
                                "être ouverte. Le responsable d'organisation doit confier le candidat "
                                "à un autre jury.")
DECLARATIONS = {"none": False, "conflict": True}
# Seed 000, I.C.2: the jury checks the candidate's identity and convocation first.
MSG_IDENTITY_FIRST = ("Vérifiez d'abord l'identité et la convocation du candidat (accueil du "
                      "candidat) : la grille s'ouvre ensuite.")


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

    @property
    def must_declare(self) -> bool:
        """Grading is open, and this juror has not said yet whether they know the candidate."""
        return self.access.exam.phase == GRADING and self.declaration is None

    @property
    def blocked_by_conflict(self) -> bool:
        return self.declaration is not None and self.declaration.has_conflict


def own_grid(user, exam_id: int) -> GridState:
    access = exam_access(user, exam_id)
    _, marks = juror_grid(exam_id, user.id)
    return GridState(access, marks, rules.score(access.layout.scheme, marks), access.declaration)


# --- Conflict of interest -------------------------------------------------------------

def _require_no_conflict(access: ExamAccess) -> ConflictDeclaration:
    declaration = access.declaration
    if declaration is None:
        raise Conflict(MSG_DECLARE_FIRST)
    if declaration.has_conflict:
        raise Conflict(MSG_CONFLICT)
    return declaration


def declare(user, exam_id: int, raw_value: str | None, comment: str | None = None) -> ConflictDeclaration:
    """The juror says, once, whether they know the candidate; a conflict blocks their grading."""
    if raw_value not in DECLARATIONS:
        raise InvalidInput("Choisissez votre déclaration : vous connaissez ce candidat ou non.")
    has_conflict = DECLARATIONS[raw_value]
    comment = clean_text(comment) or None
    if comment and len(comment) > MAX_COMMENT:
        raise InvalidInput(f"Le commentaire ne doit pas dépasser {MAX_COMMENT} caractères.")
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        if access.declaration is not None:
            raise Conflict(MSG_ALREADY_DECLARED)
        _require_phase(access.exam, GRADING)
        _require_may_write(access)
        declaration = ConflictDeclaration(exam_id=exam_id, juror_id=user.id,
                                          has_conflict=has_conflict,
                                          comment=comment if has_conflict else None)
        db.session.add(declaration)
        db.session.flush()
        record(user, "conflict.declare", "exam", exam_id, None,
               "conflit" if has_conflict else "aucun conflit",
               comment=declaration.comment, candidate_id=access.exam.candidate_id)
    return declaration


def set_mark(user, exam_id: int, criterion_id: int, raw_value: str | None) -> GridState:
    """Set one criterion of the juror's own grid (idempotent)."""
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        criterion = criterion_of(access, criterion_id)
        value = parse_value(raw_value)
        _require_unlocked(access)
        _require_phase(access.exam, GRADING)
        _require_may_write(access)
        declaration = _require_no_conflict(access)
        if not access.identity_checked:
            raise Conflict(MSG_IDENTITY_FIRST)
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
    return GridState(access, marks, rules.score(access.layout.scheme, marks), declaration)


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
    return Progress(own, sum(counts.values()), len(access.layout.criteria))


def _require_may_write(access: ExamAccess) -> None:
    """Nothing is written in a cancelled or closed session, by a juror without habilitation,
    nor, while grading, for a candidate absent or moved or on a stopped jury (carence)."""
    refusal = access.write_refusal
    if refusal is not None:
        raise Conflict(refusal)


def _require_unlocked(access: ExamAccess) -> None:
    """Signed minutes lock the session's grades: say so before anything about phases."""
    if access.minutes_locked:
        raise Conflict(MSG_MINUTES_SIGNED.format(number=access.session_number))


def _require_phase(exam: Exam, phase: str) -> None:
    if exam.phase == phase:
        return
    if exam.phase == CLOSED:
        raise Conflict(MSG_CLOSED)
    if exam.phase == DELIBERATION:
        raise Conflict(MSG_GRID_LOCKED)
    raise Conflict("La délibération n'est pas encore ouverte pour ce candidat.")


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
    keys = access.layout.scheme.criteria
    final = rules.merge_grids(keys, president_marks, other_marks, jury_marks)
    result = rules.score(access.layout.scheme, rules.final_values(final))
    return Deliberation(access, president_marks, other_marks, jury_marks, final, result)


def _sitting_conflict(exam: Exam) -> bool:
    """A juror of the exam's jury declared knowing the candidate."""
    return db.session.scalar(
        db.select(ConflictDeclaration.id)
        .join(JuryMember, and_(JuryMember.jury_id == exam.jury_id,
                               JuryMember.juror_id == ConflictDeclaration.juror_id))
        .where(ConflictDeclaration.exam_id == exam.id, ConflictDeclaration.has_conflict.is_(True))
        .limit(1)) is not None


def _president_access(user, exam_id: int, phase: str) -> ExamAccess:
    access = exam_access(user, exam_id, lock=True)
    if not access.is_president(user):
        raise Forbidden(MSG_PRESIDENT_ONLY)
    _require_unlocked(access)
    _require_phase(access.exam, phase)
    _require_may_write(access)
    return access


def open_deliberation(user, exam_id: int) -> None:
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        if access.jury_president_id is None:
            raise Conflict("Aucun président n'est nommé pour ce jury : le responsable "
                           "d'organisation doit en nommer un avant la délibération.")
        if not access.is_president(user):
            raise Forbidden(MSG_PRESIDENT_ONLY)
        _require_phase(access.exam, GRADING)
        _require_may_write(access)
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


def close_deliberation(user, exam_id: int, *, confirmed: bool, comment: str | None = None) -> None:
    """Close for good: the comment sent with the closing is saved first, in the same transaction."""
    with write_transaction():
        access = _president_access(user, exam_id, DELIBERATION)
        if not confirmed:
            raise InvalidInput("Cochez la case de confirmation pour clore la délibération.")
        if comment is not None:
            _apply_comment(user, access.exam, comment)
        state = _deliberation_state(access)
        if state.result.decision is None:
            raise Conflict("La grille finale est incomplète : la délibération ne peut pas être close.")
        exam = access.exam
        exam.phase = CLOSED
        exam.closed_at = utcnow()
        exam.closed_by_id = user.id
        exam.total = state.result.total
        exam.decision = state.result.decision
        record(user, "deliberation.close", "exam", exam_id, DELIBERATION, CLOSED,
               decision=exam.decision, total=None if exam.total is None else str(exam.total))


def exam_history(viewer, exam_id: int) -> tuple[Exam, list[AuditEntry]]:
    """Every recorded change to an exam's grids and deliberation, oldest first.

    A viewer who also sits on this exam's jury sees it only once grading is over,
    so the history cannot reveal the other juror's marks.
    """
    exam = get_row(Exam, exam_id, "Examen introuvable.")
    sits = db.session.scalar(db.select(JuryMember.id).filter_by(
        jury_id=exam.jury_id, juror_id=viewer.id))
    if sits is not None and exam.phase == GRADING:
        raise Conflict("Vous êtes juré de cet examen : son historique sera visible "
                       "à l'ouverture de la délibération.")
    grid_ids = db.select(Grid.id).where(Grid.exam_id == exam_id).scalar_subquery()
    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(db.or_(db.and_(AuditEntry.entity == "exam", AuditEntry.entity_id == exam_id),
                      db.and_(AuditEntry.entity == "grid", AuditEntry.entity_id.in_(grid_ids))))
        .options(db.joinedload(AuditEntry.actor))
        .order_by(AuditEntry.at, AuditEntry.id)).unique().all()
    return exam, entries


# Why a row of the juror's list is no longer theirs to grade (None: still theirs).
NOT_SITTING_LABELS = {MOVED: "Reporté", ABSENT_EXCUSED: "Absent", ABSENT_UNEXCUSED: "Absent"}
LABEL_CARENCE = "Jury arrêté (carence)"
TODAY, UPCOMING, PAST = "today", "upcoming", "past"


@dataclass
class JurorExam:
    exam: Exam
    marked: int
    criteria: int
    declaration: ConflictDeclaration | None = None

    @property
    def not_sitting(self) -> str | None:
        """"Reporté", "Absent" or "Jury arrêté (carence)" when the juror no longer grades
        this candidate here (same rule as ExamAccess.write_refusal); None otherwise."""
        if self.exam.status in NOT_SITTING_LABELS:
            return NOT_SITTING_LABELS[self.exam.status]
        if self.exam.phase == GRADING and self.exam.jury.stopped_at is not None:
            return LABEL_CARENCE
        return None

    @property
    def must_declare(self) -> bool:
        return (self.exam.phase == GRADING and self.declaration is None
                and self.not_sitting is None)


@dataclass
class JurorJury:
    jury: Jury
    rows: list[JurorExam]


@dataclass
class JurorSession:
    session: ExamSession
    layout: Layout
    when: str  # TODAY, UPCOMING or PAST (Paris days)
    juries: list[JurorJury]


def _when(starts_at, today) -> str:
    day = to_paris(starts_at).date()
    return TODAY if day == today else (UPCOMING if day > today else PAST)


def juror_sessions(user) -> list[JurorSession]:
    """The sessions `user` sits on, with each jury's exams and how far their own grid is.

    Today's sessions first, then the upcoming ones (soonest first), then the past ones
    (latest first); juries by position, exams by slot. A fixed number of statements.
    """
    exams = db.session.scalars(
        db.select(Exam).join(JuryMember, JuryMember.jury_id == Exam.jury_id)
        .where(JuryMember.juror_id == user.id)
        .options(db.joinedload(Exam.jury).joinedload(Jury.session))
        .order_by(Exam.starts_at, Exam.position, Exam.id)).unique().all()
    marked = dict(db.session.execute(
        db.select(Grid.exam_id, func.count(Mark.id)).join(Mark, Mark.grid_id == Grid.id)
        .where(Grid.juror_id == user.id).group_by(Grid.exam_id)).all())
    declared = {d.exam_id: d for d in db.session.scalars(
        db.select(ConflictDeclaration).where(ConflictDeclaration.juror_id == user.id))}
    today = to_paris(utcnow()).date()
    sessions: dict[int, JurorSession] = {}
    juries: dict[int, JurorJury] = {}
    for exam in exams:
        jury, session = exam.jury, exam.jury.session
        if session.id not in sessions:
            sessions[session.id] = JurorSession(session, layout(session.referential_id),
                                                _when(session.starts_at, today), [])
        if jury.id not in juries:
            juries[jury.id] = JurorJury(jury, [])
            sessions[session.id].juries.append(juries[jury.id])
        group = sessions[session.id]
        juries[jury.id].rows.append(JurorExam(exam, marked.get(exam.id, 0),
                                              len(group.layout.criteria), declared.get(exam.id)))
    for group in sessions.values():
        group.juries.sort(key=lambda j: (j.jury.position, j.jury.id))
    order = {TODAY: 0, UPCOMING: 1, PAST: 2}
    result = sorted(sessions.values(), key=lambda g: (order[g.when], g.session.starts_at, g.session.id))
    past = [g for g in result if g.when == PAST]
    return [g for g in result if g.when != PAST] + past[::-1]
