"""Second factor rules with no Flask in them: TOTP steps, recovery codes, how codes are typed.

A TOTP code is accepted for the current 30-second step or the one just before or after
(clocks drift), and only for a step later than the last one accepted: a code serves once.
Recovery codes are ten characters from an alphabet without look-alikes (no 0/O, 1/I/L),
shown as ABCDE-FGHJK, typed in any case with or without spaces and dashes, kept hashed.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import time

import pyotp

TOTP_DIGITS = 6
VALID_WINDOW = 1  # steps either side of the current one
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECOVERY_LENGTH = 10

TOTP = "totp"
RECOVERY = "recovery_code"

_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, organisation: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=f"certif {organisation}")


def grouped(text: str, size: int = 4) -> str:
    """« JBSW Y3DP EHPK 3PXP »: a secret to copy by hand, four characters at a time."""
    return " ".join(text[i:i + size] for i in range(0, len(text), size))


def normalise(typed: str | None) -> str:
    """What was typed, without spaces, dashes or case: « abcde-fghjk » -> « ABCDEFGHJK »."""
    return _SEPARATORS.sub("", typed or "").upper()


def kind_of(typed: str | None) -> str | None:
    """TOTP for six digits, RECOVERY for a recovery code's shape, None for anything else."""
    code = normalise(typed)
    if len(code) == TOTP_DIGITS and code.isdigit():
        return TOTP
    if len(code) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in code):
        return RECOVERY
    return None


def matching_step(secret: str, typed: str, last_step: int | None,
                  now: float | None = None) -> int | None:
    """The time step whose code this is, if it is valid now and later than `last_step`."""
    code = normalise(typed)
    if kind_of(code) != TOTP:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if now is None else now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten fresh codes, as the user types them (normalised, without the dash)."""
    return ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
            for _ in range(RECOVERY_CODE_COUNT)]


def shown(code: str) -> str:
    """« ABCDEFGHJK » -> « ABCDE-FGHJK »."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def recovery_hash(typed: str) -> str:
    return hashlib.sha256(normalise(typed).encode()).hexdigest()
