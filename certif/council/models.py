"""Anomaly sheets (annex 3), the council's review of a sheet, corrective actions, meetings.

A sheet reaches the council in two ways: an anomaly sheet filed by a juror, the
organiser or a candidate, or an exam-conditions sheet (annex 4) handed with a
condition not respected. The council's opinion on either is a `CouncilReview`
(created when the council first writes on it); the actions it adopts are
`CorrectiveAction`s, followed until verified.
"""
from ..extensions import db
from ..timeutil import utcnow

ANOMALY_TYPES = {
    "technical": "Technique (connexion, visioconférence, matériel)",
    "organisation": "Organisation (convocation, horaires, lieu)",
    "identity": "Contrôle de l'identité ou de la convocation",
    "jury": "Jury (composition, habilitation, impartialité)",
    "timing": "Temps d'examen",
    "accommodation": "Aménagement pour un candidat en situation de handicap",
    "conduct": "Déroulement de l'épreuve (comportement, fraude)",
    "documents": "Documents (émargement, grille, procès-verbal)",
    "other": "Autre",
}
# Who observed the anomaly ("Constatée par").
REPORTER_KINDS = {"juror": "Juré", "organiser": "Responsable d'organisation", "candidate": "Candidat"}

# A corrective action's life: the council proposes, adopts (from then on it is mandatory),
# the owner applies it, the council verifies it with evidence. A proposal may be set aside.
PROPOSED = "proposed"
ADOPTED = "adopted"
IN_PROGRESS = "in_progress"
APPLIED = "applied"
VERIFIED = "verified"
SET_ASIDE = "set_aside"
ACTION_STATUSES = {
    PROPOSED: "Proposée",
    ADOPTED: "Adoptée",
    IN_PROGRESS: "En cours",
    APPLIED: "Appliquée",
    VERIFIED: "Vérifiée",
    SET_ASIDE: "Écartée",
}

ANNUAL = "annual"
EXCEPTIONAL = "exceptional"
MEETING_KINDS = {ANNUAL: "Réunion annuelle", EXCEPTIONAL: "Réunion exceptionnelle"}


class AnomalySheet(db.Model):
    """Annex 3: one sheet per anomaly observed, signed by whoever observed it."""

    __tablename__ = "anomaly_sheets"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("exam_sessions.id"), nullable=False)
    observed_on = db.Column(db.Date, nullable=False)  # "Date de l'épreuve" (Paris day)
    reporter_kind = db.Column(db.String(20), nullable=False)
    reporter_user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    reporter_candidate_id = db.Column(db.Integer, db.ForeignKey("candidates.id"), nullable=True)
    observed_by = db.Column(db.String(200), nullable=False)  # "Constatée par", as printed
    anomaly_type = db.Column(db.String(20), nullable=False)
    type_detail = db.Column(db.String(200), nullable=True)  # what "other" was
    description = db.Column(db.Text, nullable=False)
    consequence = db.Column(db.Text, nullable=False)
    causes = db.Column(db.Text, nullable=True)  # the observer may not know them
    filed_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    session = db.relationship("ExamSession")
    reporter_user = db.relationship("User", foreign_keys=[reporter_user_id])
    reporter_candidate = db.relationship("Candidate", foreign_keys=[reporter_candidate_id])
    review = db.relationship("CouncilReview", uselist=False, back_populates="anomaly_sheet")

    __table_args__ = (
        db.CheckConstraint("reporter_kind in ('juror', 'organiser', 'candidate')", name="reporter_kind"),
        db.CheckConstraint(
            "(reporter_kind = 'candidate' and reporter_candidate_id is not null) or "
            "(reporter_kind != 'candidate' and reporter_user_id is not null)", name="reporter"),
        db.Index("ix_anomaly_sheets_session", "session_id"),
    )

    @property
    def type_label(self) -> str:
        label = ANOMALY_TYPES.get(self.anomaly_type, self.anomaly_type)
        return f"{label} : {self.type_detail}" if self.type_detail else label

    @property
    def reporter_label(self) -> str:
        return REPORTER_KINDS[self.reporter_kind]


class CouncilReview(db.Model):
    """The council's handling of one sheet (anomaly, or conditions with a breach): its
    opinion ("Avis du comité de pilotage": date, commission n°, signature) and its closing."""

    __tablename__ = "council_reviews"

    id = db.Column(db.Integer, primary_key=True)
    anomaly_sheet_id = db.Column(db.Integer, db.ForeignKey("anomaly_sheets.id"), nullable=True, unique=True)
    conditions_sheet_id = db.Column(db.Integer, db.ForeignKey("conditions_sheets.id"), nullable=True,
                                    unique=True)
    opinion_date = db.Column(db.Date, nullable=True)
    commission_number = db.Column(db.String(40), nullable=True)
    opinion = db.Column(db.Text, nullable=True)
    # Signed by a council member (Signature document COUNCIL_OPINION): the opinion is frozen.
    opinion_signed_at = db.Column(db.DateTime, nullable=True)
    opinion_signed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    closed_at = db.Column(db.DateTime, nullable=True)
    closed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    closing_note = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    anomaly_sheet = db.relationship("AnomalySheet", back_populates="review")
    conditions_sheet = db.relationship("ConditionsSheet")
    opinion_signed_by = db.relationship("User", foreign_keys=[opinion_signed_by_id])
    closed_by = db.relationship("User", foreign_keys=[closed_by_id])
    actions = db.relationship("CorrectiveAction", back_populates="review",
                              order_by="CorrectiveAction.id")

    __table_args__ = (
        db.CheckConstraint(
            "(anomaly_sheet_id is null) != (conditions_sheet_id is null)", name="one_sheet"),
    )


