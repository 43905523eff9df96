"""The livret in a real browser: from the candidate's page the organiser opens the livret of
a candidate in training for the RNCP title, adds an evaluation (htmx swaps the section), sees
a bad one refused in French where she acted, and validates a block project."""
from dataclasses import dataclass

from playwright.sync_api import expect

from certif.auth.models import ORGANISER
from certif.timeutil import paris_today

from ..factories.candidates import make_candidate
from ..factories.users import make_user


@dataclass
class People:
    organiser_email: str
    candidate_id: int


def seed(app) -> People:
    organiser = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    candidate = make_candidate("Manon", "Faure", pathway="training")
    return People(organiser.email, candidate.id)


def test_the_organiser_fills_a_livret(live):
    server = live.start(seed=seed)
    s: People = server.seeded
    org = live.user(server, s.organiser_email, "Tableau de bord")
    org.goto(f"{server.url}/candidats/{s.candidate_id}")
    org.locator("#livret").get_by_role("link", name="Ouvrir le livret").click()
    org.get_by_label("Certification").select_option(label="Community manager (RNCP-CM v1)")
    org.get_by_role("button", name="Ouvrir le livret").click()
    expect(org.locator(".flash").first).to_contain_text("Livret d'évaluation ouvert.")

    form = org.locator("form", has=org.get_by_role("button", name="Ajouter l'évaluation"))
    form.get_by_label("Compétence").select_option("C1.2")
    form.get_by_label("Date de l'évaluation").fill(paris_today().isoformat())
    form.get_by_label("Type").select_option(label="Étude de cas")
    form.get_by_label("Acquis", exact=True).check()
    form.get_by_role("button", name="Ajouter l'évaluation").click()
    expect(org.locator("#livret .status")).to_contain_text("Évaluateur obligatoire.")
    form.get_by_label("Évaluateur").fill("Nadia Roche")
    form.get_by_role("button", name="Ajouter l'évaluation").click()
    expect(org.locator("#livret")).to_contain_text("Évaluation de C1.2 enregistrée.")
    expect(org.locator("#livret")).to_contain_text("1 compétence évaluée sur 6")

    org.get_by_label("Bloc").select_option("BC01")
    org.get_by_label("Date de validation").fill(paris_today().isoformat())
    org.get_by_label("Référent pédagogique").fill("Sophie Marchal")
    org.get_by_role("button", name="Enregistrer le projet validé").click()
    expect(org.locator("#livret")).to_contain_text("projet de fin de bloc : validé le")
    expect(org.get_by_role("link", name="Relevé des évaluations (PDF)")).to_be_visible()
