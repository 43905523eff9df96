"""The minutes of a session (annex 5) and the sealed PDFs certif keeps."""
from ..extensions import db
from ..timeutil import utcnow


class Minutes(db.Model):
    """A session's general minutes, with each candidate's individual minutes and final grid.

    The first juror's signature freezes the content (and locks the session's grades);
    every later signature signs that same content.
    """

    __tablename__ = "minutes"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("exam_sessions.id"), nullable=False, unique=True)
    observations = db.Column(db.Text, nullable=True)
    opened_at = db.Column(db.DateTime, nullable=True)  # opening of the session (UTC)
    closed_at = db.Column(db.DateTime, nullable=True)  # closing by the president (UTC)
    place = db.Column(db.String(300), nullable=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    # Frozen at the first signature: canonical JSON of everything signed, and its SHA-256.
    content = db.Column(db.Text, nullable=True)
    content_sha256 = db.Column(db.String(64), nullable=True)
    locked_at = db.Column(db.DateTime, nullable=True)  # grades locked from then on
    signed_at = db.Column(db.DateTime, nullable=True)  # every juror has signed
    visa_at = db.Column(db.DateTime, nullable=True)  # the organiser's visa
    visa_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    session = db.relationship("ExamSession")
    visa_by = db.relationship("User", foreign_keys=[visa_by_id])


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
