"""Logging in and out: throttled password checks, server-side sessions, their audit.

A login's audit row is written in the transaction that opens its session, and the cookie
is set only once that transaction is committed: no logged-in user without the trace.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import g, has_request_context, request
from flask import session as cookie
from flask_login import login_user, logout_user

from ..audit.services import record
from ..database import write_transaction
from ..extensions import db
from ..throttling import services as throttling
from ..timeutil import utcnow
from . import login_sessions
from .models import COUNCIL, JUROR, ORGANISER, LoginSession, User, waste_a_password_check

# Failed logins: per account (the address typed, whether it exists or not) and per client.
ACCOUNT_LIMIT = throttling.Limit("login-account", 10, timedelta(minutes=15))
ADDRESS_LIMIT = throttling.Limit("login-ip", 50, timedelta(minutes=15))
MSG_LOCKED = "Trop de tentatives de connexion infructueuses : les connexions sont suspendues."
MSG_WRONG = "Adresse e-mail ou mot de passe incorrect."
MSG_INACTIVE = "Ce compte est désactivé : adressez-vous au responsable d'organisation."


class LoginRefused(Exception):
    def __init__(self, message: str, status: int = 401):
        super().__init__(message)
        self.message, self.status = message, status


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def client_address() -> str:
    return (request.remote_addr if has_request_context() else None) or "-"


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))


def check_password_login(email: str, password: str) -> User:
    """The user whose password this is, or LoginRefused / TooManyRequests (429).

    Takes one password hash's time whether the address has an account or not; every
    failure is counted (account and address) and audited, and the one that reaches a
    limit locks it at once.
    """
    email = normalise_email(email)
    address = client_address()
    throttling.refuse_if_blocked(MSG_LOCKED, (ACCOUNT_LIMIT, email), (ADDRESS_LIMIT, address))
    user = find_user(email)
    if user is None:
        waste_a_password_check(password)
    elif user.check_password(password):
        if not user.active:
            raise LoginRefused(MSG_INACTIVE, 403)
        return user
    _count_failure(user, email, address)
    throttling.refuse_if_blocked(MSG_LOCKED, (ACCOUNT_LIMIT, email), (ADDRESS_LIMIT, address))
    raise LoginRefused(MSG_WRONG)


def _count_failure(user: User | None, email: str, address: str) -> None:
    with write_transaction():
        throttling.count_hit(ACCOUNT_LIMIT, email)
        throttling.count_hit(ADDRESS_LIMIT, address)
        user_id = user.id if user else None
        record(user, "login.failed", "user", user_id, email=email)
        db.session.flush()
        if throttling.blocked_until(ACCOUNT_LIMIT, email):
            record(user, "login.locked", "user", user_id, email=email)
        if throttling.blocked_until(ADDRESS_LIMIT, address):
            record(user, "login.address_locked", "user", user_id, email=email, address=address)


def complete_login(user: User, method: str = "password") -> LoginSession:
    """Open the session and write the audit row in one transaction, then set the cookie."""
    with write_transaction():
        user = db.session.get(User, user.id, populate_existing=True)
        row, token = login_sessions.open_session(user)
        user.last_login_at = row.created_at
        record(user, "user.login", "user", user.id, method=method, session=row.id)
    cookie.clear()  # nothing of the anonymous visit (a pending second factor…) carries over
    cookie.permanent = True  # the cookie lasts the exam day (PERMANENT_SESSION_LIFETIME)
    cookie[login_sessions.COOKIE_KEY] = token
    login_user(user)
    g.login_session = row
    return row


def current_login_session() -> LoginSession | None:
    return g.get("login_session")


def logout(user: User) -> None:
    row = current_login_session()
    with write_transaction():
        if row is not None:
            login_sessions.revoke(db.session.get(LoginSession, row.id, populate_existing=True),
                                  "logout")
        record(user, "user.logout", "user", user.id, session=getattr(row, "id", None))
    logout_user()
    cookie.clear()


def create_user(email: str, password: str | None, first_name: str, last_name: str,
                roles: list[str], actor=None) -> User:
    """An account with these roles; without a password, it waits for its invitation link."""
    with write_transaction():
        user = User(email=normalise_email(email), first_name=first_name, last_name=last_name)
        if password:
            user.set_password(password)
        for role in roles:
            user.grant(role)
        db.session.add(user)
        db.session.flush()
        record(actor, "user.create", "user", user.id, new=user.email, roles=sorted(roles))
    return user


def home_endpoint(user: User) -> str:
    """Where a user lands after logging in: a juror goes straight to their juries."""
    if user.has_role(ORGANISER, COUNCIL):
        return "dashboard.index" if user.has_role(ORGANISER) else "council.index"
    if user.has_role(JUROR):
        return "grading.index"
    return "auth.account"


# A password accepted for an account with a second factor: the code is asked next, within
# a few minutes, in the same browser (kept in the signed cookie, no session opened yet).
PENDING_SECOND_FACTOR = "pending_second_factor"
SECOND_FACTOR_WINDOW = timedelta(minutes=5)


def begin_second_factor(user: User, next_path: str | None) -> None:
    cookie.clear()
    cookie[PENDING_SECOND_FACTOR] = {"uid": user.id, "at": utcnow().timestamp(),
                                     "next": next_path, "stamp": _pending_stamp(user)}


def _pending_stamp(user: User) -> str:
    """Changes once the account logs in or its password changes: a copy of the password
    step's cookie then no longer stands in for the password (its code step is over)."""
    state = f"{user.id}|{user.password_hash}|{user.last_login_at}"
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def pending_second_factor_user() -> tuple[User | None, str | None]:
    """The user whose password was just accepted and who still owes a code, and where to go."""
    pending = cookie.get(PENDING_SECOND_FACTOR)
    if not isinstance(pending, dict):
        return None, None
    started = pending.get("at")
    if not isinstance(started, (int, float)) or \
            utcnow().timestamp() - started > SECOND_FACTOR_WINDOW.total_seconds():
        cookie.pop(PENDING_SECOND_FACTOR, None)
        return None, None
    user = db.session.get(User, int(pending.get("uid") or 0))
    if user is None or not user.active or not user.two_factor_enabled \
            or pending.get("stamp") != _pending_stamp(user):
        return None, None
    return user, pending.get("next")
