from ..extensions import db
from ..sessions.references import CONVOCATIONS, register_exam_column
from ..timeutil import utcnow

CANDIDATE = "candidate"
JUROR = "juror"
CHANNELS = {"email": "Par e-mail", "hand": "Remise en main propre"}


class Convocation(db.Model):
    """One sending of a convocation: to a candidate (for an exam) or to a juror (for a session)."""

    __tablename__ = "convocations"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(10), nullable=False)
    session_id = db.Column(db.Integer, db.ForeignKey("exam_sessions.id"), nullable=False)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=True)
    juror_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    channel = db.Column(db.String(10), nullable=False)
    sent_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    recipient = db.Column(db.String(254), nullable=True)  # the email address it went to
    handed_on = db.Column(db.Date, nullable=True)  # hand delivery: when …
    handed_by = db.Column(db.String(200), nullable=True)  # … and who handed it
    # What the convocation announced: a later change of time makes it outdated.
    announced_start = db.Column(db.DateTime, nullable=False)
    # SHA-256 of the other facts it announced (mode, place, link, duration, a juror's slots):
    # a later change of any of them makes it outdated too.
    announced_facts = db.Column(db.String(64), nullable=True)
    pdf_sha256 = db.Column(db.String(64), nullable=False)
    mail_id = db.Column(db.Integer, db.ForeignKey("outgoing_mails.id"), nullable=True)

    session = db.relationship("ExamSession")
    exam = db.relationship("Exam")
    juror = db.relationship("User", foreign_keys=[juror_id])
    sent_by = db.relationship("User", foreign_keys=[sent_by_id])
    mail = db.relationship("OutgoingMail")

    __table_args__ = (
        db.CheckConstraint("kind in ('candidate', 'juror')", name="kind"),
        db.CheckConstraint("channel in ('email', 'hand')", name="channel"),
        db.CheckConstraint(
            "(kind = 'candidate' and exam_id is not null) or (kind = 'juror' and juror_id is not null)",
            name="target"),
        db.Index("ix_convocations_exam", "exam_id"),
        db.Index("ix_convocations_session_juror", "session_id", "juror_id"),
    )

    @property
    def channel_label(self) -> str:
        return CHANNELS[self.channel]


# Sessions must not simply delete an exam whose candidate was convened (see sessions.references).
register_exam_column(CONVOCATIONS, Convocation.exam_id)
