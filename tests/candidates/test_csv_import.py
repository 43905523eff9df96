"""The CSV parser and the shared field rules, as tables of cases (no Flask, no database)."""
from datetime import date

import pytest

from certif.candidates.csv_import import MAX_LINES, parse
from certif.candidates.rules import CandidateData, clean_candidate, fold

from .helpers import HEADER, csv_bytes

TODAY = date(2026, 6, 1)
GOOD = ("Martin;Jeanne;17/05/1990;Jeanne.Martin@Exemple.fr;06 12 34 56 78;1 rue Haute;69001;Lyon;"
        "30/04/2026;formation;;0")


def messages(data: bytes) -> list[str]:
    return parse(data, TODAY).messages


def test_a_good_file_gives_clean_rows():
    result = parse(csv_bytes(GOOD, "Durand;Léa;1988-11-03;;;;;;;VAE;Pauses;30"), TODAY)
    assert result.ok and result.errors == []
    first, second = (row.data for row in result.rows)
    assert first == CandidateData(
        first_name="Jeanne", last_name="Martin", birth_date=date(1990, 5, 17),
        email="jeanne.martin@exemple.fr", phone="06 12 34 56 78", address="1 rue Haute",
        postal_code="69001", city="Lyon", training_end_date=date(2026, 4, 30),
        pathway="training", accommodation=None, extra_minutes=0, birth_name="Martin")
    assert (second.first_name, second.birth_date, second.pathway, second.extra_minutes,
            second.email) == ("Léa", date(1988, 11, 3), "vae", 30, None)
    assert [row.line for row in result.rows] == [2, 3]


@pytest.mark.parametrize("data", [
    pytest.param(csv_bytes(GOOD, "Durand;Léa;;;;;;;;;;"), id="utf8"),
    pytest.param(b"\xef\xbb\xbf" + csv_bytes(GOOD, "Durand;Léa;;;;;;;;;;"), id="utf8-bom"),
    pytest.param(csv_bytes(GOOD, "Durand;Léa;;;;;;;;;;", encoding="cp1252"), id="cp1252"),
    pytest.param(csv_bytes(GOOD.replace(";", ","), "Durand,Léa,,,,,,,,,,",
                           header=HEADER.replace(";", ",")), id="comma"),
    pytest.param(csv_bytes(GOOD, "Durand;Léa;;;;;;;;;;", newline="\n"), id="lf"),
    pytest.param(csv_bytes(GOOD, "Durand;Léa;;;;;;;;;;", "", ";;;;;;;;;;;"), id="blank-lines"),
])
def test_encodings_and_delimiters(data):
    result = parse(data, TODAY)
    assert result.errors == []
    assert [(r.data.last_name, r.data.first_name) for r in result.rows] == [
        ("Martin", "Jeanne"), ("Durand", "Léa")]


def test_headers_ignore_case_accents_and_order():
    data = csv_bytes("jean@exemple.fr;Jean;Dupont", header="E-mail;PRENOM;Nom ")
    result = parse(data, TODAY)
    assert result.errors == []
    assert result.rows[0].data.email == "jean@exemple.fr"


def test_a_quoted_value_may_hold_the_delimiter():
    result = parse(csv_bytes('Dupont;Jean;;;;"3; rue Basse";;;;;;'), TODAY)
    assert result.errors == []
    assert result.rows[0].data.address == "3; rue Basse"


@pytest.mark.parametrize("line, message", [
    ("Dupont;Jean;;jean@;;;;;;;;", "Ligne 2 : adresse e-mail invalide (« jean@ »)"),
    ("Dupont;Jean;31/02/1990;;;;;;;;;",
     "Ligne 2 : date de naissance invalide : date au format jj/mm/aaaa attendue (« 31/02/1990 »)"),
    ("Dupont;Jean;17-05-90;;;;;;;;;",
     "Ligne 2 : date de naissance invalide : date au format jj/mm/aaaa attendue (« 17-05-90 »)"),
    ("Dupont;Jean;01/01/2030;;;;;;;;;",
     "Ligne 2 : date de naissance invalide : elle doit être passée (« 01/01/2030 »)"),
    ("Dupont;Jean;;;;;6900;;;;;", "Ligne 2 : code postal invalide : 5 chiffres attendus (« 6900 »)"),
    ("Dupont;Jean;;;;;69A01;;;;;", "Ligne 2 : code postal invalide : 5 chiffres attendus (« 69A01 »)"),
    ("Dupont;Jean;;;;;;;pas une date;;;",
     "Ligne 2 : date de fin de formation invalide : date au format jj/mm/aaaa attendue (« pas une date »)"),
    ("Dupont;Jean;;;;;;;;alternance;;",
     "Ligne 2 : parcours inconnu : « formation », « partenaire » ou « vae » attendu "
     "(« alternance »)"),
    ("Dupont;Jean;;;;;;;;;;30",
     "Ligne 2 : des minutes supplémentaires exigent l'aménagement décidé avec le référent handicap"),
    ("Dupont;Jean;;;;;;;;;Tiers temps;300",
     "Ligne 2 : minutes supplémentaires invalides : un nombre entier de 0 à 240 attendu (« 300 »)"),
    ("Dupont;Jean;;;;;;;;;Tiers temps;-5",
     "Ligne 2 : minutes supplémentaires invalides : un nombre entier de 0 à 240 attendu (« -5 »)"),
    (";Jean;;;;;;;;;;", "Ligne 2 : nom obligatoire"),
    ("Dupont;" + "J" * 101 + ";;;;;;;;;;",
     "Ligne 2 : prénom trop long (100 caractères au plus) (« " + "J" * 59 + "… »)"),
    ("Dupont;Jean;;;" + "0" * 41 + ";;;;;;;",
     "Ligne 2 : téléphone trop long (40 caractères au plus) (« " + "0" * 41 + " »)"),
    ("Dupont;Jean;;;;;;;;;;;en trop", "Ligne 2 : 13 valeurs pour 12 colonnes (un séparateur en "
     "trop dans une valeur ? mettez-la entre guillemets)"),
])
def test_a_bad_value_is_reported_with_its_line(line, message):
    result = parse(csv_bytes(line, GOOD), TODAY)  # a good line after the bad one
    assert result.messages == [message]
    assert not result.ok


