"""What a slow or unreliable exam day does to the grid, in a real browser."""
import re
import threading

import pytest
from playwright.sync_api import expect

from certif.extensions import db
from certif.grading.models import Grid, Mark

from .helpers import grade_server_side, plan


def stored_mark(server, code):
    s = server.seeded
    with server.app.app_context():
        value = db.session.scalar(
            db.select(Mark.value).join(Grid, Mark.grid_id == Grid.id)
            .where(Grid.exam_id == s.exam_id, Grid.juror_id == s.member_id,
                   Mark.criterion_id == s.ids[code]))
        db.session.remove()
    return value


@pytest.mark.browser
def test_a_quick_correction_on_a_slow_connection_is_shown_pending_and_kept(live):
    server = live.start("RS6240")
    s = server.seeded
    j = live.juror(server, s.member_email).open_grid()
    code = s.codes[0]
    held = []
    j.page.route(f"**{s.grid_path}/criteres/**", lambda route: held.append(route), times=1)

    j.button(code, True).click()  # the answer to this one is held back
    expect(j.button(code, True)).to_have_class(re.compile(r"\bis-pending\b"))
    expect(j.button(code, True)).to_have_attribute("aria-busy", "true")
    j.button(code, False).click()  # the juror corrects at once
    assert len(held) == 1
    held[0].continue_()

    expect(j.button(code, False)).to_have_attribute("aria-pressed", "true")
    expect(j.button(code, True)).to_have_attribute("aria-pressed", "false")
    expect(j.page.locator(".is-pending")).to_have_count(0)
    j.expect_summary(s.score({code: False}))
    assert stored_mark(server, code) is False


@pytest.mark.browser
def test_the_other_juror_is_told_at_once_when_the_deliberation_opens(live):
    server = live.start("RS6240")  # progress polled every second
    s = server.seeded
    j = live.juror(server, s.member_email).open_grid()
    everything = plan(s.codes, set())
    grade_server_side(server, everything, everything, open_deliberation=True)

    expect(j.page.locator(".banner")).to_contain_text("La délibération est ouverte", timeout=5_000)
    expect(j.button(s.codes[0], True)).to_be_disabled()
    expect(j.summary).to_contain_text("Ma grille individuelle, verrouillée")
    expect(j.page.get_by_role("link", name="Aller à la délibération")).to_be_visible()

    grade_server_side(server, close=True)
    expect(j.page.locator(".banner-closed")).to_contain_text("Délibération close", timeout=5_000)
    expect(j.progress).not_to_have_attribute("data-hx-trigger", re.compile("."))  # no more polling


@pytest.mark.browser
def test_the_grid_shows_and_works_while_the_cdn_hangs(live):
    """A network that drops CDN traffic: the page is there at once, and its forms post."""
    server = live.start("RS6240", HTMX_CDN=True)
    s = server.seeded
    j = live.juror(server, s.member_email)
    hung = threading.Event()
    j.page.route("https://cdn.jsdelivr.net/**", lambda route: hung.set())  # never answered
    j.page.goto(server.url + s.grid_path, wait_until="commit")
    expect(j.page.get_by_role("heading", level=1)).to_be_visible(timeout=3_000)
    assert hung.is_set()
    code = s.codes[0]
    j.button(code, True).click()  # a plain form post while htmx is still on its way
    expect(j.button(code, True)).to_have_attribute("aria-pressed", "true")
    assert stored_mark(server, code) is True
