"""Second factor (TOTP): enrolment, codes at login, recovery codes, disabling, an organiser's reset.

Every code check is throttled per account and per client address (shared across workers
through the database), and each refusal is audited. A code is checked and consumed in one
write transaction on the account's row, so that two requests cannot both use it.
"""
from __future__ import annotations

from datetime import timedelta

import segno
from flask import current_app

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from ..extensions import db
from ..mail import services as mail
from ..throttling import services as throttling
from ..timeutil import utcnow
from . import login_sessions
from . import twofactor_rules as rules
from .models import COUNCIL, ORGANISER, RecoveryCode, User
from .services import client_address

# Wrong codes: per account (a code has a million values, five tries are plenty for a typo)
# and per client address.
ACCOUNT_LIMIT = throttling.Limit("2fa-account", 5, timedelta(minutes=15))
ADDRESS_LIMIT = throttling.Limit("2fa-ip", 50, timedelta(minutes=15))

MSG_LOCKED = "Trop de codes erronés : la saisie des codes est suspendue pour ce compte."
MSG_WRONG = ("Code incorrect ou déjà utilisé : saisissez le code que votre application affiche "
             "maintenant, ou un code de secours inutilisé.")
MSG_WRONG_TOTP = ("Code incorrect ou déjà utilisé : saisissez le code à 6 chiffres que votre "
                  "application affiche maintenant.")
MSG_SHAPE = "Le code comprend 6 chiffres (un code de secours : 10 lettres et chiffres)."
MSG_SHAPE_TOTP = "Le code comprend 6 chiffres : saisissez celui de votre application."
MSG_ALREADY = "La double authentification est déjà activée sur votre compte."
MSG_NOT_ENABLED = "La double authentification n'est pas activée sur ce compte."
MSG_NO_PENDING = "Aucune activation en cours : rechargez la page pour obtenir un nouveau QR code."
MSG_REQUIRED = ("La configuration exige la double authentification pour votre rôle : "
                "vous ne pouvez pas la désactiver.")
MSG_SELF_RESET = ("Vous ne pouvez pas réinitialiser votre propre double authentification : "
                  "connectez-vous avec un code de secours, ou demandez-le à un autre "
                  "responsable d'organisation.")
MSG_NO_USER = "Compte introuvable."
MSG_ORGANISER_ONLY = ("Seul un responsable d'organisation peut réinitialiser la double "
                      "authentification.")


class CodeRefused(ServiceError):
    """A wrong or reused code (counted and audited)."""

    status = 401


# --- Rules that depend on the configuration ---------------------------------------------

def required_for(user: User) -> bool:
    """Organiser and council accounts must use a second factor when CERTIF_REQUIRE_2FA=1."""
    return bool(current_app.config.get("REQUIRE_2FA")) and user.has_role(ORGANISER, COUNCIL)


