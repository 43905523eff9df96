"""Issue 13, item 9: the quality indicators' tables stay within the page at 640 and 1280 px
(no column hidden off-screen): stacked rows on a narrow screen, wrapped headers on a wide one."""
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from certif.auth.models import COUNCIL
from certif.extensions import db

from ..factories.council import make_anomaly
from ..factories.grading import finished_session
from ..factories.users import make_user

OVERFLOW_JS = """() => ({
  page: document.documentElement.scrollWidth - window.innerWidth,
  tables: [...document.querySelectorAll('table.indicators')].map(
    t => t.scrollWidth - t.parentElement.clientWidth)})"""


@dataclass
class Seeded:
    council_email: str


def seed(app) -> Seeded:
    for _ in range(3):
        done = finished_session()
        make_anomaly(done.session, done.president)
    council = make_user(COUNCIL, first_name="Hélène", last_name="Garnier")
    db.session.commit()
    return Seeded(council.email)


@pytest.mark.parametrize("width", [640, 1280])
def test_the_indicator_tables_fit_the_page(live, artifacts, width):
    server = live.start(seed=seed)
    page = live.user(server, server.seeded.council_email, "Conseil de pilotage",
                     viewport={"width": width, "height": 900})
    page.goto(f"{server.url}/conseil/indicateurs/")
    expect(page.get_by_role("heading", name="Par session", exact=True)).to_be_visible()
    overflow = page.evaluate(OVERFLOW_JS)
    page.screenshot(path=str(artifacts / f"indicators-{width}.png"), full_page=True)
    assert overflow["page"] <= 0
    assert len(overflow["tables"]) == 3 and all(extra <= 0 for extra in overflow["tables"]), overflow
    # Every figure is within the screen's width (stacked rows at 640 px, with their column's name).
    rightmost = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        'table.indicators td, table.indicators th')].map(c => c.getBoundingClientRect().right))""")
    assert rightmost <= width
    if width == 640:
        expect(page.locator("table.indicators tbody td").first).to_have_attribute("data-label", "Sessions")
