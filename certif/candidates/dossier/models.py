"""A candidate's file for one certification and every version of each piece handed in.

The file belongs to the candidate and the certification (the referential's code), not to one
sitting: a candidate moved to another session, or sitting again, keeps what they handed in.
A replaced piece is kept (`replaced_at` set): the history lists every version.
"""
from ...extensions import db
from ...timeutil import utcnow


class CandidateFile(db.Model):
    __tablename__ = "candidate_files"

    id = db.Column(db.Integer, primary_key=True)
    candidate_id = db.Column(db.Integer, db.ForeignKey("candidates.id"), nullable=False)
    certification = db.Column(db.String(40), nullable=False)  # Referential.code
    # The organiser's extension of the deadline (a new last day and why).
    extended_until = db.Column(db.Date, nullable=True)
    extension_reason = db.Column(db.Text, nullable=True)
    extended_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    extended_at = db.Column(db.DateTime, nullable=True)
    # The points of the technical dossier's plan (1-based) the organiser found in the dossier.
    plan_checked = db.Column(db.JSON, nullable=False, default=list)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    candidate = db.relationship("Candidate")
    extended_by = db.relationship("User")
    entries = db.relationship("FileEntry", back_populates="file",
                              order_by="(FileEntry.submitted_at, FileEntry.id)")

    __table_args__ = (db.UniqueConstraint("candidate_id", "certification"),)

    def current(self) -> dict[str, "FileEntry"]:
        """The piece key -> its current version."""
        return {e.piece: e for e in self.entries if e.replaced_at is None}


class FileEntry(db.Model):
    """One version of one piece: a PDF (stored file), a text, a link, a video link, a yes/no."""

    __tablename__ = "candidate_file_entries"

    id = db.Column(db.Integer, primary_key=True)
    file_id = db.Column(db.Integer, db.ForeignKey("candidate_files.id"), nullable=False)
    piece = db.Column(db.String(40), nullable=False)
    value = db.Column(db.Text, nullable=True)  # text, link, "yes" / "no"
    minutes = db.Column(db.Integer, nullable=True)  # a video's declared duration
    stored_name = db.Column(db.String(64), nullable=True)  # the PDF under uploads/dossiers
    filename = db.Column(db.String(255), nullable=True)  # the name it was sent with
    size = db.Column(db.Integer, nullable=True)
    sha256 = db.Column(db.String(64), nullable=True)
    submitted_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    replaced_at = db.Column(db.DateTime, nullable=True)
    receipt_mail_id = db.Column(db.Integer, db.ForeignKey("outgoing_mails.id"), nullable=True)

    file = db.relationship("CandidateFile", back_populates="entries")
    receipt_mail = db.relationship("OutgoingMail")

    __table_args__ = (db.Index("ix_candidate_file_entries_file", "file_id", "piece"),)
