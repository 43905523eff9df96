"""Pure rules: number format, code alphabet and normalisation, the 3-week deadline."""
from datetime import date

import pytest

from certif.certificates import rules


@pytest.mark.parametrize("code, year, seq, expected", [
    ("RS6240", 2026, 1, "RS6240-2026-0001"),
    ("RS6240", 2026, 42, "RS6240-2026-0042"),
    ("RNCP-CM", 2027, 9999, "RNCP-CM-2027-9999"),
    ("RS6240", 2026, 10000, "RS6240-2026-10000"),
])
def test_number_format(code, year, seq, expected):
    assert rules.certificate_number(code, year, seq) == expected
    assert rules.is_well_formed_number(expected)


@pytest.mark.parametrize("existing, expected", [
    ([], 1),
    (["RS6240-2026-0001", "RS6240-2026-0002"], 3),
    (["RS6240-2026-0007", "RS6240-2026-0002"], 8),
    (["RS6240-2025-0009", "RNCP-CM-2026-0004"], 1),  # other year, other referential
    (["RS6240-2026-00X1"], 1),
])
def test_next_sequence(existing, expected):
    assert rules.next_sequence(existing, "RS6240", 2026) == expected


def test_codes_use_the_unambiguous_alphabet():
    codes = {rules.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == rules.CODE_LENGTH and rules.is_well_formed_code(code)
    assert not set("01OIL") & set(rules.CODE_ALPHABET)


@pytest.mark.parametrize("raw, expected", [
    ("ABCDE-FGHJK", "ABCDEFGHJK"),
    ("abcde fghjk", "ABCDEFGHJK"),
    ("  aBcDe–fGhJk \t", "ABCDEFGHJK"),  # en dash, tab
    ("AB-CD-EF GH JK", "ABCDEFGHJK"),
    ("", ""),
    (None, ""),
])
def test_code_normalisation(raw, expected):
    assert rules.normalise_code(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("rs6240-2026-0001", "RS6240-2026-0001"),
    (" RS6240 – 2026 — 0001 ", "RS6240-2026-0001"),
    ("RS6240-2026-0001", "RS6240-2026-0001"),
])
def test_number_normalisation(raw, expected):
    assert rules.normalise_number(raw) == expected


def test_format_code():
    assert rules.format_code("ABCDEFGHJK") == "ABCDE-FGHJK"


@pytest.mark.parametrize("number, code, bad", [
    ("RS6240-2026-0001", "ABCDE-FGHJK", False),
    ("", "ABCDE-FGHJK", True),
    ("RS6240-2026-0001", "   ", True),
    ("R" * 41, "ABCDE-FGHJK", True),
    ("RS6240-2026-0001", "A" * 21, True),
    ("RS6240\n2026", "ABCDE-FGHJK", True),
    ("RS6240-2026-0001", "ABCDE\u200bFGHJK", True),
    ("inconnu", "zzzz", False),  # well typed, unknown: answered "no certificate", not 400
])
def test_verification_input(number, code, bad):
    assert (rules.verification_input_problem(number, code) is not None) is bad


@pytest.mark.parametrize("today, overdue", [
    (date(2026, 12, 1), False),   # the session day
    (date(2026, 12, 21), False),  # day 20
    (date(2026, 12, 22), False),  # day 21: the due date itself
    (date(2026, 12, 23), True),   # day 22: overdue
])
def test_delivery_deadline(today, overdue):
    due = rules.delivery_due(date(2026, 12, 1))
    assert due == date(2026, 12, 22)
    assert rules.is_overdue(due, today) is overdue
