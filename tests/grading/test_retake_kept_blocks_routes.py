"""A retake of the RNCP title grades only the blocks not validated yet (issue 14, item 7): the
validated blocks show read-only with their origin, their criteria are refused (409), the grid
is complete once the missing blocks are marked, and the decision counts the kept blocks."""
import html

import pytest

from certif.extensions import db
from certif.grading.models import Mark
from certif.grading.rules import FAVORABLE

from ..factories.blocks import previous_attempt
from ..factories.database import counting_statements
from ..factories.grading import closing_form
from ..factories.sessions import make_exam


@pytest.fixture
def setup(app):
    """RNCP-CM: the candidate validated BC01 and BC02 at an attempt 120 days before."""
    setup = make_exam("RNCP-CM")
    previous_attempt(setup.exam.candidate, ("BC01", "BC02"), setup=setup, number="CM-AVANT")
    return setup


def criteria_of(setup, block):
    lay = setup.layout
    return [k.id for b in lay.blocks if b.code == block for c in b.competencies for k in c.criteria]


def grid(exam, criterion=None):
    base = f"/jury/examens/{exam.id}/grille"
    return base if criterion is None else f"{base}/criteres/{criterion}"


def test_the_grid_shows_the_validated_blocks_read_only_with_their_origin(president, setup):
    page = html.unescape(president.get(grid(setup.exam)).text)
    assert 'id="bloc-acquis-BC01"' in page and 'id="bloc-acquis-BC02"' in page
    assert "(session n° CM-AVANT)" in page and "Validé le " in page
    assert 'id="bloc-acquis-BC03"' not in page
    bc01 = criteria_of(setup, "BC01")
    assert f'id="b{bc01[0]}-a"' not in page  # no button for a kept block's criterion
    assert f'id="b{criteria_of(setup, "BC03")[0]}-a"' in page
    assert f"Critères non notés : <strong>{len(criteria_of(setup, 'BC03'))}</strong>" in page


@pytest.mark.parametrize("htmx", [True, False])
def test_a_validated_blocks_criterion_is_refused_409(president, setup, htmx):
    criterion = criteria_of(setup, "BC01")[0]
    response = president.post(grid(setup.exam, criterion), {"value": "acquis"}, htmx=htmx)
    assert response.status_code == 409
    assert "Le bloc BC01 a été validé le" in html.unescape(response.text)
    assert db.session.scalar(db.select(Mark.id)) is None


def test_the_grid_is_complete_with_the_missing_blocks_and_the_title_is_awarded(president, member,
                                                                                 setup):
    missing = criteria_of(setup, "BC03")
    for web in (president, member):
        for criterion in missing:
            response = web.post(grid(setup.exam, criterion), {"value": "acquis"}, htmx=True)
            assert response.status_code == 200, response.text
        assert response.headers.get("HX-Trigger") == "grid-complete"
    assert president.post(f"/jury/examens/{setup.exam.id}/deliberation/ouvrir").status_code == 303
    page = html.unescape(president.get(f"/jury/examens/{setup.exam.id}/deliberation").text)
    assert 'id="bloc-acquis-BC01"' in page and "Blocs validés : <strong>3</strong> / 3" in page
    form = closing_form(setup.president, setup.exam.id)
    assert form["shown_decision"] == FAVORABLE
    response = president.post(f"/jury/examens/{setup.exam.id}/deliberation/cloture", form)
    assert response.status_code == 303, response.text
    db.session.refresh(setup.exam)
    assert setup.exam.decision == FAVORABLE


def test_a_click_costs_the_same_statements_on_a_retake(president, make_web, app, setup):
    """The kept blocks are read in the access's statement: no statement more per click."""
    plain = make_exam("RNCP-CM")
    other = make_web(plain.president)

    def statements(web, exam, criterion):
        web.post(grid(exam, criterion), {"value": "acquis"}, htmx=True)  # grid created, warm
        with app.app_context(), counting_statements() as seen:
            response = web.client.post(grid(exam, criterion), data={"value": "non_acquis"},
                                       headers={"HX-Request": "true", "X-CSRFToken": web.token})
        assert response.status_code == 200
        return len(seen)

    assert statements(president, setup.exam, criteria_of(setup, "BC03")[0]) == \
        statements(other, plain.exam, criteria_of(plain, "BC03")[0])
