"""Exam sessions, their juries, and each candidate's sitting (an exam) before a jury."""
from datetime import timedelta

from sqlalchemy.ext.hybrid import hybrid_property

from ..extensions import db
from ..timeutil import utcnow

MODES = {"remote": "À distance", "on_site": "En présentiel", "both": "À distance et en présentiel"}
# A session's life, forward one step at a time; cancelled at any point before its close.
DRAFT = "draft"
CONVENED = "convened"
IN_PROGRESS = "in_progress"
DELIBERATED = "deliberated"
SESSION_CLOSED = "closed"  # the same word as an exam's CLOSED phase below, not the same thing
CANCELLED = "cancelled"
SESSION_STATUSES = {
    DRAFT: "En préparation",
    CONVENED: "Convocations envoyées",
    IN_PROGRESS: "En cours",
    DELIBERATED: "Délibérée",
    SESSION_CLOSED: "Clôturée",
    CANCELLED: "Annulée",
}
# Juries and their candidates are put together before the day.
PREPARING = (DRAFT, CONVENED)
# Slots can still be reordered or moved on the day (a late candidate, a declared conflict).
PLANNING = (DRAFT, CONVENED, IN_PROGRESS)
WITH_RESULTS = (DELIBERATED, SESSION_CLOSED)  # the decisions are known
FINISHED = (DELIBERATED, SESSION_CLOSED, CANCELLED)
STOPPED = (CANCELLED, SESSION_CLOSED)  # nothing happens in it any more

# An exam's phases: each juror grades alone, then the jury deliberates, then it is closed.
GRADING = "grading"
DELIBERATION = "deliberation"
CLOSED = "closed"
EXAM_PHASES = {GRADING: "Évaluation", DELIBERATION: "Délibération", CLOSED: "Délibération close"}

# Whether the candidate sits: scheduled, absent (excused or not), or moved to another sitting.
SCHEDULED = "scheduled"
ABSENT_EXCUSED = "absent_excused"
ABSENT_UNEXCUSED = "absent_unexcused"
MOVED = "moved"
EXAM_STATUSES = {
    SCHEDULED: "Prévu",
    ABSENT_EXCUSED: "Absent excusé",
    ABSENT_UNEXCUSED: "Absent non excusé",
    MOVED: "Reporté",
}
# What a scheduled sitting is once graded (its phase past grading): never "Prévu".
SITTING_DONE = {DELIBERATION: "En délibération", CLOSED: "Évalué"}


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
    # For a remote session: what the candidate needs (told in the convocation).
    technical_requirements = db.Column(db.Text, nullable=True)
    status = db.Column(db.String(20), nullable=False, default=DRAFT)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    cancelled_at = db.Column(db.DateTime, nullable=True)
    cancel_reason = db.Column(db.Text, nullable=True)
    # A replacement session (carence): the jury that could not sit.
    replaces_jury_id = db.Column(db.Integer, db.ForeignKey("juries.id", use_alter=True,
                                                           name="fk_exam_sessions_replaces_jury_id_juries"),
                                 nullable=True)

    referential = db.relationship("Referential")
    replaces_jury = db.relationship("Jury", foreign_keys=[replaces_jury_id], post_update=True)
    juries = db.relationship("Jury", back_populates="session", order_by="Jury.position",
                             foreign_keys="Jury.session_id",
                             cascade="all, delete-orphan")

    __table_args__ = (
        db.CheckConstraint("mode in ('remote', 'on_site', 'both')", name="mode"),
    )

    @property
    def mode_label(self) -> str:
        return MODES[self.mode]

    @property
    def status_label(self) -> str:
        return SESSION_STATUSES[self.status]

    # For templates, which compare no status strings.
    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    @property
    def is_convened_or_open(self) -> bool:
        """Convened or opened on the exam day: its juries are to sit."""
        return self.status in (CONVENED, IN_PROGRESS)

    @property
    def is_closed(self) -> bool:
        return self.status == SESSION_CLOSED

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def is_stopped(self) -> bool:
        """Cancelled or closed: nothing happens in it any more."""
        return self.status in STOPPED

    @property
    def is_remote(self) -> bool:
        return self.mode in ("remote", "both")


