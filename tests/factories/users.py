"""Accounts: a user with roles, logged in with PASSWORD."""
from itertools import count

from werkzeug.security import generate_password_hash

from certif.auth.models import JUROR, User
from certif.extensions import db

PASSWORD = "motdepasse-test"
# Hashed once, cheaply: the production hash (scrypt) would dominate the suite's time.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_seq = count(1)


def make_user(*roles: str, first_name="Camille", last_name=None, **fields) -> User:
    """A user with these roles (a juror without habilitation profile when none is given)."""
    n = next(_seq)
    user = User(email=f"user{n}@test.fr", first_name=first_name, last_name=last_name or f"Test{n}",
                **fields)
    user.password_hash = PASSWORD_HASH
    for role in roles or (JUROR,):
        user.grant(role)
    db.session.add(user)
    db.session.commit()
    return user
