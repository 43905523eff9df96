"""Pages whose number of queries must not grow with their rows: the actions list and the
meeting form (both list sheets of many sessions)."""

import pytest

from ..factories.council import make_action, make_anomaly, make_review
from ..factories.database import count_queries
from ..factories.examday import make_breach_sheet
from ..factories.sessions import make_exam
from .helpers import COUNCIL_DAY

TODAY = COUNCIL_DAY
pytestmark = pytest.mark.usefixtures("fixed_today")


def add_actions(count: int) -> None:
    """`count` actions, each on a sheet of its own session: conditions sheets and anomaly
    sheets in turn (an action's origin names the sheet's session, and the jury's label)."""
    for i in range(count):
        setup = make_exam()
        if i % 2:
            review = make_review(anomaly=make_anomaly(setup.session, setup.president))
        else:
            review = make_review(conditions=make_breach_sheet(setup.jury))
        make_action(review, title=f"Action {i}")


def add_breach_sheets(count: int) -> None:
    """`count` handed conditions sheets in breach, each in a session of its own."""
    for _ in range(count):
        make_breach_sheet(make_exam().jury)


@pytest.mark.parametrize("url, add", [
    ("/conseil/actions", add_actions),
    ("/conseil/reunions/nouvelle", add_breach_sheets),
], ids=["actions", "meeting-form"])
def test_the_number_of_queries_does_not_grow_with_the_rows(url, add, make_web, council_user):
    web = make_web(council_user)
    add(2)
    response = web.get(url)
    assert response.status_code == 200
    few = count_queries(lambda: web.get(url))
    add(6)
    page = web.get(url).text
    assert page.count("session n° S-") >= 8  # the 8 rows are listed, with their session
    assert count_queries(lambda: web.get(url)) == few
