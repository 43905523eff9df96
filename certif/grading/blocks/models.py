"""A block the final grid of an attempt validated, recorded once the session's minutes are signed."""
from sqlalchemy import String, cast

from ...examday.prior_blocks import FIELD_SEP, ROW_SEP, register_prior_blocks
from ...extensions import db
from ...referentials.models import Referential
from ...timeutil import utcnow


class BlockValidation(db.Model):
    """Block `block_code` of the certification `referential_code` (any version with that block
    code), validated for the candidate by the attempt `exam_id`, held on `validated_on`.

    A revoked attempt (its certificate revoked, or the validation itself) counts for nothing."""

    __tablename__ = "block_validations"

    id = db.Column(db.Integer, primary_key=True)
    candidate_id = db.Column(db.Integer, db.ForeignKey("candidates.id"), nullable=False)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id"), nullable=False)
    referential_code = db.Column(db.String(40), nullable=False)
    block_code = db.Column(db.String(20), nullable=False)
    block_title = db.Column(db.String(300), nullable=False)
    session_number = db.Column(db.String(40), nullable=False)
    attempt_starts_at = db.Column(db.DateTime, nullable=False)  # the attempt's session (UTC)
    validated_on = db.Column(db.Date, nullable=False)  # the attempt's day (Paris)
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)
    revocation_reason = db.Column(db.Text, nullable=True)

    exam = db.relationship("Exam")
    candidate = db.relationship("Candidate")

    __table_args__ = (
        db.UniqueConstraint("exam_id", "block_code"),
        db.Index("ix_block_validations_candidate", "candidate_id", "referential_code"),
    )

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def _prior_blocks(exam, session):
    """The blocks validated for the exam's candidate by earlier attempts at the same
    certification, not revoked: one string, rows joined by ROW_SEP, fields by FIELD_SEP
    (block code, day, session number)."""
    row = (BlockValidation.block_code + FIELD_SEP + cast(BlockValidation.validated_on, String)
           + FIELD_SEP + BlockValidation.session_number)
    return (db.select(db.func.aggregate_strings(row, ROW_SEP))
            .join(Referential, Referential.code == BlockValidation.referential_code)
            .where(Referential.id == session.referential_id,
                   BlockValidation.candidate_id == exam.candidate_id,
                   BlockValidation.exam_id != exam.id,
                   BlockValidation.attempt_starts_at < session.starts_at,
                   BlockValidation.revoked_at.is_(None))
            .correlate(exam, session).scalar_subquery())


# The exam day's access (read on every click of the grid) reads the kept blocks through this.
register_prior_blocks(_prior_blocks)
