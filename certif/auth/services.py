from ..audit.services import record
from ..database import write_transaction
from ..extensions import db
from .models import User


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def create_user(email: str, password: str, first_name: str, last_name: str,
                roles: list[str], actor=None) -> User:
    with write_transaction():
        user = User(email=email.strip().lower(), first_name=first_name, last_name=last_name)
        user.set_password(password)
        for role in roles:
            user.grant(role)
        db.session.add(user)
        db.session.flush()
        record(actor, "user.create", "user", user.id, new=user.email, roles=sorted(roles))
    return user


def home_endpoint(user: User) -> str:
    """Where a user lands after logging in: a juror goes straight to their juries."""
    from .models import COUNCIL, JUROR, ORGANISER
    if user.has_role(ORGANISER, COUNCIL):
        return "dashboard.index" if user.has_role(ORGANISER) else "council.index"
    if user.has_role(JUROR):
        return "grading.index"
    return "auth.account"
