"""The grading screens in a real browser: what jurors see and do, end to end.

Run with: .venv/bin/python -m pytest tests/browser -q
"""
import re

import pytest
from playwright.sync_api import expect

from certif.grading import services
from certif.grading.presenters import decision_label, mark_label, status_label
from certif.web import fr_number

from .helpers import grade_server_side, plan
from .live import VIEWPORT, other_progress

# RS6240: what each juror of the jury decides (criteria not listed: "Acquis").
# They disagree on Cr2, Cr5, Cr15 and Cr22; on Cr2 the president's casting vote
# makes C1 "Non acquise" (unfavourable), the other juror's value makes it acquired.
PRESIDENT_NON = {"Cr1", "Cr2", "Cr7", "Cr15"}
MEMBER_NON = {"Cr1", "Cr5", "Cr7", "Cr22"}
COMMENT = "Candidat à l'aise à l'oral ; visuels à retravailler."
ADDED = "Campagne sponsorisée bien argumentée."


@pytest.mark.browser
def test_two_jurors_grade_live_then_deliberate(live):
    server = live.start("RS6240")
    s = server.seeded
    codes = s.codes
    n = len(codes)
    pres = live.juror(server, s.president_email).open_grid()
    memb = live.juror(server, s.member_email).open_grid()
    p_plan, m_plan = plan(codes, PRESIDENT_NON), plan(codes, MEMBER_NON)
    p_marks, m_marks = {}, {}
    for juror in (pres, memb):
        juror.set_marker()
        expect(juror.progress).to_contain_text(other_progress(0, n))
        juror.expect_summary(s.score({}))

    def grade(juror, marks, code, value):
        juror.mark(code, value)
        marks[code] = value
        result = s.score(marks)
        juror.expect_summary(result)
        juror.expect_competency(result, s.competency_of(code))
        juror.assert_not_navigated()
        # Only this juror's own values are ever pressed on this page.
        assert juror.pressed() == marks

    # The president grades 3 criteria: the other juror sees the count, never the values.
    for code in codes[:3]:
        grade(pres, p_marks, code, p_plan[code])
    expect(memb.progress).to_contain_text(other_progress(3, n))
    assert memb.pressed() == {}
    for code in codes[:3]:
        grade(memb, m_marks, code, m_plan[code])
    expect(pres.progress).to_contain_text(other_progress(3, n))
    assert p_marks["Cr2"] != m_marks["Cr2"]
    assert pres.pressed() == p_marks and memb.pressed() == m_marks

    # The rest, click for click on both pages.
    for code in codes[3:]:
        grade(pres, p_marks, code, p_plan[code])
        grade(memb, m_marks, code, m_plan[code])
        assert pres.pressed() == p_marks
    assert p_marks == p_plan and m_marks == m_plan
    for juror in (pres, memb):
        expect(juror.progress).to_contain_text(other_progress(n, n))
        juror.assert_not_navigated()
    open_button = pres.progress.get_by_role("button", name="Ouvrir la délibération")
    expect(open_button).to_be_visible()
    expect(memb.progress).to_contain_text("Les deux grilles sont complètes")
    expect(memb.progress.get_by_role("button", name="Ouvrir la délibération")).to_have_count(0)

    # The president opens the deliberation.
    open_button.click()
    expect(pres.page).to_have_url(server.url + s.deliberation_path)
    disagreements = [c for c in codes if p_plan[c] != m_plan[c]]
    assert disagreements == ["Cr2", "Cr5", "Cr15", "Cr22"]
    expect(pres.page.locator("li.criterion.is-disagreement")).to_have_count(len(disagreements))
    expect(pres.page.locator("#desaccords")).to_contain_text(
        f"{len(disagreements)} désaccords entre les jurés")
    for code in disagreements:
        row = pres.row(code)
        expect(row).to_have_class(re.compile(r"\bis-disagreement\b"))
        expect(row.locator(".tag-disagreement")).to_have_text("Désaccord")
        values = row.locator("dl.both dd")
        expect(values.nth(0)).to_have_text(mark_label(p_plan[code]))
        expect(values.nth(1)).to_have_text(mark_label(m_plan[code]))
        expect(values.nth(2)).to_contain_text("voix prépondérante du président")
    agreed = pres.row("Cr7")
    expect(agreed).not_to_have_class(re.compile(r"\bis-disagreement\b"))
    expect(agreed).not_to_contain_text("Désaccord")
    expect(agreed.locator("button")).to_have_count(0)
    before = s.final_score(p_plan, m_plan, {})
    pres.expect_summary(before)
    assert pres.scroll_width() <= VIEWPORT["width"]

    # The other juror follows the link that appears in their progress, read only.
    see = memb.progress.get_by_role("link", name="Voir la délibération")
    expect(see).to_be_visible(timeout=4_000)
    see.click()
    expect(memb.page).to_have_url(server.url + s.deliberation_path)
    expect(memb.page.locator("li.criterion.is-disagreement")).to_have_count(len(disagreements))
    expect(memb.page.locator("main button")).to_have_count(0)
    expect(memb.page.get_by_text("cette page se met à jour toute seule")).to_be_visible()

    # The jury retains the other juror's value on Cr2: C1 is acquired, the decision flips.
    pres.set_marker()
    jury = {"Cr2": m_plan["Cr2"]}
    pres.mark("Cr2", jury["Cr2"])
    expect(pres.row("Cr2")).to_contain_text("valeur retenue par le jury")
    after = s.final_score(p_plan, m_plan, jury)
    assert after.decision != before.decision
    pres.expect_summary(after)
    pres.expect_competency(after, "C1")
    pres.assert_not_navigated()

    # Comment, then more text typed and closure at once: the text typed last is kept.
    pres.page.get_by_label("Commentaire", exact=True).fill(COMMENT)
    pres.page.get_by_role("button", name="Enregistrer le commentaire").click()
    expect(pres.page.locator("#commentaire form > .status")).to_have_text("Commentaire enregistré.")
    pres.assert_not_navigated()
    pres.page.get_by_label("Commentaire", exact=True).fill(COMMENT + " " + ADDED)
    close = pres.page.get_by_role("button", name="Clore la délibération")
    close.click()  # not confirmed yet: refused, said next to the button
    expect(pres.page.locator("#commentaire div > .status")).to_have_text(
        "Cochez la case de confirmation pour clore la délibération.")
    pres.page.get_by_label(re.compile("Je confirme la décision du jury")).check()
    close.click()
    final_label = decision_label(s.layout.rule, after.decision)
    final_text = f"{final_label} ({fr_number(after.total)}/{fr_number(s.layout.max_points, 0)})"
    banner = pres.page.locator(".banner-closed")
    expect(banner).to_contain_text("Délibération close")
    expect(banner).to_contain_text(final_text)
    pres.expect_summary(after)
    expect(pres.page.locator("main button")).to_have_count(0)  # nothing left to edit
    expect(pres.page.locator("#commentaire")).to_contain_text(COMMENT + " " + ADDED)

    # The other juror's page ("se met à jour toute seule") shows the closed state.
    banner = memb.page.locator(".banner-closed")
    expect(banner).to_contain_text("Délibération close", timeout=8_000)
    expect(banner).to_contain_text(final_text)
    memb.expect_summary(after)
    expect(memb.page.locator("#commentaire")).to_contain_text(COMMENT + " " + ADDED)


