"""The lines declared to the Caisse des Dépôts and the files that carried them."""
from ..extensions import db
from ..timeutil import utcnow

DECLARED, ACCEPTED, REJECTED = "declared", "accepted", "rejected"


class CdcFile(db.Model):
    """One generated XML file (a `flux` of the CDC's schema), kept as sent."""

    __tablename__ = "cdc_files"

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.Integer, nullable=False, unique=True)
    flux_id = db.Column(db.String(50), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    line_count = db.Column(db.Integer, nullable=False)
    xml = db.Column(db.Text, nullable=False)

    created_by = db.relationship("User")

    @property
    def filename(self) -> str:
        return f"cdc-accrochage-{self.number:04d}.xml"


class CdcDeclaration(db.Model):
    """A certificate once sent to the CDC: its passage's stable technical id (a corrected line
    goes again under the same id), the last file that carried it and the CDC's answer."""

    __tablename__ = "cdc_declarations"

    id = db.Column(db.Integer, primary_key=True)
    certificate_id = db.Column(db.Integer, db.ForeignKey("certificates.id"), nullable=False,
                               unique=True)
    technical_id = db.Column(db.String(255), nullable=False, unique=True)
    file_id = db.Column(db.Integer, db.ForeignKey("cdc_files.id"), nullable=False)
    status = db.Column(db.String(10), nullable=False, default=DECLARED)
    # SHA-256 of the line's data as last sent: a rejected line goes again once it changed.
    sent_fingerprint = db.Column(db.String(64), nullable=False)
    rejection_reason = db.Column(db.Text, nullable=True)
    answered_at = db.Column(db.DateTime, nullable=True)
    answered_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    certificate = db.relationship("Certificate")
    file = db.relationship("CdcFile")

    __table_args__ = (
        db.CheckConstraint("status in ('declared', 'accepted', 'rejected')", name="status"),
        db.CheckConstraint("(status = 'rejected') = (rejection_reason is not null)",
                           name="rejection_reason"),
    )
