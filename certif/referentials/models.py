"""Referentials (certifications) imported from the YAML files, one row per version."""
from ..extensions import db
from ..timeutil import utcnow
from .deliverables import Deliverables, deliverables_of
from .registration import Registration, registration_of


class Referential(db.Model):
    __tablename__ = "referentials"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(40), nullable=False)
    version = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(400), nullable=False)
    document_title = db.Column(db.String(400), nullable=False)
    rule = db.Column(db.String(20), nullable=False)
    max_points = db.Column(db.Numeric(6, 2), nullable=True)
    pass_mark = db.Column(db.Numeric(6, 2), nullable=True)
    exam_minutes = db.Column(db.Integer, nullable=False)
    # Everything else of the file (registration, modalities, deliverables), for documents.
    details = db.Column(db.JSON, nullable=False, default=dict)
    source_sha256 = db.Column(db.String(64), nullable=False)
    imported_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    blocks = db.relationship("RefBlock", order_by="RefBlock.position", cascade="all, delete-orphan")
    competencies = db.relationship("RefCompetency", order_by="RefCompetency.position",
                                   cascade="all, delete-orphan")

    __table_args__ = (db.UniqueConstraint("code", "version"),)

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def registered_title(self) -> str:
        """The title as registered (France Compétences): certificate, convocations, emails."""
        return (self.details or {}).get("registered_title") or self.title

    @property
    def annex_heading(self) -> str:
        """The heading the procedure's annexes print (attendance sheets, minutes, grids…)."""
        return self.document_title

    @property
    def registration(self) -> dict:
        return (self.details or {}).get("registration") or {}

    @property
    def registration_facts(self) -> Registration:
        """The registration's facts, read (register, number, level, decision, period)."""
        return registration_of(self.code, self.details)

    @property
    def exam_parts(self) -> list[dict]:
        """The exam's parts in order ({title, minutes, description}), checked by the loader."""
        return ((self.details or {}).get("exam") or {}).get("parts") or []

    @property
    def habilitation(self) -> dict:
        """Who may sit on its juries: the file's `habilitation` section (jurors.rules)."""
        return (self.details or {}).get("habilitation") or {}

    @property
    def livret_pathways(self) -> tuple[str, ...]:
        """The pathways whose candidates keep a livret d'évaluation (seed 001, 5-2-4)."""
        return tuple(((self.details or {}).get("livret") or {}).get("pathways") or ())

    @property
    def certificate_validity_years(self) -> int | None:
        """How long a certificate is valid after its award; None: without limit."""
        return ((self.details or {}).get("certificate") or {}).get("validity_years")

    @property
    def cdc_certification(self) -> dict:
        """How the Caisse des Dépôts knows it: {"type": "RS"|"RNCP", "code": "6240"|None}
        (the file's `cdc` section; a None code is declared missing: nothing is declared)."""
        section = (self.details or {}).get("cdc") or {}
        return {"type": section.get("type"), "code": section.get("code")}

    @property
    def deliverables(self) -> Deliverables:
        """The pieces of the candidate's file it declares, their deadline and plan."""
        return deliverables_of(self.details)


class RefBlock(db.Model):
    __tablename__ = "ref_blocks"

    id = db.Column(db.Integer, primary_key=True)
    referential_id = db.Column(db.Integer, db.ForeignKey("referentials.id"), nullable=False)
    code = db.Column(db.String(20), nullable=False)
    title = db.Column(db.String(400), nullable=False)
    validation = db.Column(db.Text, nullable=True)
    position = db.Column(db.Integer, nullable=False)

    __table_args__ = (db.UniqueConstraint("referential_id", "code"),)


class RefCompetency(db.Model):
    __tablename__ = "ref_competencies"

    id = db.Column(db.Integer, primary_key=True)
    referential_id = db.Column(db.Integer, db.ForeignKey("referentials.id"), nullable=False)
    block_id = db.Column(db.Integer, db.ForeignKey("ref_blocks.id"), nullable=True)
    code = db.Column(db.String(20), nullable=False)
    section = db.Column(db.String(400), nullable=True)
    title = db.Column(db.Text, nullable=False)
    points = db.Column(db.Numeric(6, 2), nullable=True)
    evaluation = db.Column(db.Text, nullable=True)
    position = db.Column(db.Integer, nullable=False)

    block = db.relationship("RefBlock")
    criteria = db.relationship("RefCriterion", order_by="RefCriterion.position",
                               cascade="all, delete-orphan")

    __table_args__ = (db.UniqueConstraint("referential_id", "code"),)


class RefCriterion(db.Model):
    __tablename__ = "ref_criteria"

    id = db.Column(db.Integer, primary_key=True)
    referential_id = db.Column(db.Integer, db.ForeignKey("referentials.id"), nullable=False)
    competency_id = db.Column(db.Integer, db.ForeignKey("ref_competencies.id"), nullable=False)
    code = db.Column(db.String(20), nullable=False)
    text = db.Column(db.Text, nullable=False)
    position = db.Column(db.Integer, nullable=False)

    __table_args__ = (db.UniqueConstraint("referential_id", "code"),)

    referential = db.relationship("Referential")
