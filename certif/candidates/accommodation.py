"""A candidate's disability accommodation (seed 000, I.D.3): who decided it with whom, when,
and what it grants.

The measures themselves stay on the candidate (`Candidate.extra_minutes`, which times the
slots, and `Candidate.accommodation`, the other measures as text): the jurors, the
convocation and the minutes read them. This record adds the procedure: the disability
referent, the request's date, the decision and its date, and medical details that only the
organiser reads (never shown to the jurors, never in a signed document).
"""
from ..extensions import db
from ..timeutil import utcnow

GRANTED = "granted"
REFUSED = "refused"
PENDING = "pending"
DECISIONS = {PENDING: "En attente de décision", GRANTED: "Accordé", REFUSED: "Refusé"}


class Accommodation(db.Model):
    __tablename__ = "accommodations"

    id = db.Column(db.Integer, primary_key=True)
    candidate_id = db.Column(db.Integer, db.ForeignKey("candidates.id"), nullable=False, unique=True)
    referent = db.Column(db.String(200), nullable=False)  # the disability referent
    requested_on = db.Column(db.Date, nullable=False)
    decision = db.Column(db.String(10), nullable=False, default=PENDING)
    decided_on = db.Column(db.Date, nullable=True)
    medical_details = db.Column(db.Text, nullable=True)  # organiser only
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    # `candidate.accommodation_record`: the candidate's page shows it (never to a juror).
    candidate = db.relationship("Candidate", backref=db.backref("accommodation_record", uselist=False))

    __table_args__ = (
        db.CheckConstraint("decision in ('pending', 'granted', 'refused')", name="decision"),
    )

    @property
    def decision_label(self) -> str:
        return DECISIONS[self.decision]

    @property
    def summary(self) -> str:
        """For the audit log: the procedure, never the medical details."""
        decided = f" le {self.decided_on.isoformat()}" if self.decided_on else ""
        return (f"référent {self.referent}, demande du {self.requested_on.isoformat()}, "
                f"{self.decision_label.lower()}{decided}")
