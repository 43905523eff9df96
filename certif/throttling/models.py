from ..extensions import db
from ..timeutil import utcnow


class ThrottleHit(db.Model):
    """One counted event (a failed login, a wrong code…) in a bucket such as
    ``login-account:jane@x.fr`` or ``login-ip:203.0.113.9``."""

    __tablename__ = "throttle_hits"

    id = db.Column(db.Integer, primary_key=True)
    bucket = db.Column(db.String(300), nullable=False)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.Index("ix_throttle_hits_bucket_at", "bucket", "at"),
                      db.Index("ix_throttle_hits_at", "at"))