@pytest.mark.browser
def test_keyboard_only_marking_keeps_focus(live):
    server = live.start("RS6240")
    s = server.seeded
    j = live.juror(server, s.member_email).open_grid()
    j.set_marker()
    first = s.codes[0]
    acquis, non_acquis = j.button(first, True), j.button(first, False)
    target = f"b{s.ids[first]}-a"

    # Tab from the top of the page to the first criterion's "Acquis" button.
    j.page.locator("main").focus()
    for _ in range(30):
        j.page.keyboard.press("Tab")
        if j.page.evaluate("document.activeElement.id") == target:
            break
    expect(acquis).to_be_focused()

    j.page.keyboard.press("Enter")
    expect(acquis).to_have_attribute("aria-pressed", "true")
    j.expect_summary(s.score({first: True}))
    expect(acquis).to_be_focused()  # the swapped-in button, by id

    j.page.keyboard.press("Tab")
    expect(non_acquis).to_be_focused()
    j.page.keyboard.press("Space")
    expect(non_acquis).to_have_attribute("aria-pressed", "true")
    expect(acquis).to_have_attribute("aria-pressed", "false")
    j.expect_summary(s.score({first: False}))
    j.expect_competency(s.score({first: False}), s.competency_of(first))
    expect(non_acquis).to_be_focused()
    j.assert_not_navigated()