class CorrectiveAction(db.Model):
    """An action the council proposes; once adopted it is mandatory, followed to verified."""

    __tablename__ = "corrective_actions"

    id = db.Column(db.Integer, primary_key=True)
    # Adopted on a sheet, at a meeting, or both.
    review_id = db.Column(db.Integer, db.ForeignKey("council_reviews.id"), nullable=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("council_meetings.id"), nullable=True)
    title = db.Column(db.String(300), nullable=False)
    description = db.Column(db.Text, nullable=True)
    # Who applies it: a certif user, or someone without an account (name only).
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    owner_name = db.Column(db.String(200), nullable=False)
    due_on = db.Column(db.Date, nullable=False)
    status = db.Column(db.String(20), nullable=False, default=PROPOSED)
    proposed_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    proposed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    adopted_at = db.Column(db.DateTime, nullable=True)
    adopted_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    started_at = db.Column(db.DateTime, nullable=True)
    applied_at = db.Column(db.DateTime, nullable=True)
    applied_note = db.Column(db.Text, nullable=True)
    verified_at = db.Column(db.DateTime, nullable=True)
    verified_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    # Verification needs evidence: a text, optionally a file (kept under FILES_DIR).
    evidence_text = db.Column(db.Text, nullable=True)
    evidence_file = db.Column(db.String(64), nullable=True)  # random stored name
    evidence_filename = db.Column(db.String(255), nullable=True)  # the name it was sent with
    evidence_mime = db.Column(db.String(100), nullable=True)
    evidence_sha256 = db.Column(db.String(64), nullable=True)
    set_aside_at = db.Column(db.DateTime, nullable=True)
    set_aside_reason = db.Column(db.Text, nullable=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    review = db.relationship("CouncilReview", back_populates="actions")
    meeting = db.relationship("CouncilMeeting", back_populates="actions")
    owner = db.relationship("User", foreign_keys=[owner_id])
    proposed_by = db.relationship("User", foreign_keys=[proposed_by_id])
    adopted_by = db.relationship("User", foreign_keys=[adopted_by_id])
    verified_by = db.relationship("User", foreign_keys=[verified_by_id])

    __table_args__ = (
        db.CheckConstraint(
            "status in ('proposed', 'adopted', 'in_progress', 'applied', 'verified', 'set_aside')",
            name="status"),
        db.CheckConstraint(
            "status != 'verified' or (evidence_text is not null and verified_at is not null)",
            name="verified_has_evidence"),
        db.Index("ix_corrective_actions_review", "review_id"),
        db.Index("ix_corrective_actions_meeting", "meeting_id"),
        db.Index("ix_corrective_actions_status_due", "status", "due_on"),
    )

    @property
    def status_label(self) -> str:
        return ACTION_STATUSES[self.status]


meeting_members = db.Table(
    "council_meeting_members",
    db.Column("meeting_id", db.Integer, db.ForeignKey("council_meetings.id", ondelete="CASCADE"),
              primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id"), primary_key=True),
)
# The sessions whose anomalies a meeting dealt with (what an exceptional meeting is for).
meeting_sessions = db.Table(
    "council_meeting_sessions",
    db.Column("meeting_id", db.Integer, db.ForeignKey("council_meetings.id", ondelete="CASCADE"),
              primary_key=True),
    db.Column("session_id", db.Integer, db.ForeignKey("exam_sessions.id"), primary_key=True),
)
meeting_reviews = db.Table(
    "council_meeting_reviews",
    db.Column("meeting_id", db.Integer, db.ForeignKey("council_meetings.id", ondelete="CASCADE"),
              primary_key=True),
    db.Column("review_id", db.Integer, db.ForeignKey("council_reviews.id"), primary_key=True),
)


class CouncilMeeting(db.Model):
    """A meeting of the council, recorded once held: who was there, what it decided."""

    __tablename__ = "council_meetings"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20), nullable=False)
    held_on = db.Column(db.Date, nullable=False)
    place = db.Column(db.String(300), nullable=True)
    other_attendees = db.Column(db.Text, nullable=True)  # present without a certif account
    decisions = db.Column(db.Text, nullable=True)
    programme_opinion = db.Column(db.Text, nullable=True)  # opinion on the training programmes
    certification_adjustments = db.Column(db.Text, nullable=True)  # adjusting the certification
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    members = db.relationship("User", secondary=meeting_members, order_by="User.last_name")
    sessions = db.relationship("ExamSession", secondary=meeting_sessions, order_by="ExamSession.starts_at")
    reviews = db.relationship("CouncilReview", secondary=meeting_reviews, order_by="CouncilReview.id")
    actions = db.relationship("CorrectiveAction", back_populates="meeting", order_by="CorrectiveAction.id")
    created_by = db.relationship("User", foreign_keys=[created_by_id])

    __table_args__ = (
        db.CheckConstraint("kind in ('annual', 'exceptional')", name="kind"),
        db.Index("ix_council_meetings_held_on", "held_on"),
    )

    @property
    def kind_label(self) -> str:
        return MEETING_KINDS[self.kind]
