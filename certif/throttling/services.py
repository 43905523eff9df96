"""Limits on guesses, counted in the database so that every worker and process shares them.

A limit is a number of events (failed logins, wrong codes…) in a sliding window: once a
bucket holds `max_hits` events younger than `window`, it is blocked until the oldest of
those ages out. Events are counted by the caller (usually failures only), so that a
person who gets it right is never slowed down.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..audit.services import record
from ..database import write_transaction
from ..errors import ServiceError, TooManyRequests
from ..extensions import db
from ..timeutil import french_time, utcnow
from .models import ThrottleHit

# Events older than this are of no use to any limit: they are deleted as new ones come.
KEEP = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    prefix: str  # the bucket's kind, e.g. "login-account"
    max_hits: int
    window: timedelta

    def bucket(self, key: str) -> str:
        return f"{self.prefix}:{key.strip().lower()}"[:300]


def blocked_until(limit: Limit, key: str, now: datetime | None = None) -> datetime | None:
    """When the bucket opens again (naive UTC), or None if it is open now."""
    now = now or utcnow()
    bucket = limit.bucket(key)
    recent = db.session.scalars(
        db.select(ThrottleHit.at).where(ThrottleHit.bucket == bucket,
                                        ThrottleHit.at > now - limit.window)
        .order_by(ThrottleHit.at.desc()).limit(limit.max_hits)).all()
    if len(recent) < limit.max_hits:
        return None
    return recent[-1] + limit.window


def count_hit(limit: Limit, key: str, now: datetime | None = None) -> None:
    """Count one event; call inside the caller's write transaction."""
    now = now or utcnow()
    bucket = limit.bucket(key)
    db.session.add(ThrottleHit(bucket=bucket, at=now))
    # Every bucket's stale events go (indexed on `at`), not only this one's: guesses spread
    # over many keys must not grow the table for ever.
    db.session.execute(db.delete(ThrottleHit).where(ThrottleHit.at < now - KEEP))


def clear(limit: Limit, key: str) -> None:
    """Forget a bucket's events (e.g. an account's failures once its password is reset)."""
    db.session.execute(db.delete(ThrottleHit).where(ThrottleHit.bucket == limit.bucket(key)))


def retry_message(retry_at: datetime, now: datetime | None = None) -> str:
    """« Réessayez à 14 h 35 (dans 12 minutes). »"""
    now = now or utcnow()
    minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Réessayez à {french_time(retry_at)} (dans {minutes} {unit})."


def refuse_if_blocked(message: str, *checks: tuple[Limit, str]) -> None:
    """Raise TooManyRequests (429) when any of the (limit, key) buckets is blocked."""
    now = utcnow()
    until = max((t for t in (blocked_until(limit, key, now) for limit, key in checks) if t),
                default=None)
    if until is not None:
        raise TooManyRequests(f"{message} {retry_message(until, now)}", retry_at=until)


def count_failure(limit: Limit, address: str, message: str, surface: str) -> None:
    """Count one wrong guess from a client `address` (its own write transaction). The failure
    that reaches the limit is audited ("throttle.locked") and answered with the 429 at once."""
    with write_transaction():
        count_hit(limit, address)
        db.session.flush()
        until = blocked_until(limit, address)
        if until is not None:
            record(None, "throttle.locked", "throttle", None, new=limit.prefix, surface=surface,
                   address=address, until=until.isoformat(timespec="seconds"))
    refuse_if_blocked(message, (limit, address))


@contextmanager
def guarding(limit: Limit, address: str, message: str, surface: str):
    """Around one guess (a code, a link, a certificate's number) from a client `address`:
    refused with a 429 while the address is locked out; a ServiceError raised inside
    (unknown, invalid, expired…) counts as a failure, then goes on. Not inside a write
    transaction (the failure is counted in one of its own)."""
    refuse_if_blocked(message, (limit, address))
    try:
        yield
    except TooManyRequests:
        raise
    except ServiceError:
        count_failure(limit, address, message, surface)
        raise


def retry_after_seconds(exc: TooManyRequests) -> int:
    """Seconds until a throttled client may try again (the Retry-After header)."""
    if exc.retry_at is None:
        return 60
    return max(1, math.ceil((exc.retry_at - utcnow()).total_seconds()))
