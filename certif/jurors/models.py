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
    # The organiser's decisions are per certification: `JurorHabilitation`.
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User", foreign_keys=[user_id],
                           backref=db.backref("juror_profile", uselist=False))

    __table_args__ = (
        db.CheckConstraint("years_experience >= 0 and years_experience <= 80", name="years"),
    )


class JurorHabilitation(db.Model):
    """The organiser's decision on a juror for one certification (a referential's code, all
    versions). No row: not decided yet. Each decision is audited ("juror.decide") with the
    previous result: the audit log keeps the history."""

    __tablename__ = "juror_habilitations"

    id = db.Column(db.Integer, primary_key=True)
    juror_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    referential_code = db.Column(db.String(40), nullable=False)
    result = db.Column(db.String(20), nullable=False)
    comment = db.Column(db.Text, nullable=True)
    decided_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    juror = db.relationship("User", foreign_keys=[juror_id],
                            backref=db.backref("juror_habilitations", cascade="all, delete-orphan",
                                               passive_deletes=True))
    decided_by = db.relationship("User", foreign_keys=[decided_by_id])

    __table_args__ = (
        db.UniqueConstraint("juror_id", "referential_code"),
        db.CheckConstraint("result in ('favourable', 'unfavourable')", name="result"),
    )

    @property
    def is_favourable(self) -> bool:
        return self.result == FAVOURABLE

    @property
    def label(self) -> str:
        return HABILITATION_RESULTS[self.result]


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
