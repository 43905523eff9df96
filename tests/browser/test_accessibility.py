"""Automated accessibility checks (axe-core, WCAG 2.1 A and AA) of the juror's pages.

axe finds what a machine can (names, roles, contrast, landmarks); keyboard use and
focus after a swap are covered by test_grading_flow.py.
"""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .helpers import grade_server_side

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG)
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"]]


@pytest.mark.browser
def test_login_page_is_accessible(live, browser):
    server = live.start()
    page = live.context().new_page()
    page.goto(server.url + "/connexion")
    assert violations(page) == []
    page.get_by_role("button", name="Se connecter").click()  # empty form: errors shown
    expect(page.get_by_text("Saisissez votre adresse e-mail.")).to_be_visible()
    assert violations(page) == []


@pytest.mark.browser
@pytest.mark.parametrize("code", ["RS6240", "RNCP-CM"])
def test_juror_pages_are_accessible(live, code):
    server = live.start(code)
    president = live.juror(server, server.seeded.president_email)
    assert violations(president.page) == [], "Mes jurys"
    president.open_grid()
    first = server.seeded.codes[0]
    president.mark(first, True)
    president.mark(server.seeded.codes[1], False)
    assert violations(president.page) == [], "grille"

    codes = server.seeded.codes
    president.goto("/jury/")  # leave the grid: its poll reloads it when the phase changes
    grade_server_side(server,
                      president={c: True for c in codes},
                      member={c: c != first for c in codes},
                      open_deliberation=True)
    president.goto(server.seeded.deliberation_path)
    expect(president.page.locator("li.criterion.is-disagreement")).to_have_count(1)
    assert violations(president.page) == [], "délibération"
