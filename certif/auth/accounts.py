"""Staff accounts: create (without a password), change roles, deactivate and reactivate.

Every change runs in one write transaction with its audit row. The last active organiser
is protected: nobody can deactivate them or take their role, themselves included, so the
instance always keeps someone who can manage accounts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..database import get_row, write_transaction
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..timeutil import utcnow
from . import login_sessions
from .models import ORGANISER, ROLES, AccountToken, User, UserRole
from .services import normalise_email

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME, MAX_EMAIL = 100, 254

MSG_NOT_FOUND = "Compte introuvable."
MSG_EMAIL_TAKEN = "Un compte existe déjà avec cette adresse e-mail."
MSG_EMAIL_INVALID = "Adresse e-mail invalide."
MSG_NO_ROLE = "Choisissez au moins un rôle."
MSG_LAST_ORGANISER = ("C'est le dernier responsable d'organisation actif : il ne peut être ni "
                      "désactivé ni perdre ce rôle. Donnez d'abord ce rôle à un autre compte.")


class AccountInputError(InvalidInput):
    """Bad input, field by field (`errors`: field name → French message)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


# --- Rules on the input (no database) ---------------------------------------------------

def unknown_roles(roles) -> list[str]:
    return [role for role in roles if role not in ROLES]


def account_problems(email: str, first_name: str, last_name: str, roles) -> dict[str, str]:
    """What is wrong with a new account's fields, field by field, in French."""
    problems = {}
    email = normalise_email(email)
    if not email:
        problems["email"] = "Saisissez l'adresse e-mail."
    elif len(email) > MAX_EMAIL or not EMAIL_RE.match(email):
        problems["email"] = MSG_EMAIL_INVALID
    for field, value, missing in (("first_name", first_name, "Saisissez le prénom."),
                                  ("last_name", last_name, "Saisissez le nom.")):
        value = (value or "").strip()
        if not value:
            problems[field] = missing
        elif len(value) > MAX_NAME:
            problems[field] = f"{MAX_NAME} caractères au maximum."
    problems.update(role_problems(roles))
    return problems


def role_problems(roles) -> dict[str, str]:
    if not roles:
        return {"roles": MSG_NO_ROLE}
    unknown = unknown_roles(roles)
    if unknown:
        return {"roles": f"Rôle inconnu : {', '.join(unknown)} (rôles possibles : "
                         f"{', '.join(ROLES)})."}
    return {}


def role_labels(roles) -> list[str]:
    return [ROLES[role] for role in ROLES if role in roles]


# --- Reads --------------------------------------------------------------------------------

NO_PASSWORD_PENDING, NO_PASSWORD_EXPIRED = "pending", "expired"


@dataclass
class AccountRow:
    user: User
    invitation: str | None  # None: a password is chosen; else pending / expired
    invitation_expires_at: datetime | None

    @property
    def invitation_label(self) -> str | None:
        if self.invitation == NO_PASSWORD_PENDING:
            return "Invitation en attente"
        if self.invitation == NO_PASSWORD_EXPIRED:
            return "Invitation expirée"
        return None


def get_account(user_id: int) -> User:
    return get_row(User, user_id, MSG_NOT_FOUND)


def list_accounts(query: str | None = None, role: str | None = None,
                  status: str | None = None) -> list[AccountRow]:
    """Every account by name; `query` searches names and email, `role` and `status` filter."""
    select = db.select(User).order_by(User.last_name, User.first_name, User.id)
    words = (query or "").strip().lower().split()[:5]
    for word in words:
        pattern = f"%{_escape_like(word[:100])}%"
        select = select.where(or_(db.func.lower(User.first_name).like(pattern, escape="\\"),
                                  db.func.lower(User.last_name).like(pattern, escape="\\"),
                                  User.email.like(pattern, escape="\\")))
    if role in ROLES:
        select = select.where(User.id.in_(db.select(UserRole.user_id).where(UserRole.role == role)))
    if status == "active":
        select = select.where(User.active.is_(True))
    elif status == "inactive":
        select = select.where(User.active.is_(False))
    elif status == "invited":
        select = select.where(User.password_hash.is_(None))
    users = db.session.scalars(select).unique().all()
    pending = _pending_links([u.id for u in users if not u.has_password])
    return [_row(user, pending) for user in users]


def account_row(user: User) -> AccountRow:
    return _row(user, _pending_links([] if user.has_password else [user.id]))


