"""Pathways (seed 001, 5-2): training in the organisation, in a partner organisation, or VAE.
Whether a pathway keeps a livret is read from the referential's YAML (`livret.pathways`):
the title's candidates in training keep one, VAE candidates and every RS6240 candidate none.
The form and the CSV import accept the three pathways; a partner pathway names its
organisation."""
from datetime import date

import pytest

from certif.candidates.csv_import import parse
from certif.candidates.livret.rules import refusal, requires_livret
from certif.candidates.models import PATHWAYS
from certif.candidates.rules import clean_candidate, clean_pathway
from certif.referentials.loader import DATA_DIR, PATHWAY_CODES, ReferentialError, check, read

from .helpers import csv_bytes

TODAY = date(2026, 6, 1)


def yaml_pathways(name):
    data, _ = read(DATA_DIR / name)
    return (data.get("livret") or {}).get("pathways") or ()


@pytest.mark.parametrize(("file", "pathway", "livret"), [
    ("rncp_cm.yaml", "training", True),
    ("rncp_cm.yaml", "partner", True),
    ("rncp_cm.yaml", "vae", False),
    ("rs6240.yaml", "training", False),
    ("rs6240.yaml", "partner", False),
    ("rs6240.yaml", "vae", False),
])
def test_the_referential_file_says_which_pathways_keep_a_livret(file, pathway, livret):
    pathways = yaml_pathways(file)
    assert requires_livret(pathway, pathways) is livret
    assert (refusal(pathway, pathways, "Titre") is None) is livret


def test_the_refusals_say_why_in_french():
    assert "VAE" in refusal("vae", ["training", "partner"], "Community manager")
    assert refusal("training", [], "RS6240") == ("La certification « RS6240 » ne prévoit pas "
                                                 "de livret d'évaluation.")


def test_the_loader_knows_the_candidates_pathways_and_refuses_unknown_ones():
    assert set(PATHWAY_CODES) == set(PATHWAYS)
    data, _ = read(DATA_DIR / "rncp_cm.yaml")
    data["livret"] = {"pathways": ["training", "alternance"]}
    with pytest.raises(ReferentialError, match="livret.pathways"):
        check(data)


@pytest.mark.parametrize(("word", "pathway"), [
    ("formation", "training"), ("Formation dans l'organisme", "training"),
    ("partenaire", "partner"), ("Formation dans un organisme partenaire", "partner"),
    ("VAE", "vae"), ("", "training"),
])
def test_pathway_words(word, pathway):
    assert clean_pathway(word) == pathway


@pytest.mark.parametrize(("pathway", "partner", "error"), [
    ("partner", "Digital Campus", None),
    ("partner", "", "organisme partenaire obligatoire"),
    ("training", "Digital Campus", "n'est indiqué que pour le parcours"),
    ("vae", "", None),
])
def test_a_partner_pathway_names_its_organisation(pathway, partner, error):
    data, errors = clean_candidate({"first_name": "A", "last_name": "B", "pathway": pathway,
                                    "partner_organisation": partner}, TODAY)
    if error is None:
        assert errors == {} and data.partner_organisation == (partner or None)
    else:
        assert error in errors["partner_organisation"].message


def test_the_csv_import_reads_the_partner_pathway_and_reports_a_missing_organisation():
    header = "nom;prénom;parcours;organisme_partenaire"
    result = parse(csv_bytes("Faure;Manon;partenaire;Digital Campus", "Roux;Max;vae;",
                             header=header), TODAY)
    assert result.ok and [r.data.pathway for r in result.rows] == ["partner", "vae"]
    result = parse(csv_bytes("Faure;Manon;partenaire;", "Roux;Max;alternance;", header=header),
                   TODAY)
    assert result.messages == [
        "Ligne 2 : nom de l'organisme partenaire obligatoire pour une formation chez un partenaire",
        "Ligne 3 : parcours inconnu : « formation », « partenaire » ou « vae » attendu "
        "(« alternance »)"]
