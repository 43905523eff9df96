"""Limits on guesses: a sliding window per bucket, shared through the database."""
from datetime import datetime, timedelta

import pytest

from certif.database import write_transaction
from certif.errors import TooManyRequests
from certif.extensions import db
from certif.throttling import services as throttling
from certif.throttling.models import ThrottleHit

LIMIT = throttling.Limit("test", 3, timedelta(minutes=15))
NOW = datetime(2026, 12, 3, 10, 0)


def hits(key, *minutes_ago):
    with write_transaction():
        for minutes in minutes_ago:
            throttling.count_hit(LIMIT, key, NOW - timedelta(minutes=minutes))


@pytest.mark.parametrize("minutes_ago,opens_at", [
    ((), None),                                   # nothing counted
    ((1, 2), None),                               # under the limit
    ((1, 2, 3), NOW - timedelta(minutes=3) + LIMIT.window),   # the oldest of the 3 ages out
    ((1, 2, 16), None),                           # one is older than the window
    ((1, 2, 3, 4, 5), NOW - timedelta(minutes=3) + LIMIT.window),
])
def test_a_bucket_opens_when_its_oldest_counted_event_ages_out(app, minutes_ago, opens_at):
    hits("jane@exemple.fr", *minutes_ago)
    assert throttling.blocked_until(LIMIT, "jane@exemple.fr", NOW) == opens_at


def test_buckets_ignore_case_and_spaces_and_stay_apart(app):
    hits(" Jane@Exemple.fr ", 1, 2, 3)
    assert throttling.blocked_until(LIMIT, "jane@exemple.fr", NOW) is not None
    assert throttling.blocked_until(LIMIT, "paul@exemple.fr", NOW) is None


def test_a_blocked_bucket_says_when_to_retry_in_french(app, monkeypatch):
    monkeypatch.setattr(throttling, "utcnow", lambda: NOW)
    hits("jane@exemple.fr", 1, 2, 3)
    with pytest.raises(TooManyRequests) as refused:
        throttling.refuse_if_blocked("Trop de tentatives.", (LIMIT, "jane@exemple.fr"))
    assert refused.value.retry_at == NOW + timedelta(minutes=12)
    assert "Trop de tentatives. Réessayez à" in refused.value.message
    assert "(dans 12 minutes)" in refused.value.message


def test_events_older_than_a_day_are_deleted_whatever_their_bucket(app):
    hits("old@exemple.fr", 60 * 25)
    hits("new@exemple.fr", 1)
    assert db.session.scalars(db.select(ThrottleHit.bucket)).all() == ["test:new@exemple.fr"]
