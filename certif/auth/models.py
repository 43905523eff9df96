import threading

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..people import PersonName
from ..timeutil import utcnow

# scrypt takes 32 MB per hash: one at a time per process keeps a worker's memory
# bounded when a whole jury logs in at once (measured by `make bench`).
_HASHING = threading.Lock()

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
    password_hash = db.Column(db.String(255), nullable=False)
    first_name = db.Column(db.String(100), nullable=False)
    last_name = db.Column(db.String(100), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

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

    def set_password(self, password: str) -> None:
        with _HASHING:
            self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        with _HASHING:
            return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active



class UserRole(db.Model):
    """A role held by a user; one person may hold several."""

    __tablename__ = "user_roles"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role = db.Column(db.String(20), primary_key=True)
