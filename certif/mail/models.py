from ..extensions import db
from ..timeutil import utcnow

TRANSPORTS = {"smtp": "Serveur SMTP", "outbox": "Boîte d'envoi locale"}


class OutgoingMail(db.Model):
    """Every message certif sends, kept as the exact .eml file that went out."""

    __tablename__ = "outgoing_mails"

    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sender = db.Column(db.String(254), nullable=False)
    recipients = db.Column(db.String(1000), nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    transport = db.Column(db.String(10), nullable=False)
    status = db.Column(db.String(10), nullable=False, default="sent")
    error = db.Column(db.Text, nullable=True)
    message_id = db.Column(db.String(300), nullable=True)
    eml_file = db.Column(db.String(100), nullable=False)  # under instance/outbox/
    attachments = db.Column(db.JSON, nullable=False, default=list)  # file names

    __table_args__ = (
        db.CheckConstraint("transport in ('smtp', 'outbox')", name="transport"),
        db.CheckConstraint("status in ('sent', 'failed')", name="status"),
    )

    @property
    def transport_label(self) -> str:
        return TRANSPORTS[self.transport]
