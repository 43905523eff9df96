"""The password policy, pure Python: long enough, not about the person, not common.

"Common" is decided by zxcvbn (a maintained port of Dropbox's estimator): the password is
in its list of the 30,000 most used passwords, or its estimate says it falls to an
online guessing attack (score below 3), names and email included as known words.
"""
from __future__ import annotations

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from ..text import fold

MIN_LENGTH = 12
MAX_LENGTH = 128
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])
_SHORTEST_NAME_PART = 3  # "Li" inside a password is no leak; "Dupont" is

TOO_SHORT = f"Le mot de passe doit contenir au moins {MIN_LENGTH} caractères."
TOO_LONG = f"Le mot de passe doit contenir au plus {MAX_LENGTH} caractères."
HAS_EMAIL = "Le mot de passe ne doit pas contenir votre adresse e-mail."
HAS_NAME = "Le mot de passe ne doit pas contenir votre nom ou votre prénom."
COMMON = ("Ce mot de passe est trop courant ou trop facile à deviner : choisissez une phrase "
          "de plusieurs mots ou une suite de caractères sans lien avec vous.")


def _name_parts(*names: str) -> list[str]:
    parts = []
    for name in names:
        for part in fold(name).replace("-", " ").replace("'", " ").split():
            if len(part) >= _SHORTEST_NAME_PART:
                parts.append(part)
    return parts


def password_problems(password: str, email: str = "", first_name: str = "",
                      last_name: str = "") -> list[str]:
    """Every reason, in French, why `password` is refused; empty when it is accepted."""
    if len(password) < MIN_LENGTH:
        return [TOO_SHORT]
    if len(password) > MAX_LENGTH:
        return [TOO_LONG]
    problems = []
    folded = fold(password)
    email = fold(email)
    local = email.partition("@")[0]
    if email and (email in folded or (len(local) >= _SHORTEST_NAME_PART and local in folded)):
        problems.append(HAS_EMAIL)
    if any(part in folded for part in _name_parts(first_name, last_name)):
        problems.append(HAS_NAME)
    if not problems and (password.lower() in _COMMON or _too_guessable(password, email, first_name,
                                                                        last_name)):
        problems.append(COMMON)
    return problems


# zxcvbn refuses longer input (ValueError: its work grows fast with the length); the first
# 72 characters of a passphrase are plenty to judge it.
_ESTIMATED_LENGTH = 72


def _too_guessable(password: str, *known: str) -> bool:
    return zxcvbn(password[:_ESTIMATED_LENGTH], user_inputs=[k for k in known if k])["score"] < 3
