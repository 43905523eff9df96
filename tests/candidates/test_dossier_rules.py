"""The candidate's file as rules: the deadline (D-10 on time, D-9 late), the summary's words,
the pieces each pathway and answer require, and the referential's declaration."""
from datetime import date, timedelta

import pytest

from certif.candidates.dossier import rules
from certif.referentials import loader
from certif.referentials.deliverables import deliverables_of
from certif.referentials.loader import ReferentialError

SESSION_DAY = date(2026, 6, 20)


def _cm():
    data, _ = loader.read(loader.DATA_DIR / "rncp_cm.yaml")
    return deliverables_of(data)


@pytest.mark.parametrize("days_before, state", [
    (11, rules.PRESENT), (10, rules.PRESENT), (9, rules.LATE), (0, rules.LATE)])
def test_the_technical_dossier_is_due_ten_days_before_the_session(days_before, state):
    due = rules.due_date(SESSION_DAY, 10)
    assert due == date(2026, 6, 10)
    assert rules.piece_state(SESSION_DAY - timedelta(days=days_before), due) == state
    assert rules.piece_state(None, due) == rules.MISSING


def test_an_extension_moves_the_last_day_only_later():
    due = date(2026, 6, 10)
    assert rules.last_day(due, date(2026, 6, 14)) == date(2026, 6, 14)
    assert rules.last_day(due, date(2026, 6, 1)) == due
    assert rules.last_day(due, None) == due


@pytest.mark.parametrize("words, problem", [
    (199, "Le résumé compte 199 mots : il en faut entre 200 et 250."),
    (200, None), (250, None),
    (251, "Le résumé compte 251 mots : il en faut entre 200 et 250.")])
def test_the_summary_has_200_to_250_words(words, problem):
    assert rules.words_problem(" ".join(["mot"] * words), (200, 250)) == problem


@pytest.mark.parametrize("text, count", [
    ("", 0), ("  un   deux\ntrois ", 3), ("l'entreprise bien-être – fin.", 3), ("2026 : 12 %", 2)])
def test_words_are_counted_between_spaces_when_they_hold_a_letter_or_digit(text, count):
    assert rules.word_count(text) == count


PIECES_ALWAYS = {"technical_dossier", "summary", "realisation_url", "video", "company_brief", "cv"}


@pytest.mark.parametrize("pathway, answers, expected", [
    ("training", {}, PIECES_ALWAYS | {"internship_planned", "training_attestation"}),
    ("partner", {"internship_planned": True},
     PIECES_ALWAYS | {"internship_planned", "internship_assessment", "training_attestation"}),
    ("vae", {"internship_planned": True}, PIECES_ALWAYS),
    ("vae", {"company_brief": True}, PIECES_ALWAYS | {"company_letter", "confidential"}),
    ("vae", {"company_brief": True, "confidential": True},
     PIECES_ALWAYS | {"company_letter", "confidential", "confidentiality_letter"}),
    ("training", {"company_brief": False, "confidential": True},
     PIECES_ALWAYS | {"internship_planned", "training_attestation"}),
])
def test_the_pathway_and_the_answers_decide_the_pieces(pathway, answers, expected):
    assert {p.key for p in rules.required_pieces(_cm(), pathway, answers)} == expected


def test_rs6240_declares_no_piece():
    data, _ = loader.read(loader.DATA_DIR / "rs6240.yaml")
    assert deliverables_of(data).pieces == ()


def test_the_title_declares_its_plan_deadline_and_bounds():
    cm = _cm()
    assert cm.due_days_before == 10 and len(cm.plan) == 8
    assert cm.piece("summary").words == (200, 250) and cm.piece("video").max_minutes == 5


@pytest.mark.parametrize("piece, message", [
    ({"key": "x", "label": "X", "dossier": "technique", "kind": "zip"}, "« kind » inconnu"),
    ({"key": "x", "label": "X", "dossier": "autre", "kind": "pdf"}, "« dossier » inconnu"),
    ({"key": "x", "label": "X", "dossier": "technique", "kind": "pdf", "when": "nope"}, "« when »"),
    ({"key": "x", "label": "X", "dossier": "technique", "kind": "text"}, "« words »"),
    ({"key": "x", "label": "X", "dossier": "technique", "kind": "pdf", "pathways": ["cpf"]}, "parcours"),
    ({"key": "x", "label": "X", "dossier": "technique", "kind": "pdf", "confidentiality": True},
     "« confidentiality »"),
])
def test_a_bad_piece_declaration_is_refused(piece, message):
    data, _ = loader.read(loader.DATA_DIR / "rncp_cm.yaml")
    data["deliverables"]["pieces"].append(piece)
    with pytest.raises(ReferentialError, match=message):
        loader.check(data, "rncp_cm.yaml")


@pytest.mark.parametrize("value, ok", [
    ("https://blog.test/projet", True), ("http://a.test", True), ("ftp://a.test", False),
    ("javascript:alert(1)", False), ("blog.test", False), ("", False)])
def test_links_are_http_or_https(value, ok):
    assert (rules.url_problem(value) is None) == ok


@pytest.mark.parametrize("minutes, ok", [(5, True), (1, True), (6, False), (0, False), (None, False)])
def test_the_video_lasts_at_most_five_minutes(minutes, ok):
    assert (rules.minutes_problem(minutes, 5) is None) == ok
