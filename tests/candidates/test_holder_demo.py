"""The demo's holder data: the finished RS6240 session's certificate holders are ready to
declare but one, left without a birth commune; two upcoming candidates have theirs."""
from certif.candidates.holder import holder_problems
from certif.candidates.models import Candidate
from certif.demo import load_demo
from certif.extensions import db


def by_name(first, last) -> Candidate:
    return db.session.scalar(db.select(Candidate).filter_by(first_name=first, last_name=last))


def test_the_demo_holders_are_complete_but_one(app):
    assert load_demo()
    assert holder_problems(by_name("Jade", "Rousseau")) == []
    assert holder_problems(by_name("Zoé", "Henry")) == []
    assert holder_problems(by_name("Théo", "Blanc")) == []
    assert holder_problems(by_name("Nina", "Perret")) == [
        "Code commune INSEE ou code postal de naissance (à compléter)",
        "Commune de naissance (à compléter)"]
    assert holder_problems(by_name("Léa", "Dubois")) == []
    hugo = by_name("Hugo", "Lefèvre")
    assert holder_problems(hugo) == [] and hugo.birth_country_code == "134"
