"""The demo shows the pathways and the livret on the candidate's page (issue 14): Manon Faure
in training with a full livret, Yanis Mercier trained by a partner (livret imported), and
Rayan Bouzid, a VAE candidate placed in 2026-CM-01, without livret."""
from certif.auth.models import User
from certif.candidates.livret.queries import has_livret, livret_of, livret_view
from certif.candidates.models import Candidate
from certif.demo import PASSWORD, load_demo
from certif.extensions import db
from certif.sessions.models import ExamSession


def candidate(first_name):
    return db.session.scalar(db.select(Candidate).filter_by(first_name=first_name))


def test_the_demo_holds_a_full_livret_an_imported_one_and_a_vae_candidate(app, web):
    assert load_demo()
    manon, yanis, rayan = candidate("Manon"), candidate("Yanis"), candidate("Rayan")
    view = livret_view(manon, livret_of(manon))
    assert [b.block.code for b in view.blocks] == ["BC01", "BC02", "BC03"] and view.complete
    assert yanis.pathway_text == "Formation dans un organisme partenaire (Digital Campus Lyon)"
    assert {e.source for e in livret_of(yanis).evaluations} == {"import"}
    assert has_livret(manon) and has_livret(yanis) and not has_livret(rayan)
    session = db.session.scalar(db.select(ExamSession).filter_by(number="2026-CM-01"))
    assert [e.candidate.first_name for e in session.juries[0].exams][-1] == "Rayan"
    web.login(db.session.scalar(db.select(User).filter_by(email="organisation@certif.test")),
              PASSWORD)
    assert "Relevé des évaluations (PDF)" in web.get(f"/candidats/{manon.id}").text
    assert "Digital Campus Lyon" in web.get(f"/candidats/{yanis.id}").text
    page = web.get(f"/candidats/{rayan.id}").text
    assert "Parcours « VAE » : pas de livret d'évaluation" in page