def _row(user: User, pending: dict[int, datetime]) -> AccountRow:
    if user.has_password:
        return AccountRow(user, None, None)
    expires = pending.get(user.id)
    return AccountRow(user, NO_PASSWORD_PENDING if expires else NO_PASSWORD_EXPIRED, expires)


def _pending_links(user_ids: list[int]) -> dict[int, datetime]:
    """When each account's live (unused, unrevoked, unexpired) link expires, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        db.select(AccountToken.user_id, db.func.max(AccountToken.expires_at))
        .where(AccountToken.user_id.in_(user_ids), AccountToken.used_at.is_(None),
               AccountToken.revoked_at.is_(None), AccountToken.expires_at > utcnow())
        .group_by(AccountToken.user_id)).all()
    return dict(rows)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- Changes ------------------------------------------------------------------------------

def create_account(actor, email: str, first_name: str, last_name: str, roles) -> User:
    """A new account with these roles and no password: it waits for its link."""
    roles = sorted(set(roles or ()))
    problems = account_problems(email, first_name, last_name, roles)
    if problems:
        raise AccountInputError(problems)
    email = normalise_email(email)
    try:
        with write_transaction():
            if db.session.scalar(db.select(User.id).filter_by(email=email)) is not None:
                raise Conflict(MSG_EMAIL_TAKEN)
            user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
            for role in roles:
                user.grant(role)
            db.session.add(user)
            db.session.flush()
            record(actor, "user.create", "user", user.id, new=email, roles=roles)
    except IntegrityError:
        raise Conflict(MSG_EMAIL_TAKEN) from None  # created by another request meanwhile
    return user


def set_roles(actor, user_id: int, roles) -> User:
    """Give the account exactly these roles (the last active organiser keeps theirs)."""
    roles = sorted(set(roles or ()))
    problems = role_problems(roles)
    if problems:
        raise AccountInputError(problems)
    with write_transaction():
        _lock_active_organisers()
        user = _reread(user_id)
        old = sorted(user.roles)
        if old == roles:
            return user
        if ORGANISER in old and ORGANISER not in roles and user.active:
            _refuse_if_last_organiser(user.id)
        for role in set(old) - set(roles):
            user.revoke_role(role)
        for role in roles:
            user.grant(role)
        db.session.flush()
        record(actor, "user.roles", "user", user.id, old=", ".join(old), new=", ".join(roles))
    return user


def deactivate(actor, user_id: int) -> int:
    """Deactivate the account: every session of it ends now, its links stop working.

    Its history stays (nothing is deleted). Returns how many sessions ended."""
    with write_transaction():
        _lock_active_organisers()
        user = _reread(user_id)
        if not user.active:
            return 0
        if user.has_role(ORGANISER):
            _refuse_if_last_organiser(user.id)
        user.active = False
        ended = login_sessions.revoke_all(user.id, "deactivated")
        links = _revoke_links(user.id)
        record(actor, "user.deactivate", "user", user.id, sessions=ended, links=links)
    return ended


def reactivate(actor, user_id: int) -> User:
    with write_transaction():
        user = _reread(user_id)
        if user.active:
            return user
        user.active = True
        record(actor, "user.reactivate", "user", user.id)
    return user


def _reread(user_id: int) -> User:
    user = db.session.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound(MSG_NOT_FOUND)
    return user


def _lock_active_organisers() -> None:
    """Serialise changes that could leave no organiser.

    SQLite: the write transaction already holds the one write lock. PostgreSQL: lock the
    active organisers' rows, so two concurrent demotions queue; the count that follows is
    a new statement, which sees what the first one committed."""
    db.session.execute(db.select(User.id).where(User.active.is_(True), User.id.in_(
        db.select(UserRole.user_id).where(UserRole.role == ORGANISER))).with_for_update())


def _refuse_if_last_organiser(user_id: int) -> None:
    others = db.session.scalar(
        db.select(db.func.count(User.id))
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == ORGANISER))
        .where(User.active.is_(True), User.id != user_id))
    if not others:
        raise Conflict(MSG_LAST_ORGANISER)


def _revoke_links(user_id: int) -> int:
    """Unused links of a deactivated account stop for good (reactivation does not revive them)."""
    return db.session.execute(db.update(AccountToken).where(
        AccountToken.user_id == user_id, AccountToken.used_at.is_(None),
        AccountToken.revoked_at.is_(None)).values(revoked_at=utcnow())).rowcount
