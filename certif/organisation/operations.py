"""Recording a civil liability insurance policy with its certificate: one write transaction,
audited. A new policy never replaces an old one: the history is kept."""
from __future__ import annotations

from ..audit.services import record
from ..database import write_transaction
from ..extensions import db
from ..text import clean_text
from . import storage
from .inputs import PolicyInput
from .models import InsurancePolicy


def _original_name(filename: str | None) -> str:
    name = clean_text((filename or "").replace("\\", "/").rsplit("/", 1)[-1], one_line=True)
    return "".join(ch for ch in name if ch.isprintable() and ch not in "\"'`")[:255] or "attestation.pdf"


def record_policy(actor, values: PolicyInput, data: bytes | None,
                  filename: str | None) -> InsurancePolicy:
    """Store the certificate (a checked PDF, else FieldError) and record the policy."""
    digest = storage.check_pdf(data)
    name = storage.write(data)
    try:
        with write_transaction():
            policy = InsurancePolicy(insurer=values.insurer, number=values.number,
                                     starts_on=values.starts_on, ends_on=values.ends_on,
                                     certificate_file=name, certificate_name=_original_name(filename),
                                     certificate_sha256=digest, recorded_by_id=getattr(actor, "id", None))
            db.session.add(policy)
            db.session.flush()
            record(actor, "insurance.record", "insurance_policy", policy.id, None,
                   f"{values.insurer} n° {values.number} du {values.starts_on.isoformat()} "
                   f"au {values.ends_on.isoformat()}", certificate_sha256=digest, size=len(data))
    except BaseException:
        storage.delete(name)  # nothing references it
        raise
    return policy
