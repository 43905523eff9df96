"""The log of an exam's parts (when each started, who moved on) and the jury's coverage marks."""
from ...extensions import db
from ...timeutil import utcnow


class ExamPartStart(db.Model):
    """The president started part `position` (0-based, the referential's order) at `started_at`."""

    __tablename__ = "exam_part_starts"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id", ondelete="CASCADE"), nullable=False)
    position = db.Column(db.Integer, nullable=False)
    started_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    started_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)

    __table_args__ = (db.UniqueConstraint("exam_id", "position"),
                      db.CheckConstraint("position >= 0", name="position"))


class CompetencyCoverage(db.Model):
    """One mark per exam (its jury) and competency: covered by the project, evaluated in
    interview (None: not said yet). Either juror sets it."""

    __tablename__ = "competency_coverages"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id", ondelete="CASCADE"), nullable=False)
    competency_code = db.Column(db.String(20), nullable=False)
    covered_by_project = db.Column(db.Boolean, nullable=True)
    evaluated_in_interview = db.Column(db.Boolean, nullable=True)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("exam_id", "competency_code"),)
