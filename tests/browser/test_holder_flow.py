"""The candidate completes their birth data through their personal link and sees what the
certificate and the CDC declaration will carry (issue 15, item 1)."""
from playwright.sync_api import expect

from certif.candidates.links import make_token

from ..factories.sessions import upcoming_exam


def seed_candidate(app) -> str:
    candidate = upcoming_exam(days=5).exam.candidate
    with app.test_request_context():
        return f"/c/{make_token(candidate)}"


def test_the_candidate_completes_their_birth_data(live, artifacts):
    server = live.start(seed=seed_candidate)
    page = live.context().new_page()
    page.goto(server.url + server.seeded)
    page.get_by_role("link", name="Vérifier mon état civil").click()
    page.get_by_label("Deuxième prénom").fill("Marie")
    page.get_by_label("Sexe").select_option("F")
    page.get_by_label("Code commune INSEE de naissance").fill("2A04")
    page.get_by_label("Commune de naissance").fill("Ajaccio")
    page.get_by_role("button", name="Enregistrer et vérifier").click()
    expect(page.locator(".field-error")).to_contain_text("5 caractères attendus")

    page.get_by_label("Code commune INSEE de naissance").fill("2A004")
    page.get_by_role("button", name="Enregistrer et vérifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ce que porteront votre certificat et la déclaration")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Alex Marie")
    expect(facts).to_contain_text("Ajaccio (2A004)")
    expect(facts).to_contain_text("Formation continue hors contrat de professionnalisation")
    expect(page.locator("main")).to_contain_text("complètes pour la déclaration")
    page.screenshot(path=str(artifacts / "holder-confirmation.png"), full_page=True)
