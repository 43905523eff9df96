"""The audit log. Every service that changes state calls `record` inside its transaction."""
from flask import has_request_context, request

from ..extensions import db
from .models import AuditEntry


def record(actor, action: str, entity: str, entity_id: int | None,
           old=None, new=None, **details) -> AuditEntry:
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        entity=entity,
        entity_id=entity_id,
        old_value=None if old is None else str(old),
        new_value=None if new is None else str(new),
        details=details or None,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry

