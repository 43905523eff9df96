"""Each juror's own grid and marks, and the values the jury records in deliberation."""
from ..extensions import db
from ..sessions.references import DELIBERATION_MARKS, GRIDS, MARKS, register_exam_column
from ..timeutil import utcnow


class Grid(db.Model):
    __tablename__ = "grids"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False)
    juror_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("exam_id", "juror_id"),)


class Mark(db.Model):
    """A juror's mark on one criterion: acquis (True) or non acquis (False); no row = unmarked."""

    __tablename__ = "marks"

    id = db.Column(db.Integer, primary_key=True)
    grid_id = db.Column(db.Integer, db.ForeignKey("grids.id"), nullable=False)
    criterion_id = db.Column(db.Integer, db.ForeignKey("ref_criteria.id"), nullable=False)
    value = db.Column(db.Boolean, nullable=False)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("grid_id", "criterion_id"),)


class DeliberationMark(db.Model):
    """A value the jury recorded in deliberation, overriding the president's casting vote."""

    __tablename__ = "deliberation_marks"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False)
    criterion_id = db.Column(db.Integer, db.ForeignKey("ref_criteria.id"), nullable=False)
    value = db.Column(db.Boolean, nullable=False)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("exam_id", "criterion_id"),)


class EarlyStart(db.Model):
    """A juror confirmed grading a candidate before the slot's start (the confirmation,
    its time and the slot it preceded are kept, and audited)."""

    __tablename__ = "early_starts"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False)
    juror_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    confirmed_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    slot_starts_at = db.Column(db.DateTime, nullable=False)  # the exam's start then (UTC)

    __table_args__ = (db.UniqueConstraint("exam_id", "juror_id"),)


# Sessions must not re-seat, move or delete an exam a juror started grading (see sessions.references).
register_exam_column(GRIDS, Grid.exam_id)
register_exam_column(MARKS, Grid.exam_id, db.select(Grid.exam_id).join(Mark, Mark.grid_id == Grid.id))
register_exam_column(DELIBERATION_MARKS, DeliberationMark.exam_id)
