"""A candidate's livret: which certification it follows, its evaluations per competency and
its end-of-block projects validated by the pedagogical lead (seed 001, 5-1, 5-2-4)."""
from ...extensions import db
from ...timeutil import utcnow

KINDS = {"quiz": "Quiz", "case_study": "Étude de cas", "practical": "Travaux pratiques",
         "project": "Projet"}
SOURCES = {"organiser": "Saisie par l'organisme", "import": "Importée (organisme partenaire)"}
MAX_PERSON = 200
MAX_COMMENT = 2000


class Livret(db.Model):
    """One per candidate: the certification whose referential its entries follow."""

    __tablename__ = "livrets"

    id = db.Column(db.Integer, primary_key=True)
    candidate_id = db.Column(db.Integer, db.ForeignKey("candidates.id"), nullable=False,
                             unique=True)
    referential_id = db.Column(db.Integer, db.ForeignKey("referentials.id"), nullable=False)
    opened_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    opened_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    candidate = db.relationship("Candidate")
    referential = db.relationship("Referential")
    evaluations = db.relationship("LivretEvaluation", back_populates="livret",
                                  cascade="all, delete-orphan")
    projects = db.relationship("BlockProject", back_populates="livret",
                               cascade="all, delete-orphan")


class LivretEvaluation(db.Model):
    """An evaluation during training of one competency."""

    __tablename__ = "livret_evaluations"

    id = db.Column(db.Integer, primary_key=True)
    livret_id = db.Column(db.Integer, db.ForeignKey("livrets.id"), nullable=False, index=True)
    competency_id = db.Column(db.Integer, db.ForeignKey("ref_competencies.id"), nullable=False)
    evaluated_on = db.Column(db.Date, nullable=False)
    kind = db.Column(db.String(20), nullable=False)
    acquired = db.Column(db.Boolean, nullable=False)
    evaluator = db.Column(db.String(MAX_PERSON), nullable=False)
    comment = db.Column(db.Text, nullable=True)
    source = db.Column(db.String(10), nullable=False, default="organiser")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=True)

    livret = db.relationship("Livret", back_populates="evaluations")
    competency = db.relationship("RefCompetency")

    __table_args__ = (
        db.CheckConstraint("kind in ('quiz', 'case_study', 'practical', 'project')", name="kind"),
        db.CheckConstraint("source in ('organiser', 'import')", name="source"),
    )

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def result_label(self) -> str:
        return "Acquis" if self.acquired else "Non acquis"

    @property
    def summary(self) -> str:
        """For the audit log."""
        return (f"{self.competency.code}, {self.evaluated_on.isoformat()}, {self.kind_label}, "
                f"{self.result_label.lower()}, {self.evaluator}")


class BlockProject(db.Model):
    """The end-of-block project, validated by the pedagogical lead (one per block)."""

    __tablename__ = "livret_block_projects"

    id = db.Column(db.Integer, primary_key=True)
    livret_id = db.Column(db.Integer, db.ForeignKey("livrets.id"), nullable=False)
    block_id = db.Column(db.Integer, db.ForeignKey("ref_blocks.id"), nullable=False)
    validated_on = db.Column(db.Date, nullable=False)
    validated_by = db.Column(db.String(MAX_PERSON), nullable=False)
    comment = db.Column(db.Text, nullable=True)
    source = db.Column(db.String(10), nullable=False, default="organiser")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=True)

    livret = db.relationship("Livret", back_populates="projects")
    block = db.relationship("RefBlock")

    __table_args__ = (
        db.UniqueConstraint("livret_id", "block_id"),
        db.CheckConstraint("source in ('organiser', 'import')", name="source"),
    )

    @property
    def summary(self) -> str:
        return f"{self.block.code}, validé le {self.validated_on.isoformat()} par {self.validated_by}"
