"""The dashboard's items of this domain: results to send, certificates to issue."""
from datetime import timedelta

from certif.certificates.models import Certificate
from certif.dashboard.page import due_items
from certif.extensions import db
from certif.grading.rules import FAVORABLE, UNFAVORABLE
from certif.timeutil import paris_today

from ..factories.grading import finished_session
from ..factories.minutes import make_minutes


def items_of(kind, today=None):
    return [i for i in due_items(today) if i.kind == kind]


def test_certificate_due_three_weeks_after_the_session(app):
    setup = finished_session(decisions=(FAVORABLE, UNFAVORABLE), days_ago=21)
    [item] = items_of("certificate")
    session_day = paris_today() - timedelta(days=21)
    assert item.due == session_day + timedelta(days=21)
    assert not item.overdue  # day 21
    assert setup.exam.candidate.full_name in item.label
    assert "Certificat à délivrer" in item.label
    [late] = items_of("certificate", paris_today() + timedelta(days=1))  # day 22
    assert late.overdue


def test_issued_certificate_leaves_the_dashboard(organiser):
    setup = finished_session(decisions=(FAVORABLE,))
    make_minutes(setup.session)
    organiser.post(f"/sessions/{setup.session.id}/certificats")
    [item] = items_of("certificate")
    certificate = db.session.scalar(db.select(Certificate))
    assert certificate.number in item.label
    organiser.post(f"/certificats/{certificate.id}/delivrance", {"channel": "post"})
    assert items_of("certificate") == []


def test_results_to_send_until_every_candidate_is_notified(organiser):
    setup = finished_session(decisions=(FAVORABLE, UNFAVORABLE), days_ago=5)
    [item] = items_of("results")
    assert "2 résultats à envoyer" in item.label and item.overdue
    organiser.post(f"/examens/{setup.exam.id}/resultat/envoi")
    [item] = items_of("results")
    assert "1 résultat à envoyer" in item.label
    organiser.post(f"/sessions/{setup.session.id}/resultats/envoi")
    assert items_of("results") == []


def test_no_results_item_before_deliberation(app):
    finished_session(status="in_progress")
    assert items_of("results") == []


def test_dashboard_page_links_to_the_results(organiser):
    setup = finished_session(decisions=(FAVORABLE,), days_ago=30)
    page = organiser.get("/tableau-de-bord/")
    assert page.status_code == 200
    assert "Certificats à délivrer" in page.text and "Résultats à envoyer" in page.text
    assert f"/sessions/{setup.session.id}/resultats" in page.text
    assert "En retard" in page.text


def test_these_items_cost_the_same_for_one_or_many(organiser):
    from ..factories.database import counting_statements

    def statements() -> int:
        db.session.expire_all()
        with counting_statements() as seen:
            assert organiser.get("/tableau-de-bord/").status_code == 200
        return len(seen)

    finished_session(decisions=(FAVORABLE, UNFAVORABLE))
    organiser.get("/tableau-de-bord/")  # warm up
    few = statements()
    for _ in range(3):
        finished_session(decisions=(FAVORABLE, FAVORABLE, UNFAVORABLE))
    assert statements() == few
    assert len(items_of("certificate")) == 7 and len(items_of("results")) == 4


def test_candidates_without_email_do_not_keep_the_results_item(app):
    finished_session(decisions=(FAVORABLE,), emails=False)
    assert items_of("results") == []
    assert len(items_of("certificate")) == 1