@pytest.mark.browser
def test_without_javascript_the_form_posts_and_the_page_comes_back(live):
    server = live.start("RS6240")
    s = server.seeded
    j = live.juror(server, s.member_email, java_script_enabled=False).open_grid()
    marks = {}
    for code, value in (("Cr5", False), ("Cr1", True)):
        with j.page.expect_navigation():
            j.button(code, value).click()
        marks[code] = value
        expect(j.page).to_have_url(re.compile(re.escape(s.grid_path) + f"#critere-{code}$"))
        expect(j.button(code, value)).to_have_attribute("aria-pressed", "true")
        expect(j.button(code, not value)).to_have_attribute("aria-pressed", "false")
        result = s.score(marks)
        j.expect_summary(result)
        j.expect_competency(result, s.competency_of(code))
    assert j.pressed() == marks


@pytest.mark.browser
def test_save_failures_are_shown_in_the_row(live):
    # No progress poll during the test: the page must stay stale for the 409 below.
    server = live.start("RS6240", PROGRESS_POLL_SECONDS=600)
    s = server.seeded
    j = live.juror(server, s.member_email).open_grid()
    j.set_marker()
    code, later = s.codes[0], s.codes[1]
    status = j.row(code).locator(".status")

    # The connection drops during the click: said in the row, nothing shown as saved.
    j.page.route(f"**{s.grid_path}/criteres/**",
                 lambda route: route.abort("internetdisconnected"), times=1)
    j.button(code, True).click()
    expect(status).to_contain_text("Non enregistré")
    expect(j.row(code)).to_have_class(re.compile(r"\bhas-error\b"))
    expect(j.button(code, True)).to_have_attribute("aria-pressed", "false")
    j.expect_summary(s.score({}))
    expect(j.page.locator("#flash-live")).to_be_hidden()

    # Clicking again saves, and the message goes.
    j.mark(code, True)
    expect(j.row(code).locator(".status")).to_have_text("")
    expect(j.row(code)).not_to_have_class(re.compile(r"\bhas-error\b"))
    j.expect_summary(s.score({code: True}))

    # Meanwhile the deliberation is held and closed: a stale page's click gets a 409.
    everything = plan(s.codes, set())
    grade_server_side(server, everything, everything, open_deliberation=True, close=True)
    with j.page.expect_response(lambda r: r.request.method == "POST") as response:
        j.button(later, False).click()
    assert response.value.status == 409
    expect(j.row(later).locator(".status")).to_have_text(services.MSG_CLOSED)
    expect(j.row(later)).to_have_class(re.compile(r"\bhas-error\b"))
    expect(j.button(later, False)).to_have_attribute("aria-pressed", "false")
    expect(j.page.locator("#flash-live")).to_be_hidden()
    j.assert_not_navigated()


@pytest.mark.browser
def test_htmx_falls_back_to_the_local_copy_when_the_cdn_is_unreachable(live):
    server = live.start("RS6240", HTMX_CDN=True)
    s = server.seeded
    j = live.juror(server, s.member_email, cdn_unreachable=True)
    failed, loaded = [], {}
    j.page.on("requestfailed", lambda r: failed.append(r.url))
    j.page.on("response", lambda r: loaded.setdefault(r.url, r.status))
    j.open_grid()

    expect(j.page.locator('script[src^="https://cdn.jsdelivr.net/"]')).to_have_count(1)
    assert any(url.startswith("https://cdn.jsdelivr.net/") for url in failed), failed
    assert loaded.get(server.url + "/static/vendor/htmx-2.0.11.min.js") == 200, loaded
    assert j.page.evaluate("window.htmx && htmx.version") == "2.0.11"

    j.set_marker()
    code = s.codes[0]
    j.mark(code, True)
    j.expect_summary(s.score({code: True}))
    j.assert_not_navigated()


