"""The deliberation's closing confirmation follows the live result (issue 13, item 1): after
the president changes a disputed criterion, the box states the new result, unticked, and a
form that still states the old one is refused."""
import re

import pytest
from playwright.sync_api import expect

from certif.extensions import db
from certif.grading.presenters import decision_label
from certif.sessions.models import CLOSED, DELIBERATION, Exam
from certif.web import fr_number

from .helpers import grade_server_side, plan
from .live import JurorPage

# The jurors disagree on Cr2, Cr5, Cr15 and Cr22; the president's casting vote on Cr2 makes
# C1 "Non acquise"; the jury retaining the other juror's value there flips the decision.
PRESIDENT_NON = {"Cr1", "Cr2", "Cr7", "Cr15"}
MEMBER_NON = {"Cr1", "Cr5", "Cr7", "Cr22"}


def confirmation_text(seeded, result) -> str:
    """"Je confirme la décision du jury : Avis défavorable (17,25/20).\""""
    layout = seeded.layout
    return (f"Je confirme la décision du jury : {decision_label(layout.rule, result.decision)} "
            f"({fr_number(result.total)}/{fr_number(layout.max_points, 0)}).")


def exam_phase(server) -> str:
    with server.app.app_context():
        phase = db.session.get(Exam, server.seeded.exam_id).phase
        db.session.remove()
    return phase


@pytest.mark.browser
def test_the_confirmation_follows_the_live_result_and_a_stale_one_is_refused(live):
    server = live.start("RS6240")
    s = server.seeded
    p_plan, m_plan = plan(s.codes, PRESIDENT_NON), plan(s.codes, MEMBER_NON)
    grade_server_side(server, p_plan, m_plan, open_deliberation=True)
    before = s.final_score(p_plan, m_plan, {})
    jury = {"Cr2": m_plan["Cr2"]}
    after = s.final_score(p_plan, m_plan, jury)
    assert (after.total, after.decision) != (before.total, before.decision)

    pres = live.juror(server, s.president_email).goto(s.deliberation_path)
    memb = live.juror(server, s.member_email).goto(s.deliberation_path)
    # The president's second tab, left open on the deliberation as it was first shown.
    stale = JurorPage(pres.page.context.new_page(), server).goto(s.deliberation_path)

    label = pres.page.locator("label[for=confirm]")
    box = pres.page.get_by_label(re.compile("Je confirme la décision du jury"))
    expect(label).to_have_text(confirmation_text(s, before))
    pres.expect_summary(before)
    expect(memb.page.locator("#confirmation-cloture")).to_have_count(0)  # only the president closes
    box.check()

    # The president retains the other juror's value on the disputed Cr2: the summary and the
    # confirmation both state the new result at once, and the box is unticked.
    pres.set_marker()
    pres.mark("Cr2", jury["Cr2"])
    pres.expect_summary(after)
    expect(label).to_have_text(confirmation_text(s, after))
    expect(box).not_to_be_checked()
    pres.assert_not_navigated()
    memb.expect_summary(after)  # the other juror's page follows by itself

    # The tab still stating the old result: ticked and sent, it is refused, nothing closed.
    stale_label = stale.page.locator("label[for=confirm]")
    expect(stale_label).to_have_text(confirmation_text(s, before))
    stale.page.get_by_label(re.compile("Je confirme la décision du jury")).check()
    with stale.page.expect_response(lambda r: r.request.method == "POST") as response:
        stale.page.get_by_role("button", name="Clore la délibération").click()
    assert response.value.status == 409
    layout = s.layout
    live_text = (f"{decision_label(layout.rule, after.decision)} "
                 f"({fr_number(after.total)}/{fr_number(layout.max_points, 0)})")
    expect(stale.page.locator("#commentaire div > .status")).to_have_text(
        f"Le résultat a changé, confirmez à nouveau : la décision du jury est désormais {live_text}.")
    assert exam_phase(server) == DELIBERATION

    # The same for a form posting the old result by hand (no page at all).
    token = pres.page.locator("input[name=csrf_token]").first.input_value()
    old = {"csrf_token": token, "confirm": "oui", "shown_total": str(before.total),
           "shown_decision": before.decision}
    r = pres.page.request.post(server.url + s.deliberation_path + "/cloture", form=old,
                               headers={"HX-Request": "true"})
    assert r.status == 409
    assert r.text().startswith("Le résultat a changé, confirmez à nouveau")
    assert exam_phase(server) == DELIBERATION

    # Confirming the live result closes the deliberation, on both jurors' pages.
    box.check()
    pres.page.get_by_role("button", name="Clore la délibération").click()
    banner = pres.page.locator(".banner-closed")
    expect(banner).to_contain_text("Délibération close")
    expect(banner).to_contain_text(live_text)
    assert exam_phase(server) == CLOSED
    expect(memb.page.locator(".banner-closed")).to_contain_text(live_text, timeout=8_000)
