"""The exam's parts declared in each referential (issue 14, item 6): titles and minutes that
add up to the exam's duration, checked by the loader."""
import copy

import pytest
import yaml

from certif.extensions import db
from certif.referentials import loader
from certif.referentials.loader import ReferentialError, check
from certif.referentials.models import Referential


def data_of(name):
    return yaml.safe_load((loader.DATA_DIR / name).read_text())


@pytest.mark.parametrize("code, expected", [
    ("RS6240", [("Épreuve théorique", 10), ("Épreuve pratique", 20)]),
    ("RNCP-CM", [("Présentation d'un projet réalisé en amont de la session de validation", 20),
                 ("Entretien technique", 25), ("Entretien final", 15)]),
])
def test_each_referential_declares_its_parts(app, code, expected):
    ref = db.session.scalar(db.select(Referential).filter_by(code=code))
    assert [(p["title"], p["minutes"]) for p in ref.exam_parts] == expected
    assert sum(p["minutes"] for p in ref.exam_parts) == ref.exam_minutes
    assert all(p["description"] for p in ref.exam_parts)


@pytest.mark.parametrize("minutes, message", [
    ([10, 20], None),
    ([10, 19], "font 29 minutes, pas 30"),
    ([10, 21], "font 31 minutes, pas 30"),
    ([0, 30], "partie 1 .*entier positif"),
    ([-5, 35], "partie 1 .*entier positif"),
    ([10, "20"], "partie 2 .*entier positif"),
    ([10, 20.0], "partie 2 .*entier positif"),
    ([True, 29], "partie 1 .*entier positif"),
    ([10, None], "partie 2 .*entier positif"),
])
def test_part_minutes_are_positive_integers_adding_up_to_the_duration(minutes, message):
    data = copy.deepcopy(data_of("rs6240.yaml"))
    for part, value in zip(data["exam"]["parts"], minutes, strict=True):
        part["minutes"] = value
    if message is None:
        check(data)
        return
    with pytest.raises(ReferentialError, match=message):
        check(data)


@pytest.mark.parametrize("parts, message", [
    ([], "liste non vide"),
    ("présentation", "liste non vide"),
    ([{"minutes": 30}], "partie 1 de l'épreuve n'a pas de titre"),
    ([{"title": "  ", "minutes": 30}], "n'a pas de titre"),
])
def test_parts_need_a_title_each(parts, message):
    data = copy.deepcopy(data_of("rs6240.yaml"))
    data["exam"]["parts"] = parts
    with pytest.raises(ReferentialError, match=message):
        check(data)


def test_parts_are_optional():
    data = copy.deepcopy(data_of("rs6240.yaml"))
    del data["exam"]["parts"]
    check(data)
