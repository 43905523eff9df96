"""The sealed PDFs certif keeps (minutes, grids, certificates), each with its SHA-256."""
from ..extensions import db
from ..timeutil import utcnow

# Kinds of sealed PDFs, and what their subject id points to.
SEALED_MINUTES = "minutes_general"  # exam_sessions.id
SEALED_INDIVIDUAL = "minutes_individual"  # exams.id
SEALED_GRID = "grid"  # exams.id
SEALED_CERTIFICATE = "certificate"  # certificates.id


class SealedDocument(db.Model):
    """A PDF sealed with the organisation's certificate (pyHanko), kept under FILES_DIR."""

    __tablename__ = "sealed_documents"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(30), nullable=False)
    subject_id = db.Column(db.Integer, nullable=False)
    filename = db.Column(db.String(200), nullable=False)  # the name offered on download
    stored_name = db.Column(db.String(100), nullable=False, unique=True)  # random, under FILES_DIR/sealed
    sha256 = db.Column(db.String(64), nullable=False)
    sealed_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("kind", "subject_id"),)
