"""The council's home: sheets to examine, overdue actions first, actions to verify, actions
due within 14 days, the meetings due; and who reaches it."""
from datetime import datetime, timedelta
from html import unescape

import pytest

from certif.auth.models import JUROR
from certif.council.models import ADOPTED, APPLIED, IN_PROGRESS, PROPOSED, VERIFIED

from ..factories.council import make_action, make_anomaly, make_review
from ..factories.users import make_user
from .helpers import COUNCIL_DAY

TODAY = COUNCIL_DAY
pytestmark = pytest.mark.usefixtures("fixed_today")


def main(page) -> str:
    text = unescape(page.text)
    return text[text.index('<main'):]


def section(text: str, heading: str) -> str:
    start = text.index(f">{heading}</h2>")
    end = text.find("<h2", start)
    return text[start:end if end != -1 else None]


def test_the_home_lists_what_the_council_has_to_do(exam_setup, make_web, council_user):
    waiting = make_anomaly(exam_setup.session, exam_setup.president)
    signed = make_anomaly(exam_setup.session, exam_setup.member)
    review = make_review(anomaly=signed, signed=True)
    make_action(review, title="Action en retard", status=IN_PROGRESS, due_on=TODAY - timedelta(days=1))
    make_action(review, title="Action du jour", status=ADOPTED, due_on=TODAY)
    make_action(review, title="Action dans 14 jours", due_on=TODAY + timedelta(days=14))
    make_action(review, title="Action lointaine", due_on=TODAY + timedelta(days=15))
    make_action(review, title="Action à vérifier", status=APPLIED, due_on=TODAY - timedelta(days=5))
    make_action(review, title="Action proposée", status=PROPOSED, due_on=TODAY - timedelta(days=5))
    make_action(review, title="Action vérifiée", status=VERIFIED, due_on=TODAY - timedelta(days=5),
                verified_at=datetime(2026, 12, 8), evidence_text="Vu.")

    response = make_web(council_user).get("/conseil/")
    assert response.status_code == 200
    text = main(response)
    late = section(text, "Actions en retard")
    assert "Action en retard" in late and "En retard" in late
    assert "Action à vérifier" not in late and "Action proposée" not in late
    assert text.index("Actions en retard</h2>") < text.index("Fiches à examiner</h2>")
    to_examine = section(text, "Fiches à examiner")
    assert f"/conseil/fiches/anomalie/{waiting.id}" in to_examine
    assert f"/conseil/fiches/anomalie/{signed.id}" not in to_examine
    assert "Action à vérifier" in section(text, "Actions appliquées, à vérifier")
    soon = section(text, "Échéances dans les 14 jours")
    assert "Action du jour" in soon and "Action dans 14 jours" in soon
    assert "Action lointaine" not in soon and "Action en retard" not in soon
    # The meetings owed: the exceptional one after the session that reported an anomaly.
    meetings = section(text, "Réunions à tenir")
    assert "Réunion exceptionnelle" in meetings and "1er janvier 2027" in meetings
    assert "/conseil/fiches" in text and "/conseil/actions" in text


def test_nothing_to_do(app, make_web, council_user):
    text = main(make_web(council_user).get("/conseil/"))
    assert "Aucune action en retard." in text and "Aucune fiche à examiner." in text


def test_who_reaches_the_home(app, web, make_web, council_user, organiser_user):
    assert make_web(organiser_user).get("/conseil/").status_code == 200
    assert make_web(make_user(JUROR)).get("/conseil/").status_code == 403
    response = web.get("/conseil/")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_a_council_member_lands_on_the_council_home(app, web, council_user):
    response = web.login(council_user)
    assert response.headers["Location"].endswith("/conseil/")
