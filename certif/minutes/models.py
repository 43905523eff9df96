"""The minutes of a session (annex 5)."""
from ..extensions import db
from ..sessions.locks import register_locked_at
from ..sessions.models import Jury, JuryMember
from ..signatures.models import MINUTES
from ..signatures.readers import register_jurors
from ..timeutil import utcnow

# Who signs the minutes: the jurors (their jury's president, or a member), then the organiser's visa.
PRESIDENT, MEMBER, ORGANISER_ROLE = "president", "member", "organiser"


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


# The layers below the minutes (sessions, exam day, grading) read the grades' lock through this.
register_locked_at(lambda session_id: db.select(Minutes.locked_at)
                   .where(Minutes.session_id == session_id).scalar_subquery())

# The jurors of every jury of the session see the signatures of its minutes.
register_jurors(MINUTES, lambda minutes_id: db.select(JuryMember.juror_id)
                .join(Jury, Jury.id == JuryMember.jury_id)
                .join(Minutes, Minutes.session_id == Jury.session_id)
                .where(Minutes.id == minutes_id))
