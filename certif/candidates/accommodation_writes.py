"""Recording a candidate's disability accommodation (seed 000, I.D.3), and reading its
medical details: each in one write transaction, audited. The audit log keeps the procedure
(referent, dates, decision), never the medical details themselves."""
from __future__ import annotations

from ..audit.services import record
from ..database import get_row, write_transaction
from ..extensions import db
from ..timeutil import utcnow
from .accommodation import Accommodation
from .accommodation_inputs import AccommodationInput
from .models import Candidate

MSG_MISSING = "Candidat introuvable."


def accommodation_of(candidate_id: int) -> tuple[Candidate, Accommodation | None]:
    """The candidate (else NotFound) and their accommodation record, if any."""
    candidate = get_row(Candidate, candidate_id, MSG_MISSING)
    return candidate, candidate.accommodation_record


def save(actor, candidate_id: int, values: AccommodationInput) -> Accommodation:
    """Create or update the record; audited as `accommodation.save`."""
    with write_transaction():
        candidate = get_row(Candidate, candidate_id, MSG_MISSING, lock=True)
        row = db.session.scalar(db.select(Accommodation).filter_by(candidate_id=candidate.id))
        old = row.summary if row else None
        old_medical = row.medical_details if row else None
        if row is None:
            row = Accommodation(candidate_id=candidate.id)
            db.session.add(row)
        row.referent, row.requested_on = values.referent, values.requested_on
        row.decision, row.decided_on = values.decision, values.decided_on
        row.medical_details = values.medical_details
        row.updated_at, row.updated_by_id = utcnow(), getattr(actor, "id", None)
        db.session.flush()
        record(actor, "accommodation.save", "candidate", candidate.id, old, row.summary,
               accommodation_id=row.id,
               medical_details_changed=(old_medical or None) != values.medical_details)
    return row


def read_medical_details(actor, row: Accommodation) -> str | None:
    """The medical details, for the organiser's form: a read of health data, audited."""
    if not row.medical_details:
        return None
    with write_transaction():
        record(actor, "accommodation.read", "candidate", row.candidate_id,
               accommodation_id=row.id)
    return row.medical_details
