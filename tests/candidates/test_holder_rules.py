"""The holder's civil status: each field's rule at its edges, what the CDC declaration still
lacks, and the access mode declared (no Flask, no database)."""
from datetime import date
from types import SimpleNamespace

import pytest

from certif.candidates import holder
from certif.candidates.rules import clean_candidate
from certif.candidates.values import InvalidValue

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize("raw, expected", [
    ("69123", "69123"), (" 75 056 ", "75056"), ("2A004", "2A004"), ("2b033", "2B033"),
    ("97411", "97411"), ("", None), (None, None)])
def test_insee_code_accepted(raw, expected):
    assert holder.clean_insee_code(raw) == expected


@pytest.mark.parametrize("raw, hint", [
    ("1053", True), ("6912", True), ("691234", False), ("2C004", False), ("ABCDE", False),
    ("2A04", False)])
def test_insee_code_refused(raw, hint):
    with pytest.raises(InvalidValue) as error:
        holder.clean_insee_code(raw)
    assert "5 caractères attendus" in error.value.message
    assert ("zéro initial" in error.value.message) is hint


@pytest.mark.parametrize("raw, expected", [("69003", "69003"), ("69 003", "69003"), ("", None)])
def test_birth_postal_code_accepted(raw, expected):
    assert holder.clean_birth_postal_code(raw) == expected


@pytest.mark.parametrize("raw", ["6900", "690031", "2A004", "lyon"])
def test_birth_postal_code_refused(raw):
    with pytest.raises(InvalidValue, match="5 chiffres"):
        holder.clean_birth_postal_code(raw)


@pytest.mark.parametrize("raw, expected", [
    ("M", "M"), ("f", "F"), ("Homme", "M"), ("femme", "F"), ("Féminin", "F"), ("", None)])
def test_sex_accepted(raw, expected):
    assert holder.clean_sex(raw) == expected


@pytest.mark.parametrize("raw", ["X", "autre", "MF", "1"])
def test_sex_refused(raw):
    with pytest.raises(InvalidValue, match="« M » ou « F »"):
        holder.clean_sex(raw)


@pytest.mark.parametrize("raw, expected", [("134", "134"), ("99134", "134"), ("", None)])
def test_country_code_accepted(raw, expected):
    assert holder.clean_country_code(raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("ES", "3 chiffres"), ("ESP", "3 chiffres"), ("1345", "3 chiffres"), ("100", "la France"),
    ("99100", "la France")])
def test_country_code_refused(raw, message):
    with pytest.raises(InvalidValue, match=message):
        holder.clean_country_code(raw)


@pytest.mark.parametrize("raw, expected", [
    ("VAE", "VAE"), ("candidat libre", "CANDIDAT_LIBRE"),
    ("Formation initiale en apprentissage", "FORMATION_INITIALE_APPRENTISSAGE"), ("", None)])
def test_access_mode_accepted(raw, expected):
    assert holder.clean_access_mode(raw) == expected


def test_access_mode_refused():
    with pytest.raises(InvalidValue, match="modalité d'accès inconnue"):
        holder.clean_access_mode("stage")


def test_names_at_sixty_characters():
    assert holder.clean_holder_text("A" * 60, "nom de naissance") == "A" * 60
    with pytest.raises(InvalidValue, match="60 caractères au plus"):
        holder.clean_holder_text("A" * 61, "nom de naissance")


def base(**fields):
    raw = {"first_name": "Jeanne", "last_name": "Martin", "birth_date": "17/05/1990"}
    return clean_candidate({**raw, **fields}, TODAY)


def test_three_first_names_and_the_birth_name_defaulting_to_the_name():
    data, errors = base(first_name_2="Marie", first_name_3="Louise", sex="F",
                        birth_insee_code="2A004", birth_commune="Ajaccio")
    assert errors == {}
    assert (data.birth_name, data.first_name_2, data.first_name_3, data.sex,
            data.birth_insee_code) == ("Martin", "Marie", "Louise", "F", "2A004")


def test_a_third_first_name_needs_a_second():
    _, errors = base(first_name_3="Louise")
    assert errors["first_name_3"].message == holder.MSG_THIRD_WITHOUT_SECOND


def test_born_abroad_has_no_french_commune_code():
    data, errors = base(birth_country_code="134", birth_country_name="Espagne",
                        birth_commune="Madrid")
    assert errors == {} and data.birth_country_code == "134"
    _, errors = base(birth_country_code="134", birth_country_name="Espagne",
                     birth_insee_code="69123")
    assert errors["birth_insee_code"].message == holder.MSG_ABROAD_WITH_COMMUNE


