"""Record a signature with its evidence, and read it back (image, evidence JSON).

`add_signature` runs inside the caller's `write_transaction`: the document's own
service checks that the signer may sign, builds the content and calls it, so the
signature and the state change it brings land together or not at all.
"""
from __future__ import annotations

import base64
import hashlib

from flask import has_request_context, request
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..auth.models import COUNCIL, ORGANISER
from ..database import get_row
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..timeutil import utcnow
from . import rules
from .models import ANOMALY, AUTH_METHODS, CONDITIONS, COUNCIL_OPINION, DOCUMENTS, Signature
from .readers import sits_on_jury_of

# The steering council reads the sheets that reach it, with their signatures.
COUNCIL_DOCUMENTS = (ANOMALY, COUNCIL_OPINION, CONDITIONS)

MSG_ALREADY_SIGNED = "Vous avez déjà signé ce document : une signature ne peut pas être refaite."
MSG_NOT_FOUND = "Signature introuvable."
MSG_SEEN_MISSING = "Le formulaire de signature est incomplet : rechargez la page."
MSG_SEEN_CHANGED = ("Le document a changé depuis que vous l'avez ouvert : relisez-le (la page est "
                    "rechargée) puis signez à nouveau.")


def mark_from_form(form) -> rules.Mark:
    """The signer's mark from a posted form (fields of templates/signatures/_pad.html)."""
    try:
        return rules.parse_mark(form.get("signature_method"), form.get("signature_image"),
                                form.get("signature_typed"))
    except rules.InvalidSignature as error:
        raise InvalidInput(str(error)) from None


def seen_fingerprint(posted: str | None) -> str:
    """The fingerprint a signing form posted (what its page displayed); 400 if unusable."""
    seen = rules.seen_fingerprint(posted)
    if seen is None:
        raise InvalidInput(MSG_SEEN_MISSING)
    return seen


def require_same_content(seen: str, signed_sha256: str) -> None:
    """409 when what would be signed now is not what the signer's page displayed."""
    if seen != signed_sha256:
        raise Conflict(MSG_SEEN_CHANGED)


def require_seen(posted: str | None, content: dict | str) -> None:
    """The signer signs what their page displayed: call inside the write transaction,
    just before `add_signature`, with the content as it is now."""
    require_same_content(seen_fingerprint(posted), rules.content_sha256(content))


def _request_evidence() -> tuple[str | None, str | None]:
    if not has_request_context():
        return None, None
    agent = request.headers.get("User-Agent")
    return request.remote_addr, (agent[:500] if agent else None)


def add_signature(document: str, subject_id: int, *, signer_key: str, role: str, name: str,
                  content: dict | str, mark: rules.Mark, auth_method: str,
                  auth_detail: str | None = None, user=None, candidate=None,
                  actor=None, signed_at=None) -> Signature:
    """Store one signature of `content` (a dict, or canonical JSON already frozen).

    Call inside a write_transaction. Conflict (409) if this signer already signed it.
    `signed_at` (UTC, default now) lets a document built just before, with the time
    printed on it, carry the same time as its signature.
    """
    assert document in DOCUMENTS and auth_method in AUTH_METHODS
    text = content if isinstance(content, str) else rules.canonical_json(content)
    already = db.session.scalar(db.select(Signature.id).filter_by(
        document=document, subject_id=subject_id, signer_key=signer_key))
    if already is not None:
        raise Conflict(MSG_ALREADY_SIGNED)
    ip_address, user_agent = _request_evidence()
    signature = Signature(
        document=document, subject_id=subject_id, signer_key=signer_key, signer_role=role,
        signer_name=name, user_id=getattr(user, "id", None), candidate_id=getattr(candidate, "id", None),
        method=mark.method, image_png=mark.image_png, typed_name=mark.typed_name,
        signed_at=signed_at or utcnow(), ip_address=ip_address, user_agent=user_agent,
        auth_method=auth_method, auth_detail=auth_detail,
        content=text, content_sha256=rules.sha256_text(text))
    db.session.add(signature)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # signed meanwhile (PostgreSQL, no table lock)
        raise Conflict(MSG_ALREADY_SIGNED) from None
    record(actor if actor is not None else user, "signature.add", document, subject_id, None,
           signer_key, signature_id=signature.id, role=role, method=mark.method,
           auth_method=auth_method, content_sha256=signature.content_sha256)
    return signature


def signatures_of(document: str, subject_ids) -> dict[int, list[Signature]]:
    """Signatures of several subjects at once, oldest first, grouped by subject id."""
    ids = list(subject_ids)
    grouped: dict[int, list[Signature]] = {i: [] for i in ids}
    if not ids:
        return grouped
    for signature in db.session.scalars(
            db.select(Signature).where(Signature.document == document, Signature.subject_id.in_(ids))
            .order_by(Signature.signed_at, Signature.id)):
        grouped[signature.subject_id].append(signature)
    return grouped


def signature_by_key(document: str, subject_id: int, signer_key: str) -> Signature | None:
    return db.session.scalar(db.select(Signature).filter_by(
        document=document, subject_id=subject_id, signer_key=signer_key))


def user_key(user) -> str:
    return f"user:{user.id}"


def candidate_key(candidate) -> str:
    return f"candidate:{candidate.id}"


# --- Reading a signature back ---------------------------------------------------------

def visible_signature(viewer, signature_id: int) -> Signature:
    """The signature if `viewer` may see it (organiser, signer, a juror of that jury, or the
    council for the sheets it reads); else 404."""
    signature = get_row(Signature, signature_id, MSG_NOT_FOUND)
    if viewer.has_role(ORGANISER) or signature.user_id == viewer.id:
        return signature
    if viewer.has_role(COUNCIL) and signature.document in COUNCIL_DOCUMENTS:
        return signature
    if not sits_on_jury_of(signature.document, signature.subject_id, viewer.id):
        raise NotFound(MSG_NOT_FOUND)
    return signature


def evidence(signature: Signature) -> dict:
    """Everything that proves the signature, as exported in JSON (times in UTC, ISO 8601)."""
    image = signature.image_png
    return {
        "signature_id": signature.id,
        "document": signature.document,
        "document_label": DOCUMENTS[signature.document],
        "subject_id": signature.subject_id,
        "signer": {"name": signature.signer_name, "role": signature.signer_role,
                   "role_label": signature.role_label, "key": signature.signer_key},
        "signed_at_utc": signature.signed_at.isoformat(timespec="seconds") + "Z",
        "ip_address": signature.ip_address,
        "user_agent": signature.user_agent,
        "authentication": {"method": signature.auth_method, "label": signature.auth_label,
                           "detail": signature.auth_detail},
        "mark": {"method": signature.method, "label": signature.method_label,
                 "typed_name": signature.typed_name,
                 "image_png_base64": base64.b64encode(image).decode("ascii") if image else None,
                 "image_sha256": hashlib.sha256(image).hexdigest() if image else None},
        "content": signature.content,
        "content_sha256": signature.content_sha256,
        "hash_algorithm": "SHA-256 of the UTF-8 bytes of `content`",
    }


def evidence_of(signatures) -> list[dict]:
    return [evidence(s) for s in signatures]