@pytest.mark.browser
def test_rncp_grid_shows_blocks_and_their_status(live):
    server = live.start("RNCP-CM")
    s = server.seeded
    layout = s.layout
    j = live.juror(server, s.president_email).open_grid()
    j.set_marker()
    blocks = j.page.locator("section.block")
    expect(blocks).to_have_count(3)
    expect(blocks.locator("h2")).to_have_text(
        [re.compile("^" + re.escape(b.code)) for b in layout.blocks])
    expect(j.summary.locator(".total")).to_have_text("Blocs validés : 0 / 3")
    for block in layout.blocks:
        expect(j.page.locator(f"#bloc-{block.code}")).to_contain_text(
            f"{block.code} : {status_label(None, block=True)}")

    block = layout.blocks[-1]  # BC03: C3.1 (6 criteria), C3.2 (4), C3.3 (4)
    block_status = j.page.locator(f"#bloc-{block.code}")
    first, second, third = block.competencies
    marks = {}

    def grade(code, value):
        j.mark(code, value)
        marks[code] = value

    for cr in first.criteria:
        grade(cr.code, True)
    result = s.score(marks)
    assert result.competencies[first.code].acquired is True
    j.expect_competency(result, first.code)
    expect(block_status).to_contain_text(f"{block.code} : {status_label(None, block=True)}")

    # Second competency: 1 of 4 acquired, so not acquired, and the block not validated.
    for i, cr in enumerate(second.criteria):
        grade(cr.code, i == 0)
    for cr in third.criteria:
        grade(cr.code, True)
    result = s.score(marks)
    assert result.competencies[second.code].acquired is False
    assert result.blocks[block.code].validated is False
    j.expect_competency(result, second.code)
    j.expect_competency(result, third.code)
    expect(block_status).to_contain_text(f"{block.code} : {status_label(False, block=True)}")
    expect(block_status).to_have_class(re.compile(r"\bko\b"))

    # Half the criteria are enough: the competency, then the block, are acquired.
    grade(second.criteria[1].code, True)
    result = s.score(marks)
    assert result.blocks[block.code].validated is True
    j.expect_competency(result, second.code)
    expect(block_status).to_contain_text(f"{block.code} : {status_label(True, block=True)}")
    expect(block_status).to_have_class(re.compile(r"\bok\b"))
    expect(j.summary.locator(".total")).to_have_text("Blocs validés : 1 / 3")
    j.expect_summary(result)
    j.assert_not_navigated()
    assert j.scroll_width() <= VIEWPORT["width"]


@pytest.mark.browser
def test_pages_fit_640px_without_horizontal_scroll(live, artifacts):
    server = live.start("RS6240")
    s = server.seeded
    j = live.juror(server, s.president_email).open_grid()
    assert j.page.viewport_size["width"] == 640
    for code, value in (("Cr1", True), ("Cr2", False), ("Cr3", True)):
        j.mark(code, value)
    width = j.scroll_width()
    j.page.screenshot(path=str(artifacts / "grading-640.png"), full_page=True)
    assert width <= 640, f"the grading page scrolls sideways at 640 px ({width} px wide)"

    # Both grids complete with disagreements, deliberation open: the president's page.
    # (Leave the grid first: its poll would reload it when the phase changes.)
    j.goto("/jury/")
    codes = s.codes
    grade_server_side(server, plan(codes, PRESIDENT_NON), plan(codes, MEMBER_NON),
                      open_deliberation=True)
    j.goto(s.deliberation_path)
    expect(j.page.locator("li.criterion.is-disagreement")).to_have_count(4)
    width = j.scroll_width()
    j.page.screenshot(path=str(artifacts / "deliberation-640.png"), full_page=True)
    assert width <= 640, f"the deliberation page scrolls sideways at 640 px ({width} px wide)"
