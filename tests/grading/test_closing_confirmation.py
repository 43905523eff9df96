"""Issue 13, item 1: the closing's confirmation states the live result, and a closing whose
result changed since the page showed it is refused (409). Item 9: without JavaScript, a
refused closing shows the deliberation again with the message (400), not a bare error."""
import re
from html import unescape

import pytest

from certif.extensions import db
from certif.sessions.models import Exam

from ..factories.grading import closing_form


def url(setup, tail=""):
    return f"/jury/examens/{setup.exam.id}{tail}"


def confirmation(page: str) -> str:
    label = re.search(r'<label for="confirm">(.*?)</label>', page, re.S).group(1)
    return " ".join(unescape(label).split())


@pytest.fixture
def deliberating(president, member, setup):
    """Both grids complete; the member says "non acquis" on Cr19 and Cr20 (C6 is lost on the
    president's casting vote only if the jury retains the member's values)."""
    for web, non in ((president, set()), (member, set(setup.criteria[18:20]))):
        for cid in setup.criteria:
            value = "non_acquis" if cid in non else "acquis"
            assert web.post(url(setup, f"/grille/criteres/{cid}"), {"value": value},
                            htmx=True).status_code == 200
    assert president.post(url(setup, "/deliberation/ouvrir")).status_code == 303
    return setup


def test_the_confirmation_follows_the_result_the_jury_records(president, deliberating):
    setup = deliberating
    page = president.get(url(setup, "/deliberation")).text
    assert confirmation(page) == "Je confirme la décision du jury : Avis favorable (20,00/20)."
    fragment = president.post(url(setup, f"/deliberation/criteres/{setup.criteria[18]}"),
                              {"value": "non_acquis"}, htmx=True).text
    assert 'id="confirmation-cloture" data-hx-swap-oob="true"' in fragment
    assert confirmation(fragment) == "Je confirme la décision du jury : Avis favorable (18,50/20)."
    assert 'name="shown_total" value="18.50"' in fragment
    assert 'name="shown_decision" value="favorable"' in fragment


def test_a_closing_of_a_result_that_changed_is_refused(president, deliberating):
    setup = deliberating
    stale = closing_form(setup.president, setup.exam.id)  # 20.00, favourable, as first shown
    president.post(url(setup, f"/deliberation/criteres/{setup.criteria[18]}"),
                   {"value": "non_acquis"}, htmx=True)
    r = president.post(url(setup, "/deliberation/cloture"), stale, htmx=True)
    assert r.status_code == 409
    assert r.text.startswith("Le résultat a changé, confirmez à nouveau")
    assert "Avis favorable (18,50/20)" in r.text
    assert db.session.get(Exam, setup.exam.id).phase == "deliberation"
    wrong_decision = {**closing_form(setup.president, setup.exam.id), "shown_decision": "unfavorable"}
    assert president.post(url(setup, "/deliberation/cloture"), wrong_decision,
                          htmx=True).status_code == 409
    r = president.post(url(setup, "/deliberation/cloture"), closing_form(setup.president, setup.exam.id))
    assert r.status_code == 303
    exam = db.session.get(Exam, setup.exam.id)
    assert (exam.phase, str(exam.total), exam.decision) == ("closed", "18.50", "favorable")


def test_a_closing_that_states_no_result_is_refused(president, deliberating):
    r = president.post(url(deliberating, "/deliberation/cloture"), {"confirm": "oui"}, htmx=True)
    assert r.status_code == 400 and "quel résultat vous confirmez" in r.text
    assert db.session.get(Exam, deliberating.exam.id).phase == "deliberation"


def test_without_javascript_an_unticked_closing_shows_the_form_and_the_message(president, deliberating):
    setup = deliberating
    form = closing_form(setup.president, setup.exam.id, comment="Texte tapé avant la clôture.")
    del form["confirm"]
    r = president.post(url(setup, "/deliberation/cloture"), form)
    assert r.status_code == 400 and r.mimetype == "text/html"
    page = r.text
    assert "<h1>Délibération" in page and 'id="clore-deliberation"' in page
    assert 'id="erreur-cloture"' in page and "Cochez la case de confirmation" in page
    assert 'aria-invalid="true"' in page
    assert "Texte tapé avant la clôture." in page  # nothing typed is lost
    assert f'action="/jury/examens/{setup.exam.id}/deliberation/commentaire"' in page
    assert db.session.get(Exam, setup.exam.id).phase == "deliberation"
