"""A partner organisation's livret as CSV (seed 001, 5-2-4): read as the candidates' import
reads a file, every line checked with French line-numbered errors, then written all or none."""
from datetime import date

import pytest

from certif.candidates.livret import writes
from certif.candidates.livret.csv_import import Structure, parse
from certif.candidates.livret.models import LivretEvaluation

from ..factories.candidates import make_candidate
from ..factories.livret import add_project, make_livret
from .helpers import csv_bytes

TODAY = date(2026, 6, 1)
HEADER = "bloc;compétence;date;type;résultat;évaluateur;commentaire"
STRUCTURE = Structure({"C1.1": "BC01", "C1.2": "BC01", "C2.1": "BC02"}, ("BC01", "BC02"))
GOOD = [
    "BC01;C1.1;02/03/2026;étude de cas;acquis;Mme Formatrice;Diagnostic clair",
    ";C1.2;2026-03-09;Quiz;non acquis;Mme Formatrice;",
    "BC01;;20/03/2026;projet de bloc;validé;M. Référent;Veille et stratégie",
]


def check(*lines):
    return parse(csv_bytes(*lines, header=HEADER), STRUCTURE, TODAY)


def test_a_good_file_gives_evaluations_and_block_projects():
    result = check(*GOOD)
    assert result.ok
    first, second, project = (r.data for r in result.rows)
    assert (first.competency_code, first.kind, first.acquired) == ("C1.1", "case_study", True)
    assert (second.evaluated_on, second.acquired, second.comment) == (date(2026, 3, 9), False, None)
    assert (project.block_code, project.validated_by) == ("BC01", "M. Référent")


@pytest.mark.parametrize(("line", "message"), [
    (";C9.9;02/03/2026;quiz;acquis;Mme F;",
     "Ligne 2 : compétence inconnue dans le référentiel du livret (« C9.9 »)"),
    (";C1.1;31/02/2026;quiz;acquis;Mme F;",
     "Ligne 2 : date de l'évaluation invalide : date au format jj/mm/aaaa attendue (« 31/02/2026 »)"),
    (";C1.1;02/07/2026;quiz;acquis;Mme F;",
     "Ligne 2 : date de l'évaluation invalide : elle ne peut pas être dans le futur (« 02/07/2026 »)"),
    (";C1.1;02/03/2026;oral;acquis;Mme F;",
     "Ligne 2 : type d'évaluation inconnu : « quiz », « étude de cas », « travaux pratiques » ou "
     "« projet » attendu (« oral »)"),
    (";C1.1;02/03/2026;quiz;peut-être;Mme F;",
     "Ligne 2 : résultat inconnu : « acquis » ou « non acquis » attendu (« peut-être »)"),
    (";C1.1;02/03/2026;quiz;acquis;;", "Ligne 2 : évaluateur obligatoire"),
    ("BC02;C1.1;02/03/2026;quiz;acquis;Mme F;",
     "Ligne 2 : la compétence C1.1 appartient au bloc BC01 (« BC02 »)"),
    ("BC01;C1.1;20/03/2026;projet de bloc;validé;M. R;",
     "Ligne 2 : un projet de bloc ne nomme pas de compétence : laissez la colonne « compétence » "
     "vide (« C1.1 »)"),
    ("BC03;;20/03/2026;projet de bloc;;M. R;",
     "Ligne 2 : bloc inconnu dans le référentiel du livret (« BC03 »)"),
])
def test_each_bad_line_is_reported_with_its_number(line, message):
    result = check(line, GOOD[0])
    assert result.messages == [message]
    assert not result.ok


def test_a_line_twice_and_an_unknown_column():
    assert check(GOOD[2], GOOD[2]).messages == ["Ligne 3 : même projet de bloc que la ligne 2"]
    result = parse(csv_bytes("x", header="bloc;note"), STRUCTURE, TODAY)
    assert result.messages[0].startswith("Ligne 1 : colonne inconnue « note ». Colonnes possibles : "
                                         "bloc, compétence, date, type")


def test_the_import_writes_every_line_or_none(app, organiser_user, set_paris_today):
    set_paris_today(TODAY)
    candidate = make_candidate(pathway="partner", partner_organisation="Digital Campus")
    livret = make_livret(candidate)
    add_project(livret, "BC02")
    # One line is refused (BC02's project is already validated): nothing is written.
    bad = csv_bytes(*GOOD, "BC02;;20/03/2026;projet de bloc;;M. Référent;", header=HEADER)
    outcome = writes.import_csv(organiser_user, candidate.id, "partenaire.csv", bad)
    assert outcome.errors == ["Ligne 5 : le projet du bloc BC02 est déjà validé dans le livret"]
    assert LivretEvaluation.query.count() == 0
    outcome = writes.import_csv(organiser_user, candidate.id, "partenaire.csv",
                                csv_bytes(*GOOD, header=HEADER))
    assert (outcome.errors, outcome.evaluations, outcome.projects) == ([], 2, 1)
    assert {e.source for e in LivretEvaluation.query} == {"import"}
    # The same file again: its evaluations are already there.
    outcome = writes.import_csv(organiser_user, candidate.id, "partenaire.csv",
                                csv_bytes(*GOOD, header=HEADER))
    assert len(outcome.errors) == 3 and LivretEvaluation.query.count() == 2