class Jury(db.Model):
    """Two distinct jurors; the president, named at the start of the session, has the casting vote."""

    __tablename__ = "juries"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("exam_sessions.id"), nullable=False)
    position = db.Column(db.Integer, nullable=False, default=1)
    president_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Carence: a juror was absent, the jury cannot sit; its candidates go to a replacement session.
    stopped_at = db.Column(db.DateTime, nullable=True)
    absent_juror_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    stop_reason = db.Column(db.Text, nullable=True)

    session = db.relationship("ExamSession", back_populates="juries", foreign_keys=[session_id])
    absent_juror = db.relationship("User", foreign_keys=[absent_juror_id])
    president = db.relationship("User", foreign_keys=[president_id])
    members = db.relationship("JuryMember", order_by="JuryMember.seat", lazy="selectin",
                              cascade="all, delete-orphan")
    exams = db.relationship("Exam", back_populates="jury", order_by="(Exam.position, Exam.id)")

    @property
    def label(self) -> str:
        return f"Jury {self.position}"

    @property
    def jurors(self) -> list:
        return [m.juror for m in self.members]

    @hybrid_property
    def sits(self) -> bool:
        """Whether the jury sits: not stopped by a juror's absence (carence). Also a SQL
        expression: `where(Jury.sits)`, `where(~Jury.sits)` for the stopped ones."""
        return self.stopped_at is None

    @sits.inplace.expression
    @classmethod
    def _sits_expression(cls):
        return cls.stopped_at.is_(None)

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
    # Order of the slot within its jury; start times follow from it.
    position = db.Column(db.Integer, nullable=False, default=1)
    status = db.Column(db.String(20), nullable=False, default=SCHEDULED)
    # A sitting moved to another session (absence, carence, conflict) points to the new one.
    moved_to_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=True)
    # A retake points to the failed attempt it follows.
    retake_of_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=True)
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
    moved_to = db.relationship("Exam", foreign_keys=[moved_to_id], remote_side=[id])
    retake_of = db.relationship("Exam", foreign_keys=[retake_of_id], remote_side=[id])

    __table_args__ = (
        db.CheckConstraint("phase in ('grading', 'deliberation', 'closed')", name="phase"),
        db.CheckConstraint(
            "status in ('scheduled', 'absent_excused', 'absent_unexcused', 'moved')",
            name="status"),
        db.Index("ix_exams_jury", "jury_id"),
        db.Index("ix_exams_candidate", "candidate_id"),
    )

    @property
    def phase_label(self) -> str:
        return EXAM_PHASES[self.phase]

    # The phase as the templates ask it: they never compare phase strings.
    @property
    def is_grading(self) -> bool:
        return self.phase == GRADING

    @property
    def is_deliberating(self) -> bool:
        return self.phase == DELIBERATION

    @property
    def is_closed(self) -> bool:
        return self.phase == CLOSED

    @property
    def status_label(self) -> str:
        """"Prévu" only while the candidate is still to be graded: a sitting whose deliberation
        is open says so, a closed one "Évalué" (issue 13, item 9)."""
        if self.is_active and not self.is_grading:
            return SITTING_DONE[self.phase]
        return EXAM_STATUSES[self.status]

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @hybrid_property
    def is_active(self) -> bool:
        """Still to sit (or sitting): not absent, not moved elsewhere (whatever its jury).
        Also a SQL expression: `where(Exam.is_active)`."""
        return self.status == SCHEDULED

    @is_active.inplace.expression
    @classmethod
    def _is_active_expression(cls):
        return cls.status == SCHEDULED

    @property
    def sits(self) -> bool:
        """On its jury's attendance sheet: still expected, before a jury that sits. In SQL,
        join the jury and filter on both halves: `where(Exam.is_active, Jury.sits)`."""
        return self.is_active and self.jury.sits
