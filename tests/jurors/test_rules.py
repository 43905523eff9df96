"""The habilitation recommendation (seed 000, I.C.1 and I.C.3) as a table of cases."""
from datetime import date

import pytest

from certif.jurors.rules import profession_accepted, recommend

TODAY = date(2026, 6, 15)
GOOD = dict(profession="Community manager", years_experience=5, external=True,
            professionalisation_date=date(2026, 3, 1))


@pytest.mark.parametrize("profession, accepted", [
    ("Community manager", True),
    ("community manager", True),
    ("Community Manager freelance", True),
    ("Community-manager", True),
    ("Responsable community management", True),
    ("Formatrice en communication digitale", True),
    ("Formateur en communication digitale", True),
    ("FORMATEUR EN COMMUNICATION DIGITALE", True),
    ("Formateur indépendant en communication numérique", True),
    ("Formatrice communication digitale et réseaux sociaux", True),
    ("Développeur web", False),
    ("Formateur en marketing", False),
    ("Responsable de la communication digitale", False),
    ("Manager", False),
    ("", False),
    (None, False),
])
def test_profession(profession, accepted):
    assert profession_accepted(profession) is accepted


@pytest.mark.parametrize("changes, favourable, complete, checks", [
    ({}, True, True, (True, True, True, True)),
    # Seniority: at least 5 years.
    ({"years_experience": 4}, False, True, (True, False, True, True)),
    ({"years_experience": 0}, False, True, (True, False, True, True)),
    ({"years_experience": 30}, True, True, (True, True, True, True)),
    ({"years_experience": None}, False, False, (True, None, True, True)),
    # Professionalisation: attended on or before today; a date ahead is not attended yet.
    ({"professionalisation_date": TODAY}, True, True, (True, True, True, True)),
    ({"professionalisation_date": date(2026, 6, 16)}, False, True, (True, True, True, False)),
    ({"professionalisation_date": None}, False, False, (True, True, True, None)),
    # External to the organisation: False is a failed rule, None is unknown.
    ({"external": False}, False, True, (True, True, False, True)),
    ({"external": None}, False, False, (True, True, None, True)),
    # Profession.
    ({"profession": "Formatrice en communication digitale"}, True, True, (True, True, True, True)),
    ({"profession": "Développeur web"}, False, True, (False, True, True, True)),
    ({"profession": ""}, False, False, (None, True, True, True)),
    ({"profession": None}, False, False, (None, True, True, True)),
    # Several at once: incomplete wins in the label, nothing favourable.
    ({"profession": "Développeur web", "years_experience": None}, False, False,
     (False, None, True, True)),
    ({"profession": None, "years_experience": None, "external": None,
      "professionalisation_date": None}, False, False, (None, None, None, None)),
])
def test_recommendation(changes, favourable, complete, checks):
    r = recommend(**{**GOOD, **changes}, today=TODAY)
    assert r.favourable is favourable
    assert r.complete is complete
    assert tuple(c.met for c in r.checks) == checks


def test_labels_say_what_to_do():
    assert recommend(**GOOD, today=TODAY).label.startswith("Avis favorable recommandé")
    assert recommend(**{**GOOD, "years_experience": 4}, today=TODAY).label.startswith(
        "Avis défavorable recommandé")
    assert recommend(**{**GOOD, "external": None}, today=TODAY).label.startswith("Profil incomplet")
    labels = [c.label for c in recommend(**GOOD, today=TODAY).checks]
    assert labels == ["Profession : community manager ou formateur en communication digitale",
                      "Au moins 5 ans d'expérience professionnelle",
                      "Externe à l'organisme", "Session de professionnalisation suivie"]
