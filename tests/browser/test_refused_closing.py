"""Issue 13, item 2, as a council member clicks it: "Clôturer la fiche" refused, then another
form of the sheet's page (adopting the proposed action) works, with and without JavaScript.

Before the fix the refusal was answered at /conseil/fiches/anomalie/N/cloture and the next
form came back to that address: "Erreur 405"."""
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from certif.auth.models import COUNCIL
from certif.council.models import PROPOSED
from certif.extensions import db

from ..factories.council import make_action, make_anomaly, make_review
from ..factories.sessions import make_exam
from ..factories.users import make_user

ACTION = "Tester la connexion des candidats la veille"
REFUSED = "Une action proposée n'est ni adoptée ni écartée : décidez-en avant de clôturer la fiche."
NOTE = "Incident soldé après le test de connexion."


@dataclass
class Seeded:
    sheet_id: int
    council_email: str


def seed(app) -> Seeded:
    setup = make_exam("RS6240")
    sheet = make_anomaly(setup.session, setup.president)
    review = make_review(anomaly=sheet, signed=True)
    make_action(review, status=PROPOSED, title=ACTION)
    council = make_user(COUNCIL, first_name="Hélène", last_name="Garnier")
    db.session.commit()
    return Seeded(sheet.id, council.email)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_refused_closing_keeps_the_sheet_page_and_its_other_forms_work(live, artifacts, javascript):
    server = live.start(seed=seed)
    s = server.seeded
    page = live.user(server, s.council_email, "Conseil de pilotage", java_script_enabled=javascript)
    review_url = f"{server.url}/conseil/fiches/anomalie/{s.sheet_id}"
    page.goto(review_url)
    closing = page.locator("#cloture")
    closing.get_by_label("Note de clôture (facultative)").fill(NOTE)
    closing.get_by_role("button", name="Clôturer la fiche").click()

    # Refused: the sheet's own page, the reason beside the closing form, the note kept.
    expect(page).to_have_url(f"{review_url}#cloture")
    expect(closing.get_by_role("alert")).to_have_text(REFUSED)
    expect(closing.get_by_label("Note de clôture (facultative)")).to_have_value(NOTE)
    page.screenshot(path=str(artifacts / f"refused-closing-{'js' if javascript else 'no-js'}.png"),
                    full_page=True)

    # Another form of the page: adopting the action lands on the sheet's page, not on a 405.
    page.locator(f"li:has-text('{ACTION}')").get_by_role("button", name="Adopter").click()
    expect(page.get_by_text("Erreur 405")).to_have_count(0)
    expect(page).to_have_url(f"{review_url}#actions")
    expect(page.locator("#actions")).to_contain_text("Adoptée")
