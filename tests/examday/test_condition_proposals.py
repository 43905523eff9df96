"""What certif proposes on the conditions sheet (pure rules), and "sans objet" for condition 10."""
import pytest

from certif.examday.conditions.proposals import DayFacts, Sitting, not_applicable_allowed, origin, propose

OK = Sitting("Léa DUBOIS", 30, identity_checked=True, signed=True, juror_signatures=2, convened=True,
             deliberation_closed=True)


def facts(*sittings, **overrides):
    values = dict(jurors=("Paule A", "Marc B"), president="Paule A", stopped=False,
                  habilitation_problems=(), jurors_convened=2, base_minutes=30, sittings=sittings)
    values.update(overrides)
    return DayFacts(**values)


def test_everything_established_is_proposed_with_its_facts():
    p = propose(facts(OK, OK))
    assert set(p) == {1, 2, 3, 5, 6, 7, 8, 9, 10, 11}  # 4 and 12 are the jury's alone
    assert p[6].value == "respectee"
    assert p[6].facts == "2 candidats sur 2 ont signé la feuille d'émargement."
    assert p[10].value == "sans_objet"
    assert p[7].facts.startswith("4 émargements sur 4")


@pytest.mark.parametrize("change, position, value", [
    ({"identity_checked": False}, 5, "non_respectee"),
    ({"signed": False}, 6, "non_respectee"),
    ({"signed": False, "unsigned_reason": True}, 6, "respectee"),
    ({"juror_signatures": 1}, 7, "non_respectee"),
    ({"deliberation_closed": False}, 9, None),  # facts only: the jury decides
    ({"extra_minutes": 15, "slot_minutes": 45}, 10, "respectee"),
    ({"extra_minutes": 15, "slot_minutes": 30}, 10, "non_respectee"),
    ({"slot_minutes": 25}, 11, "non_respectee"),
])
def test_proposals_follow_the_facts(change, position, value):
    assert propose(facts(Sitting(**{**OK.__dict__, **change})))[position].value == value


def test_jury_level_facts():
    assert propose(facts(OK, jurors_convened=1))[3].value == "non_respectee"
    assert propose(facts(OK, habilitation_problems=("Marc B : habilitation défavorable",)))[2].value \
        == "non_respectee"
    assert propose(facts(OK, stopped=True)).keys() == {1}


def test_sans_objet_only_without_accommodation():
    assert not_applicable_allowed(facts(OK))
    assert not not_applicable_allowed(facts(Sitting(**{**OK.__dict__, "other_measures": "Salle au RDC"})))


@pytest.mark.parametrize("answer, proposed, text", [
    ("respectee", "respectee", "proposée par certif, confirmée par le jury"),
    ("non_respectee", "respectee", "proposée par certif (respectée), modifiée par le jury"),
    ("respectee", None, "saisie par le jury"),
])
def test_origin(answer, proposed, text):
    assert origin(answer, proposed) == text
