"""The exam's parts on the grid page (issue 14, item 6), clicked: the president starts the
exam and moves to the next part, the clock counts, the other juror sees the part on the
next poll, and a juror marks a competency's coverage. No reload, no CSP violation."""
import re

import pytest
from playwright.sync_api import expect

from certif.extensions import db
from certif.grading.parts.models import CompetencyCoverage, ExamPartStart


@pytest.mark.browser
def test_the_president_moves_to_the_next_part_and_a_juror_marks_coverage(live):
    server = live.start("RS6240", PARTS_POLL_SECONDS=1)
    s = server.seeded
    pres = live.juror(server, s.president_email).open_grid()
    member = live.juror(server, s.member_email).open_grid()
    errors = []
    for juror in (pres, member):
        juror.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        juror.set_marker()

    panel = pres.page.locator("#parties")
    expect(member.page.locator("#parties")).to_contain_text("la présidence du jury lance la première partie")
    expect(member.page.locator("#partie-suivante")).to_have_count(0)
    pres.page.get_by_role("button", name="Commencer l'épreuve : Épreuve théorique").click()
    expect(panel.locator("#partie-en-cours")).to_have_text("Épreuve théorique")
    expect(panel.locator(".part-elapsed")).to_have_text(re.compile(r"^0 min 0[1-9] s$"))  # it counts
    expect(member.page.locator("#partie-en-cours")).to_have_text("Épreuve théorique")  # polled

    pres.page.get_by_role("button", name="Partie suivante : Épreuve pratique").click()
    expect(panel.locator("#partie-en-cours")).to_have_text("Épreuve pratique")
    expect(panel).to_contain_text("prévu 20 min")
    expect(pres.page.locator("#partie-suivante")).to_have_count(0)  # the last part
    expect(member.page.locator("#partie-en-cours")).to_have_text("Épreuve pratique")

    covered = member.page.locator("#cv-projet-C1-oui")
    covered.click()
    expect(covered).to_have_attribute("aria-pressed", "true")
    expect(member.page.locator("#cv-projet-C1-non")).to_have_attribute("aria-pressed", "false")
    pres.assert_not_navigated()
    member.assert_not_navigated()
    assert not errors, errors

    with server.app.app_context():
        positions = db.session.scalars(db.select(ExamPartStart.position)
                                       .filter_by(exam_id=s.exam_id).order_by(ExamPartStart.position)).all()
        row = db.session.scalar(db.select(CompetencyCoverage).filter_by(exam_id=s.exam_id))
        assert positions == [0, 1]
        assert (row.competency_code, row.covered_by_project, row.updated_by_id) == ("C1", True, s.member_id)
        db.session.remove()
