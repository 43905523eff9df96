"""Results sent to candidates, and the certificates (parchemins) of admitted candidates."""
from ..extensions import db
from ..timeutil import utcnow

POST, EMAIL = "post", "email"
ISSUE_CHANNELS = {POST: "Par voie postale", EMAIL: "Par e-mail"}


class ResultNotice(db.Model):
    """One sending of a candidate's result (the history keeps every resending)."""

    __tablename__ = "result_notices"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False)
    decision = db.Column(db.String(20), nullable=False)
    sent_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    mail_id = db.Column(db.Integer, db.ForeignKey("outgoing_mails.id"), nullable=True)

    exam = db.relationship("Exam")
    mail = db.relationship("OutgoingMail")
    sent_by = db.relationship("User")

    __table_args__ = (db.Index("ix_result_notices_exam", "exam_id"),)


class Certificate(db.Model):
    """An admitted candidate's certificate: unique number, verification code, how it was issued."""

    __tablename__ = "certificates"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False, unique=True)
    number = db.Column(db.String(40), nullable=False, unique=True)
    verification_code = db.Column(db.String(20), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    # Issuing (seed 000, I.D.6: by post or email, within 3 weeks).
    channel = db.Column(db.String(10), nullable=True)
    issued_on = db.Column(db.Date, nullable=True)
    issued_at = db.Column(db.DateTime, nullable=True)  # when it was recorded
    issued_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    mail_id = db.Column(db.Integer, db.ForeignKey("outgoing_mails.id"), nullable=True)
    # Revocation by the organiser (a reason always; the public check then says "révoqué").
    revoked_at = db.Column(db.DateTime, nullable=True)
    revoked_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    revocation_reason = db.Column(db.Text, nullable=True)

    exam = db.relationship("Exam")
    mail = db.relationship("OutgoingMail")
    revoked_by = db.relationship("User", foreign_keys=[revoked_by_id])

    __table_args__ = (
        db.CheckConstraint("channel is null or channel in ('post', 'email')", name="channel"),
        db.CheckConstraint("(channel is null) = (issued_on is null)", name="issued"),
        db.CheckConstraint("(revoked_at is null) = (revocation_reason is null)", name="revoked"),
    )

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def channel_label(self) -> str | None:
        return ISSUE_CHANNELS.get(self.channel) if self.channel else None
