"""The council's pure rules for actions, as tables: every transition, the closing rule,
what is overdue."""
from datetime import date

import pytest

from certif.council import rules
from certif.council.models import (
    ACTION_STATUSES,
    ADOPTED,
    APPLIED,
    IN_PROGRESS,
    PROPOSED,
    SET_ASIDE,
    VERIFIED,
)

ALLOWED = {
    (PROPOSED, ADOPTED), (PROPOSED, SET_ASIDE), (ADOPTED, IN_PROGRESS), (IN_PROGRESS, APPLIED),
    (APPLIED, VERIFIED), (APPLIED, IN_PROGRESS),
}
EVERY_PAIR = [(current, target) for current in ACTION_STATUSES for target in ACTION_STATUSES]


@pytest.mark.parametrize("current, target", EVERY_PAIR)
def test_every_transition_is_allowed_or_refused_in_french(current, target):
    problem = rules.transition_problem(current, target, evidence_text="Compte rendu.", reason="Inutile.")
    if (current, target) in ALLOWED:
        assert problem is None
    elif current == target:
        assert problem == f"L'action est déjà « {ACTION_STATUSES[current]} »."
    elif target == SET_ASIDE and current in (ADOPTED, IN_PROGRESS, APPLIED):
        assert problem.startswith("Une action adoptée est obligatoire")
    else:
        assert problem == (f"Une action « {ACTION_STATUSES[current]} » ne peut pas passer à "
                           f"« {ACTION_STATUSES[target]} ».")


@pytest.mark.parametrize("evidence, problem", [
    (None, rules.MSG_EVIDENCE_REQUIRED), ("", rules.MSG_EVIDENCE_REQUIRED),
    ("   \n", rules.MSG_EVIDENCE_REQUIRED), ("Photo de l'affichage.", None),
])
def test_verifying_needs_evidence(evidence, problem):
    assert rules.transition_problem(APPLIED, VERIFIED, evidence_text=evidence) == problem


@pytest.mark.parametrize("reason, problem", [
    (None, rules.MSG_REASON_REQUIRED), (" ", rules.MSG_REASON_REQUIRED), ("Hors sujet.", None),
])
def test_setting_aside_needs_a_reason(reason, problem):
    assert rules.transition_problem(PROPOSED, SET_ASIDE, reason=reason) == problem


def test_an_unknown_status_is_refused():
    assert rules.transition_problem(PROPOSED, "done") == "Statut d'action inconnu."


@pytest.mark.parametrize("signed, statuses, blocked", [
    (False, [], True),
    (False, [VERIFIED], True),
    (True, [], False),
    (True, [SET_ASIDE], False),
    (True, [VERIFIED, SET_ASIDE], False),
    (True, [PROPOSED], True),  # an undecided proposal would be stranded once closed
    (True, [PROPOSED, SET_ASIDE], True),
    (True, [VERIFIED, SET_ASIDE, PROPOSED], True),
    (True, [ADOPTED], True),
    (True, [IN_PROGRESS, VERIFIED], True),
    (True, [APPLIED], True),
    (True, [ADOPTED, APPLIED, VERIFIED], True),
])
def test_closing_needs_a_signed_opinion_every_adopted_action_verified_and_no_proposal_left(
        signed, statuses, blocked):
    problem = rules.close_problem(signed, statuses)
    assert (problem is not None) == blocked
    if not signed:
        assert problem == rules.MSG_OPINION_UNSIGNED


def test_the_closing_message_counts_the_actions_left():
    assert rules.close_problem(True, [ADOPTED]).startswith("Une action corrective adoptée")
    assert rules.close_problem(True, [ADOPTED, APPLIED]).startswith("2 actions correctives adoptées")


def test_the_closing_message_counts_the_proposals_left():
    assert rules.close_problem(True, [PROPOSED, VERIFIED]) == (
        "Une action proposée n'est ni adoptée ni écartée : décidez-en avant de clôturer la fiche.")
    assert rules.close_problem(True, [PROPOSED, SET_ASIDE, PROPOSED]) == (
        "2 actions proposées ne sont ni adoptées ni écartées : décidez-en avant de clôturer la fiche.")


@pytest.mark.parametrize("status, retained", [
    (PROPOSED, False), (SET_ASIDE, False),
    (ADOPTED, True), (IN_PROGRESS, True), (APPLIED, True), (VERIFIED, True),
])
def test_retained_means_adopted_whatever_happened_since(status, retained):
    assert rules.is_retained(status) is retained


TODAY = date(2026, 12, 10)


@pytest.mark.parametrize("status, due_on, overdue", [
    (ADOPTED, date(2026, 12, 9), True),
    (IN_PROGRESS, date(2026, 12, 9), True),
    (ADOPTED, TODAY, False),  # the due day itself is still in time
    (IN_PROGRESS, date(2026, 12, 11), False),
    (PROPOSED, date(2026, 1, 1), False),  # not adopted: not binding yet
    (APPLIED, date(2026, 1, 1), False),  # applied: the council's verification follows
    (VERIFIED, date(2026, 1, 1), False),
    (SET_ASIDE, date(2026, 1, 1), False),
])
def test_is_overdue(status, due_on, overdue):
    assert rules.is_overdue(status, due_on, TODAY) is overdue
