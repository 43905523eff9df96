"""Exam sessions, their juries, and each candidate's sitting (an exam) before a jury."""
from ..extensions import db
from ..timeutil import utcnow

MODES = {"remote": "À distance", "on_site": "En présentiel", "both": "À distance et en présentiel"}
SESSION_STATUSES = {
    "draft": "En préparation",
    "convened": "Convocations envoyées",
    "in_progress": "En cours",
    "deliberated": "Délibérée",
    "closed": "Clôturée",
    "cancelled": "Annulée",
}

# An exam's phases: each juror grades alone, then the jury deliberates, then it is closed.
GRADING = "grading"
DELIBERATION = "deliberation"
CLOSED = "closed"
EXAM_PHASES = {GRADING: "Évaluation", DELIBERATION: "Délibération", CLOSED: "Délibération close"}


class ExamSession(db.Model):
    __tablename__ = "exam_sessions"

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.String(40), nullable=False, unique=True)
    # The referential version the session is graded with, pinned at creation.
    referential_id = db.Column(db.Integer, db.ForeignKey("referentials.id"), nullable=False)
    starts_at = db.Column(db.DateTime, nullable=False)  # UTC
    mode = db.Column(db.String(10), nullable=False, default="remote")
    place = db.Column(db.String(300), nullable=True)
    video_link = db.Column(db.String(500), nullable=True)
    status = db.Column(db.String(20), nullable=False, default="draft")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    referential = db.relationship("Referential")
    juries = db.relationship("Jury", back_populates="session", order_by="Jury.position",
                             cascade="all, delete-orphan")

    __table_args__ = (
        db.CheckConstraint("mode in ('remote', 'on_site', 'both')", name="mode"),
    )

    @property
    def mode_label(self) -> str:
        return MODES[self.mode]


class Jury(db.Model):
    """Two distinct jurors; the president, named at the start of the session, has the casting vote."""

    __tablename__ = "juries"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("exam_sessions.id"), nullable=False)
    position = db.Column(db.Integer, nullable=False, default=1)
    president_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    session = db.relationship("ExamSession", back_populates="juries")
    president = db.relationship("User", foreign_keys=[president_id])
    members = db.relationship("JuryMember", order_by="JuryMember.seat", lazy="selectin",
                              cascade="all, delete-orphan")
    exams = db.relationship("Exam", back_populates="jury", order_by="Exam.starts_at")

    @property
    def label(self) -> str:
        return f"Jury {self.position}"

    @property
    def jurors(self) -> list:
        return [m.juror for m in self.members]

    def other_juror(self, user):
        return next((j for j in self.jurors if j.id != user.id), None)


class JuryMember(db.Model):
    __tablename__ = "jury_members"

    id = db.Column(db.Integer, primary_key=True)
    jury_id = db.Column(db.Integer, db.ForeignKey("juries.id", ondelete="CASCADE"), nullable=False)
    juror_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    seat = db.Column(db.Integer, nullable=False)

    juror = db.relationship("User", lazy="joined")

    __table_args__ = (
        # At most two seats, each taken by a different juror.
        db.UniqueConstraint("jury_id", "seat"),
        db.UniqueConstraint("jury_id", "juror_id"),
        db.CheckConstraint("seat in (1, 2)", name="two_seats"),
        db.Index("ix_jury_members_juror", "juror_id"),
    )


class Exam(db.Model):
    """A candidate's sitting before a jury: a timed slot, two grids, one deliberation."""

    __tablename__ = "exams"

    id = db.Column(db.Integer, primary_key=True)
    jury_id = db.Column(db.Integer, db.ForeignKey("juries.id"), nullable=False)
    candidate_id = db.Column(db.Integer, db.ForeignKey("candidates.id"), nullable=False)
    starts_at = db.Column(db.DateTime, nullable=False)  # UTC
    duration_minutes = db.Column(db.Integer, nullable=False)
    attempt = db.Column(db.Integer, nullable=False, default=1)
    phase = db.Column(db.String(20), nullable=False, default=GRADING)
    # The jury's president when the deliberation opened: whose grid has the casting vote.
    president_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    president_comment = db.Column(db.Text, nullable=True)
    deliberation_opened_at = db.Column(db.DateTime, nullable=True)
    closed_at = db.Column(db.DateTime, nullable=True)
    closed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    # The official result, frozen when the deliberation is closed.
    total = db.Column(db.Numeric(6, 2), nullable=True)
    decision = db.Column(db.String(20), nullable=True)

    jury = db.relationship("Jury", back_populates="exams")
    candidate = db.relationship("Candidate", lazy="joined")
    closed_by = db.relationship("User", foreign_keys=[closed_by_id])
    president = db.relationship("User", foreign_keys=[president_id])

    __table_args__ = (
        db.CheckConstraint("phase in ('grading', 'deliberation', 'closed')", name="phase"),
        db.Index("ix_exams_jury", "jury_id"),
    )

    @property
    def phase_label(self) -> str:
        return EXAM_PHASES[self.phase]