def must_enrol(user: User) -> bool:
    return required_for(user) and not user.two_factor_enabled


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(db.select(db.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def _locked(user_id: int) -> User | None:
    """The account's row, re-read and locked for the rest of the write transaction."""
    return db.session.get(User, user_id, populate_existing=True, with_for_update={"of": User})


# --- Enrolment --------------------------------------------------------------------------

def pending_secret(user: User) -> str:
    """The secret being enrolled: the unconfirmed one if any (the QR code already scanned
    stays valid when the page is reloaded), else a new one."""
    if user.two_factor_enabled:
        raise Conflict(MSG_ALREADY)
    return user.totp_secret or new_pending_secret(user)


def new_pending_secret(user: User) -> str:
    """A fresh secret replaces an unconfirmed one (e.g. shown to someone else)."""
    with write_transaction():
        row = _locked(user.id)
        if row.two_factor_enabled:
            raise Conflict(MSG_ALREADY)
        row.totp_secret, row.totp_last_step = rules.new_secret(), None
    return row.totp_secret


def qr_code_data_url(user: User, secret: str) -> str:
    """The provisioning URI as an SVG QR code in a data: URL (the CSP allows data: images)."""
    uri = rules.provisioning_uri(secret, user.email, current_app.config["ORGANISATION_NAME"])
    return segno.make_qr(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def confirm_enrolment(user: User, typed: str) -> list[str]:
    """Enable the second factor with a first valid code; the ten recovery codes, shown once."""
    _require_shape(typed, totp_only=True)
    with write_transaction():
        row = _locked(user.id)
        if row.two_factor_enabled:
            raise Conflict(MSG_ALREADY)
        if not row.totp_secret:
            raise Conflict(MSG_NO_PENDING)
        step = rules.matching_step(row.totp_secret, typed, row.totp_last_step)
        if step is None:
            raise CodeRefused(MSG_WRONG_TOTP)
        row.totp_enabled_at, row.totp_last_step = utcnow(), step
        codes = _replace_recovery_codes(row)
        record(row, "2fa.enrol", "user", row.id)
    return codes


# --- Checking codes ---------------------------------------------------------------------

def _require_shape(typed: str | None, totp_only: bool = False) -> str:
    kind = rules.kind_of(typed)
    if kind is None or (totp_only and kind != rules.TOTP):
        raise InvalidInput(MSG_SHAPE_TOTP if totp_only else MSG_SHAPE)
    return kind


def _checks(user: User) -> tuple[tuple[throttling.Limit, str], ...]:
    return (ACCOUNT_LIMIT, str(user.id)), (ADDRESS_LIMIT, client_address())


def check_code(user: User, typed: str | None, totp_only: bool = False,
               purpose: str = "login") -> str:
    """Consume a right code: rules.TOTP or rules.RECOVERY, the method used.

    Raises InvalidInput (not a code's shape, not counted), CodeRefused (counted, audited)
    or TooManyRequests (429) once the account or the address has had too many wrong codes.
    """
    kind = _require_shape(typed, totp_only)
    if not user.two_factor_enabled:
        raise Conflict(MSG_NOT_ENABLED)
    throttling.refuse_if_blocked(MSG_LOCKED, *_checks(user))
    with write_transaction():
        row = _locked(user.id)
        accepted = row.two_factor_enabled and (
            _use_totp(row, typed) if kind == rules.TOTP else _use_recovery_code(row, typed))
        if accepted and kind == rules.RECOVERY:
            db.session.flush()
            record(row, "2fa.recovery_used", "user", row.id, purpose=purpose,
                   remaining=recovery_codes_left(row))
        elif not accepted:
            _count_failure(row, kind, purpose)
    if not accepted:
        throttling.refuse_if_blocked(MSG_LOCKED, *_checks(user))
        raise CodeRefused(MSG_WRONG_TOTP if totp_only else MSG_WRONG)
    return kind


def _use_totp(row: User, typed: str) -> bool:
    step = rules.matching_step(row.totp_secret, typed, row.totp_last_step)
    if step is None:
        return False
    row.totp_last_step = step  # this code, and every earlier one, will not serve again
    return True


def _use_recovery_code(row: User, typed: str) -> bool:
    code = db.session.scalar(db.select(RecoveryCode).where(
        RecoveryCode.user_id == row.id, RecoveryCode.code_hash == rules.recovery_hash(typed),
        RecoveryCode.used_at.is_(None)))
    if code is None:
        return False
    code.used_at = utcnow()
    return True


def _count_failure(row: User, kind: str, purpose: str) -> None:
    """Inside the check's write transaction: count the wrong code, audit it and any lock."""
    (account, user_key), (address, address_key) = _checks(row)
    throttling.count_hit(account, user_key)
    throttling.count_hit(address, address_key)
    record(row, "2fa.failed", "user", row.id, kind=kind, purpose=purpose)
    db.session.flush()
    if throttling.blocked_until(account, user_key):
        record(row, "login.locked_2fa", "user", row.id, scope="account")
    if throttling.blocked_until(address, address_key):
        record(row, "login.locked_2fa", "user", row.id, scope="address", address=address_key)


# --- Recovery codes, disabling, reset ---------------------------------------------------

def _replace_recovery_codes(row: User) -> list[str]:
    """Ten new codes instead of the old ones; only their hashes are kept."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == row.id))
    codes = rules.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=row.id, code_hash=rules.recovery_hash(code))
                       for code in codes)
    return [rules.shown(code) for code in codes]


def regenerate_recovery_codes(user: User, typed: str | None) -> list[str]:
    """New recovery codes (the old ones stop working), on a current code of the app."""
    check_code(user, typed, totp_only=True, purpose="regenerate")
    with write_transaction():
        row = _locked(user.id)
        codes = _replace_recovery_codes(row)
        record(row, "2fa.recovery_regenerate", "user", row.id)
    return codes


def _clear(row: User) -> None:
    row.totp_secret = row.totp_enabled_at = row.totp_last_step = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == row.id))


def disable(user: User, typed: str | None) -> None:
    """Turn one's own second factor off, on a current code or a recovery code."""
    if required_for(user):
        raise Conflict(MSG_REQUIRED)
    method = check_code(user, typed, purpose="disable")
    with write_transaction():
        row = _locked(user.id)
        _clear(row)
        record(row, "2fa.disable", "user", row.id, method=method)


def reset_for(actor: User, user_id: int) -> User:
    """An organiser clears another account's second factor and ends its sessions.

    Nobody resets their own: that would let a stolen password replace a lost phone.
    The account holder is told by email.
    """
    if not actor.has_role(ORGANISER):
        raise Forbidden(MSG_ORGANISER_ONLY)
    if user_id == actor.id:
        raise Forbidden(MSG_SELF_RESET)
    with write_transaction():
        row = _locked(user_id)
        if row is None:
            raise NotFound(MSG_NO_USER)
        if not row.two_factor_enabled and not row.totp_secret:
            raise Conflict(MSG_NOT_ENABLED)
        was_enabled = row.two_factor_enabled
        _clear(row)
        ended = login_sessions.revoke_all(row.id, "second_factor")
        throttling.clear(ACCOUNT_LIMIT, str(row.id))
        record(actor, "2fa.reset", "user", row.id, old="active" if was_enabled else "pending",
               new="none", sessions_ended=ended)
    _tell_of_reset(row, actor)
    return row


def _tell_of_reset(user: User, actor: User) -> None:
    mail.send([user.email], "Votre double authentification a été réinitialisée", (
        f"Bonjour {user.first_name},\n\n"
        f"{actor.full_name} a réinitialisé la double authentification de votre compte certif "
        f"({user.email}) : vos sessions ouvertes ont été fermées.\n\n"
        "À votre prochaine connexion, votre mot de passe suffira ; activez à nouveau la double "
        "authentification depuis « Mon compte » avec votre application d'authentification.\n\n"
        "Si vous n'avez pas demandé cette réinitialisation, prévenez sans attendre le "
        "responsable d'organisation et changez votre mot de passe.\n"))
