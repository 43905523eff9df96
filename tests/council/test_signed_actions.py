"""Actions adopted after the council signed its opinion: the signed opinion keeps the actions
it was signed with (PDF, review page, sheet page); the later ones are listed apart, still
followed and still blocking closing."""
import io
import re
from html import unescape

import pypdf
import pytest

from certif.council.anomalies import anomaly_pdf, sheet_view
from certif.council.models import ADOPTED, AnomalySheet, CorrectiveAction
from certif.council.reviews import opinion
from certif.extensions import db

from ..factories.council import make_anomaly
from .helpers import COUNCIL_DAY

TODAY = COUNCIL_DAY
pytestmark = pytest.mark.usefixtures("fixed_today")
SEEN_RE = re.compile(r'name="content_sha256" value="([0-9a-f]{64})"')
LATER = "Actions adoptées après la signature de l'avis"


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def propose_and_adopt(web, url, owner, title) -> CorrectiveAction:
    assert web.post(f"{url}/actions", {"title": title, "owner": str(owner.id),
                                       "due_on": "2026-12-31"}).status_code == 303
    action = db.session.scalar(db.select(CorrectiveAction).filter_by(title=title))
    assert web.post(f"/conseil/actions/{action.id}/statut", {"target": ADOPTED}).status_code == 303
    return action


@pytest.fixture
def signed_then_more(exam_setup, make_web, council_user):
    """Through the pages: one action adopted, the opinion signed, then a second one adopted."""
    sheet = make_anomaly(exam_setup.session, exam_setup.president)
    web = make_web(council_user)
    url = f"/conseil/fiches/anomalie/{sheet.id}"
    assert web.post(f"{url}/avis", {"opinion_date": "2026-12-05", "commission_number": "2026-03",
                                     "opinion": "Prévenir les candidats."}).status_code == 303
    propose_and_adopt(web, url, council_user, "Tester la connexion la veille")
    seen = SEEN_RE.search(web.get(url).text).group(1)
    assert web.post(f"{url}/avis/signature", {"signature_method": "typed",
                                              "signature_typed": "Sylvie Moscou",
                                              "content_sha256": seen}).status_code == 303
    propose_and_adopt(web, url, council_user, "Acheter un second routeur")
    db.session.expire_all()
    return sheet, web, url


def test_the_pdf_keeps_the_signed_actions_under_the_opinion_and_lists_the_later_ones_apart(
        signed_then_more):
    sheet, _, _ = signed_then_more
    text = pdf_text(anomaly_pdf(db.session.get(AnomalySheet, sheet.id)))
    retained = text.index("Actions correctives retenues")
    later = text.index(LATER)
    assert retained < text.index("Tester la connexion la veille") < later
    assert text.index("Acheter un second routeur") > later
    assert text.count("Acheter un second routeur") == 1


def test_the_signed_list_comes_from_the_signature_not_from_the_live_actions(signed_then_more):
    sheet, _, _ = signed_then_more
    view = sheet_view(db.session.get(AnomalySheet, sheet.id))
    assert [a.title for a in view.actions] == ["Tester la connexion la veille"]
    assert [a.title for a in view.later_actions] == ["Acheter un second routeur"]
    # Even were the live action renamed, the opinion shows what was signed.
    first = db.session.scalar(db.select(CorrectiveAction).filter_by(title="Tester la connexion la veille"))
    first.title = "Renommée après coup"
    db.session.commit()
    view = sheet_view(db.session.get(AnomalySheet, sheet.id))
    assert [a.title for a in view.actions] == ["Tester la connexion la veille"]
    assert view.actions[0].status_label == "Adoptée"


def test_the_review_and_sheet_pages_list_the_later_actions_apart(signed_then_more, exam_setup,
                                                                 make_web):
    sheet, web, url = signed_then_more
    page = unescape(web.get(url).text)
    opinion = page[page.index('id="titre-avis"'):page.index('id="titre-actions"')]
    assert "Tester la connexion la veille" in opinion
    assert LATER in opinion
    assert opinion.index(LATER) < opinion.index("Acheter un second routeur")
    assert opinion.index("Tester la connexion la veille") < opinion.index(LATER)

    own = unescape(make_web(exam_setup.president).get(f"/anomalies/{sheet.id}").text)
    assert own.index("Tester la connexion la veille") < own.index(LATER) \
        < own.index("Acheter un second routeur")


def test_a_later_action_still_blocks_closing(signed_then_more):
    sheet, web, url = signed_then_more
    response = web.post(f"{url}/cloture", {"note": ""})
    assert response.status_code == 303
    response = web.get(response.headers["Location"])
    assert "2 actions correctives adoptées ne sont pas encore vérifiées" in unescape(response.text)


def test_a_draft_opinion_lists_the_actions_retained_so_far(exam_setup, make_web, council_user):
    sheet = make_anomaly(exam_setup.session, exam_setup.president)
    web = make_web(council_user)
    url = f"/conseil/fiches/anomalie/{sheet.id}"
    propose_and_adopt(web, url, council_user, "Tester la connexion la veille")
    db.session.expire_all()
    view = sheet_view(db.session.get(AnomalySheet, sheet.id))
    assert [a.title for a in view.actions] == ["Tester la connexion la veille"]
    assert view.later_actions == []
    assert LATER not in pdf_text(anomaly_pdf(db.session.get(AnomalySheet, sheet.id)))
    assert opinion.split_retained(None) == ([], [])
