"""A juror's habilitation profile (annex 7) and declarations of (no) conflict of interest."""
from ..extensions import db
from ..timeutil import utcnow

FAVOURABLE = "favourable"
UNFAVOURABLE = "unfavourable"
HABILITATION_RESULTS = {FAVOURABLE: "Favorable", UNFAVOURABLE: "Défavorable"}


class JurorProfile(db.Model):
    """Everything of the habilitation form, one per juror account."""

    __tablename__ = "juror_profiles"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
                        nullable=False, unique=True)
    address = db.Column(db.String(300), nullable=True)
    postal_code = db.Column(db.String(10), nullable=True)
    city = db.Column(db.String(100), nullable=True)
    phone = db.Column(db.String(40), nullable=True)
    profession = db.Column(db.String(200), nullable=True)
    workplace = db.Column(db.String(200), nullable=True)  # lieu d'exercice
    years_experience = db.Column(db.Integer, nullable=True)  # ancienneté
    external = db.Column(db.Boolean, nullable=True)  # external to the organisation
    professionalisation_date = db.Column(db.Date, nullable=True)
    # The CV: a PDF stored under instance/ (never under static/), by a random name.
    cv_file = db.Column(db.String(100), nullable=True)
    cv_original_name = db.Column(db.String(255), nullable=True)
    cv_uploaded_at = db.Column(db.DateTime, nullable=True)
    # The organiser's decision.
    habilitation_result = db.Column(db.String(20), nullable=True)
    habilitation_comment = db.Column(db.Text, nullable=True)
    habilitation_decided_at = db.Column(db.DateTime, nullable=True)
    habilitation_decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User", foreign_keys=[user_id],
                           backref=db.backref("juror_profile", uselist=False))
    habilitation_decided_by = db.relationship("User", foreign_keys=[habilitation_decided_by_id])

    __table_args__ = (
        db.CheckConstraint("habilitation_result in ('favourable', 'unfavourable')",
                           name="habilitation_result"),
        db.CheckConstraint("years_experience >= 0 and years_experience <= 80", name="years"),
    )

    @property
    def is_habilitated(self) -> bool:
        return self.habilitation_result == FAVOURABLE

    @property
    def habilitation_label(self) -> str:
        return HABILITATION_RESULTS.get(self.habilitation_result, "En attente de décision")


class ConflictDeclaration(db.Model):
    """A juror's declaration, before grading, that they do (not) know the candidate."""

    __tablename__ = "conflict_declarations"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False)
    juror_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    has_conflict = db.Column(db.Boolean, nullable=False)
    comment = db.Column(db.Text, nullable=True)
    declared_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    exam = db.relationship("Exam")
    juror = db.relationship("User")

    __table_args__ = (db.UniqueConstraint("exam_id", "juror_id"),)
