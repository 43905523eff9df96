"""The attestation of a validated block (its revocation is the validation's, `grading.blocks`)."""
from ...extensions import db
from ...timeutil import utcnow

SEALED_BLOCK_ATTESTATION = "block_attestation"  # sealed_documents.kind; subject: block_attestations.id


class BlockAttestation(db.Model):
    __tablename__ = "block_attestations"

    id = db.Column(db.Integer, primary_key=True)
    validation_id = db.Column(db.Integer, db.ForeignKey("block_validations.id"), nullable=False,
                              unique=True)
    number = db.Column(db.String(60), nullable=False, unique=True)
    verification_code = db.Column(db.String(20), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    validation = db.relationship("BlockValidation", lazy="joined")

    @property
    def revoked(self) -> bool:
        return self.validation.revoked
