"""Authorisation: organiser routes refuse jurors (403) and send anonymous users to log in."""
import pytest

from certif.auth.models import JUROR
from certif.certificates.models import Certificate
from certif.extensions import db
from certif.grading.rules import FAVORABLE

from ..factories.grading import finished_session
from ..factories.minutes import make_minutes
from ..factories.users import make_user


@pytest.fixture
def routes(organiser):
    setup = finished_session(decisions=(FAVORABLE,))
    make_minutes(setup.session)
    organiser.post(f"/sessions/{setup.session.id}/certificats")
    certificate = db.session.scalar(db.select(Certificate))
    sid, eid, cid = setup.session.id, setup.exam.id, certificate.id
    return [("get", f"/sessions/{sid}/resultats"), ("post", f"/sessions/{sid}/resultats/envoi"),
            ("post", f"/examens/{eid}/resultat/envoi"), ("post", f"/sessions/{sid}/certificats"),
            ("get", f"/certificats/{cid}.pdf"), ("post", f"/certificats/{cid}/delivrance")]


def test_juror_is_refused(routes, make_web, app):
    juror = make_web(make_user(JUROR))
    for method, url in routes:
        response = getattr(juror, method)(url)
        assert response.status_code == 403, url


def test_anonymous_goes_to_login(routes, web):
    for method, url in routes:
        response = getattr(web, method)(url, csrf=False) if method == "post" else web.get(url)
        if method == "get":
            assert response.status_code == 302 and "/connexion" in response.headers["Location"], url
        else:  # no session, no CSRF token: the login page too
            assert response.status_code in (302, 401) and "/connexion" in response.headers.get(
                "Location", ""), url
    assert db.session.scalar(db.select(Certificate)).channel is None
