"""The candidate completes or corrects their civil status through their personal link: their
own data only, French refusals (400 for a field, 409 after the session's day), CSRF, audit."""
import html
from datetime import timedelta

import pytest

from certif.audit.models import AuditEntry
from certif.candidates.links import make_token
from certif.candidates.models import Candidate
from certif.extensions import db
from certif.timeutil import paris_day

from ..factories.candidates import make_candidate
from ..factories.sessions import upcoming_exam
from ..factories.web import CSRF_RE

BIRTH = {"birth_name": "Martin", "usage_name": "", "first_name": "Alex", "first_name_2": "Marie",
         "first_name_3": "", "birth_date": "1990-05-17", "sex": "F", "birth_insee_code": "2A004",
         "birth_postal_code": "", "birth_commune": "Ajaccio", "birth_country_code": "",
         "birth_country_name": ""}


@pytest.fixture
def exam(app):
    return upcoming_exam(days=5).exam


@pytest.fixture
def candidate(exam):
    return exam.candidate


def link(app, candidate) -> str:
    with app.test_request_context():
        return f"/c/{make_token(candidate)}/etat-civil"


def post(web, url, data, csrf=True):
    page = web.get(url)
    if csrf:
        web.token = CSRF_RE.search(page.text).group(1)
        return web.post(url, data)
    return web.post(url, data, csrf=False)


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


def test_the_page_shows_the_candidates_own_data(app, web, candidate):
    other = make_candidate("Zoé", "Autre", birth_commune="Morlaix")
    page = web.get(link(app, candidate))
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    body = html.unescape(page.text)
    assert "État civil du titulaire (certificat et déclaration CDC)" in body
    assert candidate.last_name in body and "Morlaix" not in body and other.last_name not in body


def test_the_candidate_completes_their_birth_data_and_sees_the_confirmation(app, web, candidate):
    url = link(app, candidate)
    response = post(web, url, BIRTH)
    assert response.status_code == 303 and response.headers["Location"].endswith("/confirmation")
    stored = db.session.get(Candidate, candidate.id)
    assert (stored.first_name_2, stored.sex, stored.birth_insee_code, stored.birth_commune) == (
        "Marie", "F", "2A004", "Ajaccio")
    assert stored.holder_confirmed_at is not None
    body = html.unescape(web.get(url + "/confirmation").text)
    assert "Alex Marie MARTIN" in body and "17 mai 1990" in body and "Ajaccio (2A004)" in body
    assert "Formation continue hors contrat de professionnalisation" in body
    assert "complètes pour la déclaration" in body
    [entry] = audit("candidate.holder_confirm")
    assert entry.actor_id is None and entry.details["channel"] == "candidate"
    assert entry.details["changes"]["birth_insee_code"] == [None, "2A004"]


@pytest.mark.parametrize("field, value, message", [
    ("birth_insee_code", "6912", "5 caractères attendus"),
    ("sex", "X", "« M » ou « F »"),
    ("birth_date", "31/02/1990", "Date de naissance invalide"),
    ("first_name_3", "Louise", "Troisième prénom sans deuxième prénom"),
])
def test_bad_input_is_refused_in_french(app, web, candidate, field, value, message):
    data = {**BIRTH, field: value}
    if field == "first_name_3":
        data["first_name_2"] = ""
    response = post(web, link(app, candidate), data)
    assert response.status_code == 400
    assert message in html.unescape(response.text)
    assert db.session.get(Candidate, candidate.id).birth_commune is None
    assert audit("candidate.holder_confirm") == []


def test_after_the_sessions_day_the_candidate_is_refused_409(app, web, exam, candidate,
                                                             set_paris_today):
    url = link(app, candidate)
    page = web.get(url)
    web.token = CSRF_RE.search(page.text).group(1)
    exam_day = set_paris_today(paris_day(exam.starts_at))
    assert web.post(url, BIRTH).status_code == 303  # the day itself: still open
    set_paris_today(exam_day + timedelta(days=1))
    response = web.post(url, {**BIRTH, "birth_commune": "Bastia"})
    assert response.status_code == 409
    assert "est passée" in html.unescape(response.text)
    assert db.session.get(Candidate, candidate.id).birth_commune == "Ajaccio"
    assert "est passée" in html.unescape(web.get(url).text)


def test_the_csrf_token_is_required(app, web, candidate):
    response = post(web, link(app, candidate), BIRTH, csrf=False)
    assert response.status_code == 400
    assert db.session.get(Candidate, candidate.id).birth_commune is None


def test_a_forged_link_is_404(app, web, candidate):
    url = link(app, candidate).replace("/etat-civil", "xx/etat-civil")
    assert web.get(url).status_code == 404
    assert web.post(url, BIRTH, csrf=False).status_code in (400, 404)


def test_the_candidate_cannot_change_the_access_mode(app, web, candidate):
    candidate.access_mode = "CANDIDAT_LIBRE"
    db.session.commit()
    post(web, link(app, candidate), {**BIRTH, "access_mode": "VAE"})
    assert db.session.get(Candidate, candidate.id).access_mode == "CANDIDAT_LIBRE"
