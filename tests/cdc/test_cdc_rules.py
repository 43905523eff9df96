"""The pure rules of the declarations to the Caisse des Dépôts: deadline, countdown, states,
the CDC's answers and the processing report's format."""
from datetime import date

import pytest

from certif.cdc import inputs, rules
from certif.cdc.models import ACCEPTED, DECLARED, REJECTED
from certif.errors import InvalidInput

DUE = date(2027, 3, 1)


@pytest.mark.parametrize(("today", "expected", "late"), [
    (date(2026, 11, 30), "91 jours", False),
    (date(2026, 12, 1), "90 jours", False),
    (date(2027, 2, 27), "2 jours", False),
    (date(2027, 2, 28), "1 jour (demain)", False),
    (date(2027, 3, 1), "dernier jour aujourd'hui", False),
    (date(2027, 3, 2), "en retard de 1 jour", True),
    (date(2027, 3, 11), "en retard de 10 jours", True),
])
def test_countdown_to_the_deadline(today, expected, late):
    assert rules.countdown(DUE, today) == expected
    assert rules.is_late(DUE, today) is late


@pytest.mark.parametrize(("awarded", "months", "due"), [
    (date(2026, 12, 1), 3, date(2027, 3, 1)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),  # no 30 February: the month's last day
    (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
    (date(2026, 1, 15), 3, date(2026, 4, 15)),
    (date(2026, 10, 31), 1, date(2026, 11, 30)),
    (date(2026, 5, 10), 12, date(2027, 5, 10)),
])
def test_deadline_is_months_after_the_award(awarded, months, due):
    assert rules.deadline(awarded, months) == due


@pytest.mark.parametrize(("status", "problems", "changed", "state"), [
    (None, [], False, rules.TO_DECLARE),
    (None, ["Sexe (à compléter)"], False, rules.TO_CORRECT),
    (DECLARED, [], False, DECLARED),
    (DECLARED, [], True, DECLARED),  # sent: waits for the CDC's answer
    (ACCEPTED, [], True, ACCEPTED),  # accepted passages are never sent again
    (REJECTED, [], False, REJECTED),  # rejected, data unchanged: to correct first
    (REJECTED, [], True, rules.TO_DECLARE),  # corrected: sent again, same technical id
    (REJECTED, ["Sexe (à corriger : M ou F)"], True, rules.TO_CORRECT),
])
def test_state_of_a_line(status, problems, changed, state):
    sent = None if status is None else "sent"
    assert rules.state_of(status, problems, "now" if changed else "sent", sent) == state


@pytest.mark.parametrize(("status", "state"), [
    (None, rules.NOT_DECLARED),  # revoked before it was sent: never declared
    (REJECTED, rules.NOT_DECLARED),
    (DECLARED, DECLARED),  # already sent: the page asks to have it withdrawn
    (ACCEPTED, ACCEPTED),
])
def test_state_of_a_revoked_certificate(status, state):
    assert rules.state_of(status, [], "now", None if status is None else "sent", revoked=True) == state


def test_technical_id_and_fingerprint_are_stable():
    assert rules.technical_id("RS6240-2026-0001") == "certif-RS6240-2026-0001"
    line = {"a": date(2026, 1, 2), "b": None, "c": ("insee", "69123")}
    assert rules.fingerprint(line) == rules.fingerprint(dict(reversed(line.items())))
    assert rules.fingerprint(line) != rules.fingerprint({**line, "b": "x"})


@pytest.mark.parametrize(("client", "contract", "expected"), [
    ("ABCD1234", "C-1", 0),
    ("ABC123", "C-1", 1),  # idClient: exactly 8 characters
    (None, None, 2),
    ("ABCD1234", "X" * 21, 1),  # idContrat: 20 at most
])
def test_configuration_problems(client, contract, expected):
    assert len(rules.config_problems(client, contract)) == expected


def test_a_rejection_needs_its_reason():
    assert rules.answer_problem(True, None) is None
    assert rules.answer_problem(False, "Code INSEE inconnu") is None
    assert "motif" in rules.answer_problem(False, None)


def test_report_is_read_with_either_separator_and_accents():
    answers = inputs.parse_report(
        "\ufeffidTechnique;statut;motif\ncertif-A;ACCEPTÉ;\ncertif-B;Rejeté;Date de naissance "
        "incohérente\n\n".encode())
    assert answers == [rules.Answer("certif-A", True, None),
                       rules.Answer("certif-B", False, "Date de naissance incohérente")]
    assert inputs.parse_report(b"idTechnique,statut,motif\ncertif-A,OK,\n") == [
        rules.Answer("certif-A", True, None)]


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "Choisissez le fichier"),
    (b"\xff\xfe\x00i\x00d", "UTF-8"),
    (b"id;etat\ncertif-A;ACCEPTE\n", "idTechnique;statut;motif"),
    (b"idTechnique;statut;motif\ncertif-A;PEUT-ETRE;\n", "ligne 2 : statut"),
    (b"idTechnique;statut;motif\ncertif-A;REJETE;\n", "ligne 2 : indiquez le motif"),
    (b"idTechnique;statut;motif\ncertif-A;ACCEPTE;\ncertif-A;ACCEPTE;\n", "ligne 3"),
    (b"idTechnique;statut;motif\n;ACCEPTE;\n", "idTechnique vide"),
    (b"idTechnique;statut;motif\n", "aucune ligne"),
])
def test_bad_report_is_refused_whole(raw, message):
    with pytest.raises(InvalidInput) as refused:
        inputs.parse_report(raw)
    assert message in refused.value.message
