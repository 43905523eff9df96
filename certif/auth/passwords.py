"""Passwords and the account's own sessions: a password chosen through a single-use link,
changed on *Mon compte*, reset by email; sessions ended from *Mon compte*.

Every change is audited in the transaction that makes it. A new password ends sessions:
all of them when it comes through a link (whoever held the account loses it), every other
one when it is changed on *Mon compte*. Passwords are hashed before the write transaction
(scrypt takes tens of milliseconds: the write lock is not held meanwhile) and never logged.
"""
from __future__ import annotations

import threading
import time
from datetime import timedelta

from flask import current_app

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, NotFound, ServiceError
from ..extensions import db
from ..mail import services as mail
from ..throttling import services as throttling
from ..timeutil import utcnow
from ..web import external_url
from . import login_sessions, tokens
from .models import AccountToken, LoginSession, User, hash_password
from .password_rules import password_problems
from .services import ACCOUNT_LIMIT, ADDRESS_LIMIT, client_address, find_user, normalise_email

# Reset requests: per client address and per address typed, counted for every submission
# (known address or not, so that the limit itself tells nothing).
RESET_ADDRESS_LIMIT = throttling.Limit("reset-ip", 5, timedelta(minutes=15))
RESET_EMAIL_LIMIT = throttling.Limit("reset-email", 3, timedelta(minutes=15))
RESET_MINUTES = int(tokens.LIFETIMES[tokens.RESET].total_seconds() // 60)

MSG_MISMATCH = "Les deux saisies du nouveau mot de passe ne correspondent pas."
MSG_WRONG_CURRENT = "Mot de passe actuel incorrect."
MSG_SAME = "Le nouveau mot de passe doit être différent de l'actuel."
MSG_CHANGED_MEANWHILE = ("Le mot de passe de ce compte vient d'être changé depuis une autre session : "
                         "rechargez la page puis recommencez.")
MSG_LOCKED = ("Trop de mots de passe erronés pour ce compte : les connexions et les changements de "
              "mot de passe sont suspendus.")
MSG_RESET_LOCKED = "Trop de demandes de réinitialisation du mot de passe."
MSG_NO_SESSION = "Cette session est introuvable."
MSG_CURRENT_SESSION = "C'est la session en cours : pour la fermer, utilisez « Déconnexion »."


class LinkUnusable(ServiceError):
    """The link cannot serve: unknown (404), used, expired or replaced (410), account off (403)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class PasswordRejected(ServiceError):
    """The form's entries are refused: every French message, by field name."""

    status = 400

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(" ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


def _refuse_unusable(row: AccountToken | None) -> None:
    problem = tokens.problem(row)
    if problem is not None:
        raise LinkUnusable(*problem)


def _new_password_errors(user: User, new: str, confirmation: str) -> dict[str, list[str]]:
    errors = {}
    problems = password_problems(new, user.email, user.first_name, user.last_name)
    if problems:
        errors["new_password"] = problems
    if new != confirmation:
        errors["confirmation"] = [MSG_MISMATCH]
    return errors


def link_account(token: str) -> AccountToken:
    """The link's row if it can serve, else LinkUnusable (with its status)."""
    row = tokens.lookup(token)
    _refuse_unusable(row)
    return row


def choose_password(token: str, new_password: str, confirmation: str) -> User:
    """Set the password of the link's account; the link is used up and every session of the
    account ends. The person then logs in (their second factor may be asked)."""
    row = link_account(token)
    errors = _new_password_errors(row.user, new_password, confirmation)
    if errors:
        raise PasswordRejected(errors)
    new_hash = hash_password(new_password)
    with write_transaction():
        # Read again under the write lock (and FOR UPDATE on PostgreSQL): of two submissions
        # of the same link, the second finds it used.
        row = db.session.get(AccountToken, row.id, populate_existing=True, with_for_update=True)
        user = db.session.get(User, row.user_id, populate_existing=True)
        _refuse_unusable(row)
        user.password_hash = new_hash
        row.used_at = utcnow()
        ended = login_sessions.revoke_all(user.id, "reset")
        throttling.clear(ACCOUNT_LIMIT, user.email)  # a locked-out owner gets back in at once
        action = "password.reset" if row.purpose == tokens.RESET else "password.set"
        record(user, action, "user", user.id, purpose=row.purpose, link=row.id,
               sessions_ended=ended)
    return user


def change_password(user: User, current: str, new: str, confirmation: str,
                    keep_session_id: int | None) -> int:
    """Change the password on *Mon compte*; every other session of the account ends (how many).

    A wrong current password counts as a failed login of the account (same limit), so that a
    borrowed session cannot be used to guess it."""
    throttling.refuse_if_blocked(MSG_LOCKED, (ACCOUNT_LIMIT, user.email))
    checked_hash = user.password_hash
    errors = _new_password_errors(user, new, confirmation)
    if not user.check_password(current):
        _count_wrong_current(user)
        throttling.refuse_if_blocked(MSG_LOCKED, (ACCOUNT_LIMIT, user.email))
        errors = {"current_password": [MSG_WRONG_CURRENT], **errors}
    elif new == current and "new_password" not in errors:
        errors["new_password"] = [MSG_SAME]
    if errors:
        raise PasswordRejected(errors)
    new_hash = hash_password(new)
    with write_transaction():
        # The hash checked above is still the account's (row locked on PostgreSQL): a change
        # made meanwhile from another session is not silently overwritten.
        stored = db.session.scalar(db.select(User.password_hash).where(User.id == user.id)
                                   .with_for_update())
        if stored != checked_hash:
            raise Conflict(MSG_CHANGED_MEANWHILE)
        user = db.session.get(User, user.id, populate_existing=True)
        user.password_hash = new_hash
        ended = login_sessions.revoke_all(user.id, "password", keep_id=keep_session_id)
        links = _revoke_unused_links(user.id)
        record(user, "password.change", "user", user.id, sessions_ended=ended,
               links_revoked=links)
    return ended


def _count_wrong_current(user: User) -> None:
    with write_transaction():
        throttling.count_hit(ACCOUNT_LIMIT, user.email)
        throttling.count_hit(ADDRESS_LIMIT, client_address())
        record(user, "password.change_failed", "user", user.id)
        db.session.flush()
        if throttling.blocked_until(ACCOUNT_LIMIT, user.email):
            record(user, "login.locked", "user", user.id, email=user.email)


def _revoke_unused_links(user_id: int) -> int:
    """A reset link asked for before the change stops working (call inside a transaction)."""
    return db.session.execute(db.update(AccountToken).where(
        AccountToken.user_id == user_id, AccountToken.used_at.is_(None),
        AccountToken.revoked_at.is_(None)).values(revoked_at=utcnow())).rowcount


# --- Forgotten password -------------------------------------------------------------------

def request_reset(email: str, started: float | None = None) -> None:
    """Email a reset link (30 minutes, single use) if an active account has this address.

    The caller answers the same page whatever happened, and this returns no sooner than
    RESET_RESPONSE_SECONDS after `started` (time.monotonic() at the request's start), so
    that neither the page nor its timing tells whether the address has an account. The
    message leaves from a background thread: a slow mail server delays nobody's answer.
    Raises TooManyRequests (429) past the limits."""
    started = time.monotonic() if started is None else started
    email, address = normalise_email(email), client_address()
    throttling.refuse_if_blocked(MSG_RESET_LOCKED, (RESET_ADDRESS_LIMIT, address),
                                 (RESET_EMAIL_LIMIT, email))
    pending = None
    with write_transaction():
        throttling.count_hit(RESET_ADDRESS_LIMIT, address)
        throttling.count_hit(RESET_EMAIL_LIMIT, email)
        user = find_user(email)
        if user is not None and user.active:
            token = tokens.issue(user, tokens.RESET)
            pending = mail.record_pending([user.email], *reset_message(user, token))
        record(None, "password.reset_request", "user", getattr(user, "id", None), email=email,
               sent=pending is not None)
    worker = _deliver_in_background(pending) if pending is not None else None
    _wait_until(started + current_app.config["RESET_RESPONSE_SECONDS"], worker)


def reset_message(user: User, token: str) -> tuple[str, str]:
    organisation = current_app.config["ORGANISATION_NAME"]
    subject = f"certif ({organisation}) : réinitialisation de votre mot de passe"
    body = f"""Bonjour {user.first_name},

Une réinitialisation du mot de passe de votre compte certif ({user.email}) a été demandée.
Pour choisir un nouveau mot de passe, ouvrez ce lien :
{external_url("passwords.choose", token=token)}

Ce lien est valable {RESET_MINUTES} minutes et ne sert qu'une seule fois. Une fois le
nouveau mot de passe enregistré, toutes les sessions ouvertes sur votre compte sont fermées.

Si vous n'avez rien demandé, ignorez ce message : votre mot de passe actuel reste valable.

{organisation}
"""
    return subject, body


def _deliver_in_background(pending: mail.Pending) -> threading.Thread:
    """Steps 2 and 3 of sending (file or SMTP, then the outcome) in a thread of their own."""
    app = current_app._get_current_object()

    def run():
        with app.app_context():
            try:
                error = mail.deliver(pending)
                with write_transaction():
                    mail.record_outcome(pending, error)
            except Exception:  # noqa: BLE001 — the row stays "unconfirmed", which the outbox shows
                app.logger.exception("reset mail %s: outcome not recorded", pending.mail_id)

    worker = threading.Thread(target=run, name=f"certif-mail-{pending.mail_id}", daemon=True)
    worker.start()
    return worker


def _wait_until(deadline: float, worker: threading.Thread | None) -> None:
    """Return at `deadline`: meanwhile the mail (if any) usually leaves; if not, it goes on."""
    if worker is not None:
        worker.join(max(0.0, deadline - time.monotonic()))
    remaining = deadline - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


# --- The account's sessions ---------------------------------------------------------------

def revoke_session(user: User, session_id: int, current_id: int | None) -> bool:
    """End one of the user's own other sessions; False if it had already ended."""
    with write_transaction():
        row = db.session.get(LoginSession, session_id, populate_existing=True)
        if row is None or row.user_id != user.id:
            raise NotFound(MSG_NO_SESSION)  # another account's session: as if it did not exist
        if row.id == current_id:
            raise Conflict(MSG_CURRENT_SESSION)
        if row.revoked_at is not None or row.expires_at <= utcnow():
            return False
        login_sessions.revoke(row, "revoked")
        record(user, "session.revoke", "login_session", row.id,
               device=login_sessions.device_label(row.user_agent), address=row.ip_address)
    return True


def revoke_other_sessions(user: User, current_id: int | None) -> int:
    """End every session of the account but this one; how many ended."""
    with write_transaction():
        ended = login_sessions.revoke_all(user.id, "others", keep_id=current_id)
        record(user, "session.revoke_others", "user", user.id, sessions_ended=ended,
               kept=current_id)
    return ended