def person(**fields):
    values = dict(first_name="Jeanne", last_name="Martin", birth_name="Martin", usage_name=None,
                  first_name_2=None, first_name_3=None, birth_date=date(1990, 5, 17), sex="F",
                  birth_insee_code="69123", birth_postal_code=None, birth_commune="Lyon",
                  birth_country_code=None, birth_country_name=None, access_mode=None,
                  pathway="training")
    return SimpleNamespace(**{**values, **fields})


@pytest.mark.parametrize("fields, problems", [
    ({}, []),
    ({"birth_insee_code": "2A004", "birth_commune": "Ajaccio"}, []),
    ({"birth_insee_code": None, "birth_postal_code": "69003"}, []),
    ({"birth_date": None}, ["Date de naissance (à compléter)"]),
    ({"birth_date": date(1899, 12, 31)}, ["Date de naissance (à corriger : année de 1900 à 2099)"]),
    ({"sex": None}, ["Sexe (à compléter)"]),
    ({"sex": "X"}, ["Sexe (à corriger : M ou F)"]),
    ({"birth_insee_code": "6912"}, ["Code commune INSEE de naissance (à corriger : 5 caractères)"]),
    ({"birth_insee_code": None},
     ["Code commune INSEE ou code postal de naissance (à compléter)"]),
    ({"birth_insee_code": None, "birth_commune": None},
     ["Code commune INSEE ou code postal de naissance (à compléter)",
      "Commune de naissance (à compléter)"]),
    ({"birth_insee_code": None, "birth_postal_code": "6900"},
     ["Code postal de naissance (à corriger : 5 chiffres)"]),
    ({"birth_name": None}, ["Nom de naissance (à compléter)"]),
    ({"first_name": "J" * 61}, ["Prénom (à corriger : 60 caractères au plus)"]),
    ({"first_name_3": "Louise"},
     ["Deuxième prénom (à corriger : un troisième prénom est indiqué sans deuxième)"]),
    ({"birth_insee_code": None, "birth_commune": "Madrid", "birth_country_code": "134",
      "birth_country_name": "Espagne"}, []),
    ({"birth_insee_code": None, "birth_commune": None, "birth_country_name": "Espagne"},
     ["Code pays de naissance (à compléter)"]),
    ({"birth_insee_code": None, "birth_commune": None, "birth_country_code": "134"},
     ["Pays de naissance (à compléter)"]),
    ({"birth_insee_code": None, "birth_country_code": "ES", "birth_country_name": "Espagne"},
     ["Code pays de naissance (à corriger : code INSEE à 3 chiffres)"]),
    ({"access_mode": "STAGE"}, ["Modalité d'accès (à corriger : valeur inconnue de la Caisse des Dépôts)"]),
])
def test_holder_problems(fields, problems):
    assert holder.holder_problems(person(**fields)) == problems


@pytest.mark.parametrize("pathway, access_mode, expected", [
    ("training", None, "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"),
    ("partner", None, "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"),
    ("vae", None, "VAE"),
    ("training", "FORMATION_INITIALE_APPRENTISSAGE", "FORMATION_INITIALE_APPRENTISSAGE"),
    ("vae", "STAGE", "VAE"),
])
def test_access_mode_of(pathway, access_mode, expected):
    assert holder.access_mode_of(person(pathway=pathway, access_mode=access_mode)) == expected


@pytest.mark.parametrize("fields, code", [
    ({}, ("insee", "69123")),
    ({"birth_insee_code": None, "birth_postal_code": "69003"}, ("postal", "69003")),
    ({"birth_insee_code": None, "birth_country_code": "134", "birth_country_name": "Espagne"},
     ("insee", "99134")),
    ({"birth_insee_code": "6912"}, None),
])
def test_birth_commune_code(fields, code):
    assert holder.birth_commune_code(person(**fields)) == code


def test_printed_name_with_every_first_name_and_the_birth_name():
    assert holder.printed_name(person(first_name_2="Marie")) == "Jeanne Marie MARTIN"
    assert holder.printed_name(person(usage_name="Durand")) == "Jeanne DURAND (née MARTIN)"
    assert holder.birth_place(person()) == "Lyon (69123)"
    assert holder.birth_place(person(birth_insee_code=None, birth_commune="Madrid",
                                     birth_country_code="134",
                                     birth_country_name="Espagne")) == "Madrid, Espagne"
