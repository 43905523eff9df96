"""Candidates (no account), their retake requests and their appeals."""
import secrets

from ..extensions import db
from ..people import PersonName
from ..timeutil import utcnow

TRAINING, PARTNER, VAE = "training", "partner", "vae"
PATHWAYS = {TRAINING: "Formation dans l'organisme",
            PARTNER: "Formation dans un organisme partenaire", VAE: "VAE"}
RETAKE_CHANNELS = {"organiser": "Par le responsable d'organisation",
                   "candidate": "Par le candidat (lien personnel)"}
APPEAL_CHANNELS = {"organiser": "Enregistré par le responsable d'organisation",
                   "candidate": "Déposé par le candidat (lien personnel)"}
APPEAL_OUTCOMES = {"pending": "En cours d'examen", "upheld": "Recours accepté",
                   "rejected": "Recours rejeté"}


def new_link_nonce() -> str:
    return secrets.token_urlsafe(12)


class Candidate(PersonName, db.Model):
    """A person who sits the certification. Candidates have no account."""

    __tablename__ = "candidates"

    id = db.Column(db.Integer, primary_key=True)
    first_name = db.Column(db.String(100), nullable=False)
    last_name = db.Column(db.String(100), nullable=False)
    birth_date = db.Column(db.Date, nullable=True)
    email = db.Column(db.String(254), nullable=True)
    phone = db.Column(db.String(40), nullable=True)
    address = db.Column(db.String(300), nullable=True)
    postal_code = db.Column(db.String(10), nullable=True)
    city = db.Column(db.String(100), nullable=True)
    training_end_date = db.Column(db.Date, nullable=True)
    pathway = db.Column(db.String(20), nullable=False, default="training")
    # The partner organisation that trains the candidate (pathway « partner » only).
    partner_organisation = db.Column(db.String(200), nullable=True)
    # Decided with the disability referent (seed 000, I.D.3).
    accommodation = db.Column(db.Text, nullable=True)
    extra_minutes = db.Column(db.Integer, nullable=False, default=0)
    # Part of every personal link: changing it revokes the links already sent.
    link_nonce = db.Column(db.String(32), nullable=False, default=new_link_nonce)
    # The holder's civil status for the certificate and the CDC declaration (issue 15; rules
    # and limits in `holder`). `first_name` is the first first name; `birth_name` defaults to
    # `last_name`; `access_mode` is a CDC `modaliteAcces` value (None: from the pathway).
    birth_name = db.Column(db.String(100), nullable=True)
    usage_name = db.Column(db.String(100), nullable=True)
    first_name_2 = db.Column(db.String(100), nullable=True)
    first_name_3 = db.Column(db.String(100), nullable=True)
    sex = db.Column(db.String(1), nullable=True)
    birth_insee_code = db.Column(db.String(5), nullable=True)
    birth_postal_code = db.Column(db.String(5), nullable=True)
    birth_commune = db.Column(db.String(100), nullable=True)
    birth_country_code = db.Column(db.String(3), nullable=True)
    birth_country_name = db.Column(db.String(100), nullable=True)
    access_mode = db.Column(db.String(60), nullable=True)
    # When the candidate last confirmed it from their personal link (None: never).
    holder_confirmed_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=True)

    __table_args__ = (
        db.CheckConstraint("pathway in ('training', 'partner', 'vae')", name="pathway"),
        db.CheckConstraint("extra_minutes >= 0 and extra_minutes <= 240", name="extra_minutes"),
    )

    @property
    def pathway_label(self) -> str:
        return PATHWAYS[self.pathway]

    @property
    def pathway_text(self) -> str:
        """The pathway with the partner organisation's name, for pages and documents."""
        if self.pathway == PARTNER and self.partner_organisation:
            return f"{self.pathway_label} ({self.partner_organisation})"
        return self.pathway_label


class RetakeRequest(db.Model):
    """A failed candidate asks to sit again (within 2 months of the result)."""

    __tablename__ = "retake_requests"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False, unique=True)
    requested_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    channel = db.Column(db.String(20), nullable=False)
    requested_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    # The new attempt, once the organiser has placed it in a session.
    new_exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=True)
    scheduled_at = db.Column(db.DateTime, nullable=True)

    exam = db.relationship("Exam", foreign_keys=[exam_id])
    new_exam = db.relationship("Exam", foreign_keys=[new_exam_id])
    requested_by = db.relationship("User")

    @property
    def channel_label(self) -> str:
        return RETAKE_CHANNELS[self.channel]


class Appeal(db.Model):
    """An appeal to the organisation's management against a result, and its outcome."""

    __tablename__ = "appeals"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False)
    filed_on = db.Column(db.Date, nullable=False)
    grounds = db.Column(db.Text, nullable=False)
    outcome = db.Column(db.String(20), nullable=False, default="pending")
    outcome_text = db.Column(db.Text, nullable=True)
    decided_on = db.Column(db.Date, nullable=True)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Who filed it: the organiser on the candidate's behalf, or the candidate from their link.
    channel = db.Column(db.String(20), nullable=False, default="organiser",
                        server_default="organiser")
    # The email telling the candidate the management's answer (None without an address).
    answer_mail_id = db.Column(db.Integer, db.ForeignKey("outgoing_mails.id"), nullable=True)

    exam = db.relationship("Exam")
    answer_mail = db.relationship("OutgoingMail")

    __table_args__ = (db.CheckConstraint("outcome in ('pending', 'upheld', 'rejected')",
                                         name="outcome"),
                      db.CheckConstraint("channel in ('organiser', 'candidate')", name="channel"))

    @property
    def channel_label(self) -> str:
        return APPEAL_CHANNELS[self.channel]

    @property
    def outcome_label(self) -> str:
        return APPEAL_OUTCOMES[self.outcome]
