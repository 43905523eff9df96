"""The exam day: identity checks, candidates' single-use signing links, conditions sheets."""
from ..extensions import db
from ..sessions.models import Exam, JuryMember
from ..signatures.models import CANDIDATE_ATTENDANCE, CONDITIONS, JURY_ATTENDANCE
from ..signatures.readers import register_jurors
from ..timeutil import utcnow

# What the jury saw to check the candidate's identity (seed 000, I.C.2).
ID_DOCUMENTS = {
    "cni": "Carte nationale d'identité",
    "passport": "Passeport",
    "residence_permit": "Titre de séjour",
    "driving_licence": "Permis de conduire",
    "other": "Autre pièce d'identité",
}
CHECK_MODES = {"camera": "Face à la webcam", "in_person": "En présentiel"}


class IdentityCheck(db.Model):
    """The jury checked the candidate's identity and convocation: grading unlocks."""

    __tablename__ = "identity_checks"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False, unique=True)
    document_type = db.Column(db.String(20), nullable=False)
    document_detail = db.Column(db.String(200), nullable=True)  # what "other" was
    convocation_checked = db.Column(db.Boolean, nullable=False)
    mode = db.Column(db.String(10), nullable=False)
    checked_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    checked_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    notes = db.Column(db.Text, nullable=True)

    exam = db.relationship("Exam")
    checked_by = db.relationship("User")

    __table_args__ = (
        db.CheckConstraint("mode in ('camera', 'in_person')", name="mode"),
    )

    @property
    def document_label(self) -> str:
        label = ID_DOCUMENTS.get(self.document_type, self.document_type)
        return f"{label} ({self.document_detail})" if self.document_detail else label

    @property
    def mode_label(self) -> str:
        return CHECK_MODES[self.mode]


class CandidateUnsigned(db.Model):
    """The jury records why the candidate could not sign the attendance sheet (annex 1):
    grading then opens without that signature, and the minutes mention the reason."""

    __tablename__ = "candidate_unsigned"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False, unique=True)
    reason = db.Column(db.Text, nullable=False)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    recorded_by = db.relationship("User")


class AttendanceLink(db.Model):
    """A single-use, time-limited link (and short code) for a remote candidate to sign annex 1."""

    __tablename__ = "attendance_links"

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False)
    token_sha256 = db.Column(db.String(64), nullable=False, unique=True)  # the link's secret, hashed
    code = db.Column(db.String(12), nullable=False)  # short code shown to the jury, typed by the candidate
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime, nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)  # a newer link replaced it
    mail_id = db.Column(db.Integer, db.ForeignKey("outgoing_mails.id"), nullable=True)

    exam = db.relationship("Exam")
    mail = db.relationship("OutgoingMail")

    __table_args__ = (
        db.Index("ix_attendance_links_exam", "exam_id"),
        db.Index("ix_attendance_links_code", "code"),
    )


class ConditionsSheet(db.Model):
    """Annex 4, per jury and per day: 12 conditions respected or not, observations, both signatures."""

    __tablename__ = "conditions_sheets"

    id = db.Column(db.Integer, primary_key=True)
    jury_id = db.Column(db.Integer, db.ForeignKey("juries.id"), nullable=False)
    day = db.Column(db.Date, nullable=False)  # Paris day
    observations = db.Column(db.Text, nullable=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    # Both jurors signed: the sheet is handed to the organiser.
    handed_at = db.Column(db.DateTime, nullable=True)
    # At least one condition not respected: the council reads it (issue 5).
    has_breach = db.Column(db.Boolean, nullable=False, default=False)

    jury = db.relationship("Jury")
    answers = db.relationship("ConditionAnswer", order_by="ConditionAnswer.position",
                              cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (db.UniqueConstraint("jury_id", "day"),)


class ConditionAnswer(db.Model):
    __tablename__ = "condition_answers"

    id = db.Column(db.Integer, primary_key=True)
    sheet_id = db.Column(db.Integer, db.ForeignKey("conditions_sheets.id", ondelete="CASCADE"),
                         nullable=False)
    position = db.Column(db.Integer, nullable=False)  # 1..12, in the annex's order
    respected = db.Column(db.Boolean, nullable=False)  # "sans objet" counts as no breach: True
    not_applicable = db.Column(db.Boolean, nullable=False, default=False)  # "sans objet"
    # What certif proposed when the juror answered ("respectee", "non_respectee", "sans_objet")
    # and the facts behind it; None when certif could not establish it.
    proposed = db.Column(db.String(20), nullable=True)
    proposed_facts = db.Column(db.Text, nullable=True)

    __table_args__ = (
        db.UniqueConstraint("sheet_id", "position"),
        db.CheckConstraint("position between 1 and 12", name="position"),
    )


# The jurors of the exam's jury see the signatures of its attendance sheets (annexes 1 and 2),
# those of the sheet's jury the signatures of a conditions sheet (annex 4).
def _jurors_of_exam(exam_id):
    return (db.select(JuryMember.juror_id).join(Exam, Exam.jury_id == JuryMember.jury_id)
            .where(Exam.id == exam_id))


def _jurors_of_conditions_sheet(sheet_id):
    return (db.select(JuryMember.juror_id)
            .join(ConditionsSheet, ConditionsSheet.jury_id == JuryMember.jury_id)
            .where(ConditionsSheet.id == sheet_id))


register_jurors(CANDIDATE_ATTENDANCE, _jurors_of_exam)
register_jurors(JURY_ATTENDANCE, _jurors_of_exam)
register_jurors(CONDITIONS, _jurors_of_conditions_sheet)
