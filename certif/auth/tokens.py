"""Single-use links to choose a password: the first account's (CLI), invitations, resets.

Only the SHA-256 of a link's token is stored. A link serves once; issuing a new link for an
account revokes its earlier unused ones; each purpose has its own lifetime.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from ..extensions import db
from ..timeutil import utcnow
from .login_sessions import token_hash
from .models import AccountToken

SETUP, INVITATION, RESET = "setup", "invitation", "reset"
LIFETIMES = {
    SETUP: timedelta(hours=24),
    INVITATION: timedelta(hours=72),
    RESET: timedelta(minutes=30),
}

MSG_UNKNOWN = "Ce lien n'est pas valide : vérifiez qu'il est complet, ou demandez-en un nouveau."
MSG_USED = "Ce lien a déjà servi : il n'est valable qu'une fois."
MSG_EXPIRED = "Ce lien a expiré : demandez-en un nouveau."
MSG_REVOKED = "Ce lien a été remplacé par un plus récent : utilisez le dernier reçu."
MSG_INACTIVE = "Ce compte est désactivé : adressez-vous au responsable d'organisation."


def issue(user, purpose: str, actor=None) -> str:
    """A new link's token for `user`; earlier unused links of the account stop working.

    Call inside a write transaction.
    """
    now = utcnow()
    db.session.execute(db.update(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.used_at.is_(None),
        AccountToken.revoked_at.is_(None)).values(revoked_at=now))
    token = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=token_hash(token),
                                created_at=now, expires_at=now + LIFETIMES[purpose],
                                created_by_id=getattr(actor, "id", None)))
    db.session.flush()
    return token


def revoke_unused(user_id: int) -> int:
    """Stop the account's unused links (e.g. mailed to an address since corrected); how many.

    Call inside a write transaction."""
    return db.session.execute(db.update(AccountToken).where(
        AccountToken.user_id == user_id, AccountToken.used_at.is_(None),
        AccountToken.revoked_at.is_(None)).values(revoked_at=utcnow())).rowcount


def lookup(token: str) -> AccountToken | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalar(db.select(AccountToken).where(AccountToken.token_hash == token_hash(token)))


def problem(row: AccountToken | None) -> tuple[int, str] | None:
    """Why a link cannot serve (HTTP status, French message), or None when it can."""
    if row is None:
        return 404, MSG_UNKNOWN
    if row.used_at is not None:
        return 410, MSG_USED
    if row.revoked_at is not None:
        return 410, MSG_REVOKED
    if row.expires_at <= utcnow():
        return 410, MSG_EXPIRED
    if not row.user.active:
        return 403, MSG_INACTIVE
    return None


def pending_invitation(user_id: int) -> AccountToken | None:
    """The account's latest unused, unexpired link, if any."""
    return db.session.scalar(db.select(AccountToken).where(
        AccountToken.user_id == user_id, AccountToken.used_at.is_(None),
        AccountToken.revoked_at.is_(None), AccountToken.expires_at > utcnow())
        .order_by(AccountToken.id.desc()).limit(1))
