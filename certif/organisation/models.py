"""The organisation's civil liability insurance policies: every policy recorded is kept (the
history), each with its certificate (attestation d'assurance, a PDF)."""
from ..extensions import db
from ..timeutil import utcnow


class InsurancePolicy(db.Model):
    __tablename__ = "insurance_policies"

    id = db.Column(db.Integer, primary_key=True)
    insurer = db.Column(db.String(200), nullable=False)
    number = db.Column(db.String(100), nullable=False)
    starts_on = db.Column(db.Date, nullable=False)  # first day covered
    ends_on = db.Column(db.Date, nullable=False)  # last day covered
    # The certificate: a random file name under FILES_DIR/uploads/insurance, the name it was
    # sent with, and its fingerprint.
    certificate_file = db.Column(db.String(100), nullable=True)
    certificate_name = db.Column(db.String(255), nullable=True)
    certificate_sha256 = db.Column(db.String(64), nullable=True)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    recorded_by = db.relationship("User")

    __table_args__ = (db.CheckConstraint("ends_on >= starts_on", name="dates"),)
