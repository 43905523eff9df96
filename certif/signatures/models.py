"""Signatures given in the browser, each with the evidence of who signed what, when and how."""
from ..extensions import db
from ..timeutil import utcnow

# What is signed, and which row the subject id points to.
CANDIDATE_ATTENDANCE = "candidate_attendance"  # annex 1, subject: exams.id
JURY_ATTENDANCE = "jury_attendance"  # annex 2, subject: exams.id (each juror, each exam)
CONDITIONS = "conditions"  # annex 4, subject: conditions_sheets.id
MINUTES = "minutes"  # annex 5 (general and individual minutes, grids), subject: minutes.id
ANOMALY = "anomaly"  # annex 3, the observer's signature, subject: anomaly_sheets.id
COUNCIL_OPINION = "council_opinion"  # annex 3's council opinion, subject: council_reviews.id
PROFESSIONALISATION = "professionalisation"  # annex 7's attestation, subject: juror_training_invitations.id
CONFIDENTIALITY = "confidentiality"  # a juror's attestation (seed 001, 5-3-4), subject: exams.id
DOCUMENTS = {
    CANDIDATE_ATTENDANCE: "Feuille d'émargement du candidat (annexe 1)",
    JURY_ATTENDANCE: "Feuille d'émargement du jury (annexe 2)",
    CONDITIONS: "Fiche de validation des conditions d'examen (annexe 4)",
    MINUTES: "Procès-verbal de la certification (annexe 5) et grilles d'évaluation (annexe 6)",
    ANOMALY: "Fiche anomalie (annexe 3)",
    COUNCIL_OPINION: "Avis du comité de pilotage sur une fiche (annexe 3)",
    PROFESSIONALISATION: "Attestation de suivi de la session de professionnalisation (annexe 7)",
    CONFIDENTIALITY: "Attestation de confidentialité du juré (dossier du candidat)",
}
ROLES = {"candidate": "Candidat", "juror": "Juré", "president": "Président du jury",
         "member": "Membre du jury", "organiser": "Responsable d'organisation",
         "council": "Membre du conseil de pilotage"}
METHODS = {"drawn": "Signature manuscrite (tracée)", "typed": "Signature saisie (nom tapé)"}
# How the signer was authenticated when signing.
AUTH_METHODS = {
    "login": "Utilisateur connecté (identifiant et mot de passe)",
    "candidate_link": "Lien à usage unique envoyé au candidat",
    "jury_device": "Sur l'appareil du jury, en présence du juré connecté",
    "candidate_portal": "Lien personnel du candidat (signé, à durée limitée)",
}


class Signature(db.Model):
    __tablename__ = "signatures"

    id = db.Column(db.Integer, primary_key=True)
    document = db.Column(db.String(30), nullable=False)
    subject_id = db.Column(db.Integer, nullable=False)
    # One signature per signer and document: "user:12" or "candidate:5".
    signer_key = db.Column(db.String(40), nullable=False)
    signer_role = db.Column(db.String(20), nullable=False)
    signer_name = db.Column(db.String(200), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    candidate_id = db.Column(db.Integer, db.ForeignKey("candidates.id"), nullable=True)
    method = db.Column(db.String(10), nullable=False)
    image_png = db.Column(db.LargeBinary, nullable=True)  # drawn
    typed_name = db.Column(db.String(200), nullable=True)  # typed
    signed_at = db.Column(db.DateTime, nullable=False, default=utcnow)  # UTC
    ip_address = db.Column(db.String(45), nullable=True)
    user_agent = db.Column(db.String(500), nullable=True)
    auth_method = db.Column(db.String(20), nullable=False)
    auth_detail = db.Column(db.String(300), nullable=True)
    # The exact content signed (canonical JSON) and its SHA-256.
    content = db.Column(db.Text, nullable=False)
    content_sha256 = db.Column(db.String(64), nullable=False)

    user = db.relationship("User", foreign_keys=[user_id])

    __table_args__ = (
        db.UniqueConstraint("document", "subject_id", "signer_key"),
        db.CheckConstraint("method in ('drawn', 'typed')", name="method"),
        db.CheckConstraint(
            "(method = 'drawn' and image_png is not null) or (method = 'typed' and typed_name is not null)",
            name="mark"),
        db.CheckConstraint("auth_method in ('login', 'candidate_link', 'jury_device', 'candidate_portal')",
                           name="auth_method"),
        db.Index("ix_signatures_subject", "document", "subject_id"),
    )

    @property
    def role_label(self) -> str:
        return ROLES.get(self.signer_role, self.signer_role)

    @property
    def method_label(self) -> str:
        return METHODS[self.method]

    @property
    def auth_label(self) -> str:
        return AUTH_METHODS[self.auth_method]
