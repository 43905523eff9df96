from ..extensions import db
from ..people import PersonName
from ..timeutil import utcnow

PATHWAYS = {"training": "Formation", "vae": "VAE"}


class Candidate(PersonName, db.Model):
    """A person who sits the certification. Candidates have no account."""

    __tablename__ = "candidates"

    id = db.Column(db.Integer, primary_key=True)
    first_name = db.Column(db.String(100), nullable=False)
    last_name = db.Column(db.String(100), nullable=False)
    email = db.Column(db.String(254), nullable=True)
    phone = db.Column(db.String(40), nullable=True)
    training_end_date = db.Column(db.Date, nullable=True)
    pathway = db.Column(db.String(20), nullable=False, default="training")
    # Decided with the disability referent (seed 000, I.D.3).
    accommodation = db.Column(db.Text, nullable=True)
    extra_minutes = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
