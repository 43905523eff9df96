"""Server-side login sessions: opened at login, looked up on every request, revoked at will.

The cookie (Flask's signed session) carries a random id; the table keeps its SHA-256, who,
from where, since when and until when. Looking a session up costs the one statement that
loading the user cost before (session and user in one query).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, has_request_context, request
from flask import session as cookie
from ua_parser import parse

from ..extensions import db
from ..timeutil import utcnow
from .models import LoginSession, User

COOKIE_KEY = "sid"
# How often "last seen" is written: often enough to tell a live session, rarely enough
# that a juror's clicks do not each pay for a write.
TOUCH_EVERY = timedelta(minutes=1)

REASONS = {
    "logout": "Déconnexion",
    "password": "Mot de passe changé",
    "reset": "Mot de passe réinitialisé",
    "deactivated": "Compte désactivé",
    "revoked": "Session déconnectée",
    "others": "Autres sessions déconnectées",
    "second_factor": "Double authentification réinitialisée",
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime() -> timedelta:
    return current_app.config["PERMANENT_SESSION_LIFETIME"]


def open_session(user: User) -> tuple[LoginSession, str]:
    """A new session row for `user` (inside the caller's write transaction) and its cookie id."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    address, agent = (request.remote_addr, request.headers.get("User-Agent")) \
        if has_request_context() else (None, None)
    row = LoginSession(user_id=user.id, token_hash=token_hash(token), created_at=now,
                       last_seen_at=now, expires_at=now + lifetime(), ip_address=address,
                       user_agent=(agent or "")[:400] or None)
    db.session.add(row)
    db.session.flush()
    return row, token


def find_live(user_id: int, token: str) -> LoginSession | None:
    """The live session behind a cookie, with its active user, in one statement."""
    return db.session.scalars(
        db.select(LoginSession).join(User, User.id == LoginSession.user_id)
        .options(db.contains_eager(LoginSession.user))
        .where(LoginSession.token_hash == token_hash(token), LoginSession.user_id == user_id,
               LoginSession.revoked_at.is_(None), LoginSession.expires_at > utcnow(),
               User.active.is_(True))).unique().one_or_none()


def current_token() -> str | None:
    return cookie.get(COOKIE_KEY)


def needs_touch(row: LoginSession) -> bool:
    return utcnow() - row.last_seen_at >= TOUCH_EVERY


def touch(session_id: int) -> None:
    """Record activity; call inside a write transaction."""
    db.session.execute(db.update(LoginSession).where(LoginSession.id == session_id)
                       .values(last_seen_at=utcnow()))


def live_sessions(user_id: int) -> list[LoginSession]:
    """The account's sessions that still open pages, most recently seen first."""
    return db.session.scalars(
        db.select(LoginSession).where(LoginSession.user_id == user_id,
                                      LoginSession.revoked_at.is_(None),
                                      LoginSession.expires_at > utcnow())
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())).all()


def revoke(row: LoginSession, reason: str) -> None:
    """End one session; call inside a write transaction."""
    if row.revoked_at is None:
        row.revoked_at, row.revoked_reason = utcnow(), reason


def revoke_all(user_id: int, reason: str, keep_id: int | None = None) -> int:
    """End every live session of an account (but `keep_id`); how many ended."""
    query = db.update(LoginSession).where(LoginSession.user_id == user_id,
                                          LoginSession.revoked_at.is_(None),
                                          LoginSession.expires_at > utcnow())
    if keep_id is not None:
        query = query.where(LoginSession.id != keep_id)
    return db.session.execute(query.values(revoked_at=utcnow(), revoked_reason=reason)).rowcount


def device_label(user_agent: str | None) -> str:
    """« Chrome 120 sur Windows » from a user agent (ua-parser), or « Appareil inconnu »."""
    if not user_agent:
        return "Appareil inconnu"
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else None
    if browser and result.user_agent.major:
        browser = f"{browser} {result.user_agent.major}"
    system = result.os.family if result.os else None
    if browser and system and system != "Other":
        return f"{browser} sur {system}"
    return browser if browser and browser != "Other" else "Appareil inconnu"