def test_every_error_of_every_line_is_reported():
    result = parse(csv_bytes("Dupont;Jean;;jean@;;;123;;;;;", GOOD, ";Paul;;;;;;;;;;"), TODAY)
    assert result.messages == [
        "Ligne 2 : adresse e-mail invalide (« jean@ »)",
        "Ligne 2 : code postal invalide : 5 chiffres attendus (« 123 »)",
        "Ligne 4 : nom obligatoire",
    ]
    assert not result.ok


@pytest.mark.parametrize("lines, message", [
    ((GOOD, GOOD.replace("Jeanne.Martin", "autre")),
     "Ligne 3 : même candidat que la ligne 2 (même nom, prénom et date de naissance : Jeanne Martin)"),
    ((GOOD, "MARTIN;jeanne;1990-05-17;;;;;;;;;"),
     "Ligne 3 : même candidat que la ligne 2 (même nom, prénom et date de naissance : jeanne MARTIN)"),
    ((GOOD, "Durand;Léa;;jeanne.martin@exemple.fr;;;;;;;;"),
     "Ligne 3 : adresse e-mail déjà utilisée à la ligne 2 (« jeanne.martin@exemple.fr »)"),
])
def test_duplicates_inside_the_file(lines, message):
    assert messages(csv_bytes(*lines)) == [message]


@pytest.mark.parametrize("data, message", [
    (b"", "Le fichier est vide."),
    (b"   \r\n\r\n", "Le fichier est vide."),
    (b"\xef\xbb\xbf", "Le fichier est vide."),
    (csv_bytes(), "Le fichier ne contient aucune ligne de candidat sous la ligne d'en-tête."),
    (b"%PDF-1.7\n\x00\x01\x02binary", "Ce fichier n'est pas un fichier CSV lisible : enregistrez-le "
     "depuis votre tableur au format « CSV (séparateur : point-virgule) »."),
])
def test_files_without_candidates(data, message):
    assert messages(data) == [message]


def test_unknown_column():
    result = parse(csv_bytes("Dupont;Jean;x", header="nom;prénom;nationalité"), TODAY)
    assert result.messages == [
        "Ligne 1 : colonne inconnue « nationalité ». Colonnes possibles : nom, prénom, "
        "date_naissance, email, téléphone, adresse, code_postal, ville, fin_formation, parcours, "
        "organisme_partenaire, aménagement, minutes_supplementaires, nom_naissance, nom_usage, "
        "prénom_2, prénom_3, sexe, code_insee_naissance, code_postal_naissance, commune_naissance, "
        "code_pays_naissance, pays_naissance, modalité_accès."]
    assert result.rows == []


def test_missing_required_column():
    assert messages(csv_bytes("Dupont;jean@exemple.fr", header="nom;email")) == [
        "Ligne 1 : colonne obligatoire « prénom » absente de l'en-tête."]


def test_duplicated_column():
    assert messages(csv_bytes("Dupont;Jean;Jeannot", header="nom;prénom;Prenom")) == [
        "Ligne 1 : colonne « Prenom » en double."]


def test_too_many_lines():
    lines = [f"Nom{i};Prénom{i};;;;;;;;;;" for i in range(MAX_LINES + 1)]
    result = parse(csv_bytes(*lines), TODAY)
    assert result.messages == ["Le fichier contient plus de 2000 lignes de candidats : "
                               "découpez-le en plusieurs fichiers."]
    assert result.rows == []


def test_too_big():
    assert messages(csv_bytes("x" * (1024 * 1024))) == [
        "Le fichier est trop volumineux (1024 Ko au plus) : découpez-le en plusieurs fichiers."]


@pytest.mark.parametrize("field, raw, expected", [
    ("birth_date", "17/05/1990", date(1990, 5, 17)),
    ("birth_date", "1990-05-17", date(1990, 5, 17)),
    ("birth_date", "7.5.1990", date(1990, 5, 7)),
    ("email", "  Jean@Exemple.FR ", "jean@exemple.fr"),
    ("postal_code", "69 001", "69001"),
    ("pathway", "Formation", "training"),
    ("pathway", "VAE", "vae"),
    ("pathway", "", "training"),
    ("extra_minutes", "", 0),
    ("last_name", "  Le   Goff ", "Le Goff"),
])
def test_the_form_and_the_file_share_these_rules(field, raw, expected):
    raw_fields = {"first_name": "Jean", "last_name": "Dupont", field: raw}
    data, errors = clean_candidate(raw_fields, TODAY)
    assert errors == {}
    assert getattr(data, field) == expected


def test_form_wording_of_an_error():
    _, errors = clean_candidate({"first_name": "", "last_name": "Dupont", "email": "x@"}, TODAY)
    assert {name: e.sentence for name, e in errors.items()} == {
        "first_name": "Prénom obligatoire.", "email": "Adresse e-mail invalide."}


def test_fold():
    assert fold("  Éloïse-Marie   DUPRÉ ") == "eloise marie dupre"
