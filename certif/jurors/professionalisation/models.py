"""A professionalisation session and the jurors invited to it (with their attendance)."""
from ...extensions import db
from ...timeutil import utcnow

ON_SITE = "on_site"
REMOTE = "remote"
MODES = {ON_SITE: "Présentiel", REMOTE: "Distanciel"}


class ProfessionalisationSession(db.Model):
    """A session explaining the certification's modalities and expectations to jurors."""

    __tablename__ = "juror_trainings"

    id = db.Column(db.Integer, primary_key=True)
    referential_id = db.Column(db.Integer, db.ForeignKey("referentials.id"), nullable=False)
    starts_at = db.Column(db.DateTime, nullable=False)  # UTC
    mode = db.Column(db.String(10), nullable=False)
    place = db.Column(db.String(300), nullable=True)  # présentiel
    video_link = db.Column(db.String(500), nullable=True)  # distanciel
    content = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    referential = db.relationship("Referential")
    created_by = db.relationship("User")
    invitations = db.relationship("ProfessionalisationInvitation", back_populates="session",
                                  cascade="all, delete-orphan")

    __table_args__ = (
        db.CheckConstraint("mode in ('on_site', 'remote')", name="mode"),
        db.CheckConstraint("(mode = 'on_site' and place is not null) or "
                           "(mode = 'remote' and video_link is not null)", name="where"),
    )

    @property
    def mode_label(self) -> str:
        return MODES[self.mode]

    @property
    def where(self) -> str:
        return self.place if self.mode == ON_SITE else self.video_link


class ProfessionalisationInvitation(db.Model):
    """A juror invited to a session; `attended` None until the organiser records it."""

    __tablename__ = "juror_training_invitations"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("juror_trainings.id", ondelete="CASCADE"),
                           nullable=False)
    juror_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    invited_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    invited_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    mail_id = db.Column(db.Integer, db.ForeignKey("outgoing_mails.id"), nullable=True)
    attended = db.Column(db.Boolean, nullable=True)
    recorded_at = db.Column(db.DateTime, nullable=True)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    session = db.relationship("ProfessionalisationSession", back_populates="invitations")
    juror = db.relationship("User", foreign_keys=[juror_id])
    mail = db.relationship("OutgoingMail")

    __table_args__ = (
        db.UniqueConstraint("session_id", "juror_id"),
        db.Index("ix_juror_training_invitations_juror_id", "juror_id"),
    )
