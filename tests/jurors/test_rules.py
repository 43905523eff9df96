"""The habilitation rules each referential declares (its `habilitation:` section), checked
against a juror's profile, as tables of cases: RS6240 (seed 000, I.C.1 and I.C.3) and the
RNCP title (seed 001, 5-2). Pure: the rules are read from the shipped YAML files."""
from datetime import date

import pytest

from certif.jurors.rules import HabilitationRules, profession_accepted, recommend, rules_from
from certif.referentials.loader import DATA_DIR, ReferentialError, check, read

TODAY = date(2026, 6, 15)
RS6240 = rules_from(read(DATA_DIR / "rs6240.yaml")[0]["habilitation"])
TITLE = rules_from(read(DATA_DIR / "rncp_cm.yaml")[0]["habilitation"])
GOOD = dict(profession="Community manager", years_experience=5, external=True,
            attended_on=date(2026, 3, 1))


@pytest.mark.parametrize("profession, rs6240, title", [
    ("Community manager", True, True),
    ("community manager", True, True),
    ("Community Manager freelance", True, True),
    ("Community-manager", True, True),
    ("Responsable community management", True, True),
    ("Formatrice en communication digitale", True, True),
    ("Formateur en communication digitale", True, True),
    ("FORMATEUR EN COMMUNICATION DIGITALE", True, True),
    ("Formateur indépendant en communication numérique", True, True),
    ("Formatrice communication digitale et réseaux sociaux", True, True),
    # Professionals of the field who are neither of RS6240's two professions.
    ("Social media manager", False, True),
    ("Responsable de la communication digitale", False, True),
    ("Chargée de communication numérique", False, True),
    ("Chargée de communication", False, False),
    ("Développeur web", False, False),
    ("Formateur en marketing", False, False),
    ("Manager", False, False),
    ("", False, False),
    (None, False, False),
])
def test_profession(profession, rs6240, title):
    assert profession_accepted(profession, RS6240.patterns) is rs6240
    assert profession_accepted(profession, TITLE.patterns) is title


@pytest.mark.parametrize("changes, favourable, complete, checks", [
    ({}, True, True, (True, True, True, True)),
    # Seniority: at least 5 years.
    ({"years_experience": 4}, False, True, (True, False, True, True)),
    ({"years_experience": 0}, False, True, (True, False, True, True)),
    ({"years_experience": 30}, True, True, (True, True, True, True)),
    ({"years_experience": None}, False, False, (True, None, True, True)),
    # Professionalisation (a session of this certification): attended on or before today.
    ({"attended_on": TODAY}, True, True, (True, True, True, True)),
    ({"attended_on": date(2026, 6, 16)}, False, True, (True, True, True, False)),
    ({"attended_on": None}, False, True, (True, True, True, False)),
    # External to the organisation: False is a failed rule, None is unknown.
    ({"external": False}, False, True, (True, True, False, True)),
    ({"external": None}, False, False, (True, True, None, True)),
    # Profession.
    ({"profession": "Formatrice en communication digitale"}, True, True, (True, True, True, True)),
    ({"profession": "Développeur web"}, False, True, (False, True, True, True)),
    ({"profession": "Social media manager"}, False, True, (False, True, True, True)),
    ({"profession": ""}, False, False, (None, True, True, True)),
    ({"profession": None}, False, False, (None, True, True, True)),
    # Several at once: incomplete wins in the label, nothing favourable.
    ({"profession": "Développeur web", "years_experience": None}, False, False,
     (False, None, True, True)),
    ({"profession": None, "years_experience": None, "external": None, "attended_on": None},
     False, False, (None, None, None, False)),
])
def test_rs6240(changes, favourable, complete, checks):
    r = recommend(RS6240, **{**GOOD, **changes}, today=TODAY)
    assert r.favourable is favourable
    assert r.complete is complete
    assert tuple(c.met for c in r.checks) == checks


@pytest.mark.parametrize("changes, favourable, complete", [
    ({}, True, True),
    # 5-2 asks for professionals only: seniority, externality, professionalisation don't count.
    ({"years_experience": 0, "external": False, "attended_on": None}, True, True),
    ({"years_experience": None, "external": None}, True, True),
    ({"profession": "Social media manager"}, True, True),
    ({"profession": "Responsable communication digitale"}, True, True),
    ({"profession": "Chargée de communication"}, False, True),
    ({"profession": "Développeur web"}, False, True),
    ({"profession": None}, False, False),
])
def test_title(changes, favourable, complete):
    r = recommend(TITLE, **{**GOOD, **changes}, today=TODAY)
    assert r.favourable is favourable
    assert r.complete is complete
    assert [c.label for c in r.checks] == [
        "Profession : professionnel(le) du métier : community management ou communication digitale"]


def test_labels_say_what_to_do():
    assert recommend(RS6240, **GOOD, today=TODAY).label.startswith("Avis favorable recommandé")
    assert recommend(RS6240, **{**GOOD, "years_experience": 4}, today=TODAY).label.startswith(
        "Avis défavorable recommandé")
    assert recommend(RS6240, **{**GOOD, "external": None}, today=TODAY).label.startswith(
        "Profil incomplet")
    labels = [c.label for c in recommend(RS6240, **GOOD, today=TODAY).checks]
    assert labels == ["Profession : community manager ou formateur en communication digitale",
                      "Au moins 5 ans d'expérience professionnelle",
                      "Externe à l'organisme",
                      "Session de professionnalisation de cette certification suivie"]


def test_a_referential_without_rules_declares_none():
    r = recommend(rules_from(None), None, None, None, None, today=TODAY)
    assert r.checks == () and r.favourable
    assert r.label == "Le référentiel ne déclare aucune condition d'habilitation."
    assert rules_from({}) == HabilitationRules()


def test_the_title_quotes_its_referential():
    assert "jury composé de professionnels" in TITLE.quote and "5-2" in TITLE.source
    assert "5 années d'expérience professionnelle" in RS6240.quote and "I.C.3" in RS6240.source


@pytest.mark.parametrize("section, message", [
    ("professionnels", "« habilitation » doit décrire un objet"),
    ({"age": 30}, "clé inconnue « age »"),
    ({"professions": {"label": "x"}}, "demande un « label » et une liste « patterns »"),
    ({"professions": {"label": "x", "patterns": ["(community"]}}, "expression invalide"),
    ({"min_years": -1}, "« habilitation.min_years » doit être un entier positif ou null"),
    ({"min_years": "5"}, "« habilitation.min_years »"),
    ({"external": "oui"}, "« habilitation.external » doit valoir true ou false"),
    ({"quote": " "}, "« habilitation.quote » doit être un texte non vide"),
])
def test_the_loader_refuses_bad_rules(section, message):
    data = read(DATA_DIR / "rs6240.yaml")[0]
    data["habilitation"] = section
    with pytest.raises(ReferentialError, match=message):
        check(data, "rs6240.yaml")
