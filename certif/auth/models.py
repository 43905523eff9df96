"""Accounts: users and their roles, server-side login sessions, single-use links, 2FA codes."""
import threading

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..people import PersonName
from ..timeutil import utcnow

# scrypt takes 32 MB per hash: one at a time per process keeps a worker's memory
# bounded when a whole jury logs in at once (measured by `make bench`).
_HASHING = threading.Lock()
# Checked when there is no account (or no password yet), so that a login takes the
# same time whether the address exists or not.
_DUMMY_HASH = generate_password_hash("certif: no account has this password")

ORGANISER = "organiser"
JUROR = "juror"
COUNCIL = "council"
ROLES = {
    ORGANISER: "Responsable d'organisation",
    JUROR: "Juré",
    COUNCIL: "Conseil de pilotage",
}


class User(PersonName, UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    # None until the person chooses one through their invitation link.
    password_hash = db.Column(db.String(255), nullable=True)
    first_name = db.Column(db.String(100), nullable=False)
    last_name = db.Column(db.String(100), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime, nullable=True)
    # TOTP second factor: the base32 secret, enabled once a first code was confirmed;
    # the last time step accepted, so that a code serves once.
    totp_secret = db.Column(db.String(64), nullable=True)
    totp_enabled_at = db.Column(db.DateTime, nullable=True)
    totp_last_step = db.Column(db.BigInteger, nullable=True)

    role_rows = db.relationship("UserRole", lazy="joined", cascade="all, delete-orphan")

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def grant(self, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if role not in self.roles:
            self.role_rows.append(UserRole(role=role))

    def revoke_role(self, role: str) -> None:
        self.role_rows[:] = [row for row in self.role_rows if row.role != role]

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """Always does the work of one hash check, account with a password or not."""
        with _HASHING:
            if not self.password_hash:
                check_password_hash(_DUMMY_HASH, password)
                return False
            return check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_active(self) -> bool:
        return self.active


def hash_password(password: str) -> str:
    """A new scrypt hash; computed before a write transaction so that it never holds the lock."""
    with _HASHING:
        return generate_password_hash(password)


def waste_a_password_check(password: str) -> None:
    """The time of a real check, for an address that has no account."""
    with _HASHING:
        check_password_hash(_DUMMY_HASH, password)


class UserRole(db.Model):
    """A role held by a user; one person may hold several."""

    __tablename__ = "user_roles"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role = db.Column(db.String(20), primary_key=True)


class LoginSession(db.Model):
    """One login, recorded server side: the cookie holds a random id whose hash is here.

    Revoking the row (logout, password change, deactivation…) makes the cookie worthless
    at once, in every worker.
    """

    __tablename__ = "login_sessions"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_seen_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False)
    ip_address = db.Column(db.String(45), nullable=True)
    user_agent = db.Column(db.String(400), nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)
    revoked_reason = db.Column(db.String(20), nullable=True)

    user = db.relationship("User")


class AccountToken(db.Model):
    """A single-use link to choose a password: invitation, reset, or first account (CLI)."""

    __tablename__ = "account_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    purpose = db.Column(db.String(20), nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime, nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)

    user = db.relationship("User", foreign_keys=[user_id])

    __table_args__ = (
        db.CheckConstraint("purpose in ('setup', 'invitation', 'reset')", name="purpose"),
    )


class RecoveryCode(db.Model):
    """One of the ten single-use codes that stand in for the second factor; kept hashed."""

    __tablename__ = "recovery_codes"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    code_hash = db.Column(db.String(64), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    used_at = db.Column(db.DateTime, nullable=True)
