from datetime import date, datetime, timedelta

import pytest

from certif.examday import rules

NOW = datetime(2026, 12, 1, 9, 0)


@pytest.mark.parametrize("raw, expected", [
    ("ABCD-EFGH", "ABCDEFGH"),
    ("abcd efgh", "ABCDEFGH"),
    ("  ab-cd-ef-gh ", "ABCDEFGH"),
    ("ABCD\u2013EFGH", "ABCDEFGH"),
    ("ABCDEFG", None),            # too short
    ("ABCDEFGHJ", None),          # too long
    ("ABCD-EFG0", None),          # 0 is not in the alphabet (ambiguous with O)
    ("ABCD-EFGI", None),          # I neither (ambiguous with 1)
    ("", None),
    (None, None),
])
def test_normalise_code(raw, expected):
    assert rules.normalise_code(raw) == expected


def test_new_code_is_in_the_alphabet_and_formats_with_a_dash():
    code = rules.new_code()
    assert len(code) == rules.CODE_LENGTH and set(code) <= set(rules.CODE_ALPHABET)
    assert rules.format_code("ABCDEFGH") == "ABCD-EFGH"
    assert rules.normalise_code(rules.format_code(code).lower()) == code
    assert not set("0O1IL") & set(rules.CODE_ALPHABET)


@pytest.mark.parametrize("used, revoked, expires, state", [
    (None, None, NOW + timedelta(seconds=1), rules.VALID),
    (None, None, NOW, rules.EXPIRED),                       # expiry instant: no longer valid
    (None, None, NOW - timedelta(minutes=1), rules.EXPIRED),
    (None, NOW, NOW + timedelta(minutes=5), rules.REVOKED),
    (NOW, None, NOW + timedelta(minutes=5), rules.USED),
    (NOW, None, NOW - timedelta(minutes=5), rules.USED),    # used says so even once expired
    (None, NOW, NOW - timedelta(minutes=5), rules.REVOKED),
])
def test_link_state(used, revoked, expires, state):
    assert rules.link_state(used_at=used, revoked_at=revoked, expires_at=expires, now=NOW) == state


def test_expiry():
    assert rules.expiry(NOW, 30) == datetime(2026, 12, 1, 9, 30)


@pytest.mark.parametrize("today, refused", [
    (date(2026, 11, 30), True),
    (date(2026, 12, 1), False),
    (date(2026, 12, 2), False),   # catching up afterwards is allowed
])
def test_exam_day_rule(today, refused):
    message = rules.exam_day_refusal(date(2026, 12, 1), today)
    assert (message is not None) == refused
    if refused:
        assert message.startswith("L'épreuve a lieu le 1er décembre 2026 : ")


def test_link_state_closed_after_used_before_revoked():
    now = datetime(2026, 12, 1, 9, 0)
    later = now.replace(hour=10)
    assert rules.link_state(used_at=None, revoked_at=now, expires_at=now, now=now,
                            closed=True) == rules.CLOSED
    assert rules.link_state(used_at=now, revoked_at=None, expires_at=later, now=now,
                            closed=True) == rules.USED
    assert rules.link_state(used_at=None, revoked_at=None, expires_at=later, now=now) == rules.VALID
