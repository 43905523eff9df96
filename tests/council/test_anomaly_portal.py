"""A candidate files an anomaly sheet from their personal link, and follows it there."""
import html
import re
from datetime import date, datetime

import pytest

from certif.audit.models import AuditEntry
from certif.candidates.links import make_token
from certif.candidates.models import new_link_nonce
from certif.council.models import AnomalySheet
from certif.extensions import db
from certif.signatures.models import ANOMALY, Signature
from certif.signatures.rules import sha256_text

from ..factories.council import make_anomaly, make_review
from ..factories.sessions import make_exam
from ..factories.web import CSRF_RE

TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def today(set_paris_today):
    set_paris_today(TODAY)



@pytest.fixture
def candidate(exam_setup):
    return exam_setup.exam.candidate


@pytest.fixture
def token(app, candidate):
    with app.test_request_context():
        return make_token(candidate)


def text(response) -> str:
    return html.unescape(response.text)


def open_form(web, token):
    """The form as the candidate opens it; the client then posts with its CSRF token."""
    page = web.get(f"/c/{token}/anomalie")
    web.token = CSRF_RE.search(page.text).group(1)
    return page


def sheet_form(session, **changes) -> dict:
    data = {"session_id": str(session.id), "observed_on": "2026-12-01", "anomaly_type": "technical",
            "description": "Le son du jury coupait sans cesse.",
            "consequence": "J'ai dû répéter ma présentation.", "causes": "",
            "signature_method": "typed", "signature_typed": "Alex Candidat"}
    data.update(changes)
    return data


def test_the_portal_always_offers_the_form(exam_setup, web, token):
    page = text(web.get(f"/c/{token}"))
    assert "Signaler une anomalie" in page and f"/c/{token}/anomalie" in page
    assert "Vos fiches anomalie" not in page  # none filed yet


def test_the_form_preselects_the_most_recent_session_and_names_the_candidate(exam_setup, web, token,
                                                                             candidate):
    page = open_form(web, token)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert re.search(rf'<option data-day="1er décembre 2026" selected value="{exam_setup.session.id}">'
                     rf'n° {exam_setup.session.number} — 1er décembre 2026</option>', text(page))
    assert 'id="observed_on" value="1er décembre 2026" readonly' in text(page)
    body = text(page)
    assert f'value="{candidate.full_name}" readonly' in body
    assert "Déconnexion" not in body  # the portal's layout, no staff navigation


def test_candidate_files_and_signs_from_their_link(exam_setup, web, token, candidate):
    open_form(web, token)
    r = web.post(f"/c/{token}/anomalie", sheet_form(exam_setup.session))
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/c/{token}#anomalies")
    [sheet] = db.session.scalars(db.select(AnomalySheet)).all()
    assert (sheet.reporter_kind, sheet.reporter_candidate_id, sheet.reporter_user_id) == ("candidate",
                                                                                          candidate.id, None)
    assert sheet.observed_by == candidate.full_name
    [signature] = db.session.scalars(db.select(Signature).filter_by(document=ANOMALY)).all()
    assert signature.candidate_id == candidate.id and signature.user_id is None
    assert signature.signer_key == f"candidate:{candidate.id}" and signature.signer_role == "candidate"
    assert signature.auth_method == "candidate_portal"
    assert "lien personnel du candidat" in signature.auth_detail
    assert signature.content_sha256 == sha256_text(signature.content)
    [entry] = db.session.scalars(db.select(AuditEntry).filter_by(action="anomaly.file")).all()
    assert entry.actor_id is None and entry.details["candidate_id"] == candidate.id
    # The link itself is never stored.
    for entry in db.session.scalars(db.select(AuditEntry)).all():
        assert token not in f"{entry.old_value} {entry.new_value} {entry.details}"
    assert token not in f"{signature.auth_detail} {signature.content}"

    home = text(web.get(r.headers["Location"]))
    assert "Votre fiche anomalie est enregistrée et signée" in home
    assert "Vos fiches anomalie" in home and "Transmise au conseil de pilotage" in home
    assert f"n° {exam_setup.session.number}" in home


def test_the_portal_follows_the_councils_handling(exam_setup, web, token, candidate):
    sheet = make_anomaly(exam_setup.session, candidate, kind="candidate")
    assert "Transmise au conseil de pilotage" in text(web.get(f"/c/{token}"))
    review = make_review(anomaly=sheet, signed=True)
    assert "Examinée" in text(web.get(f"/c/{token}"))
    review.closed_at = datetime(2026, 12, 20)
    db.session.commit()
    assert "Clôturée" in text(web.get(f"/c/{token}"))


def test_another_candidates_session_is_404(exam_setup, web, token):
    other = make_exam()
    assert web.get(f"/c/{token}/anomalie?session={other.session.id}").status_code == 404
    open_form(web, token)
    r = web.post(f"/c/{token}/anomalie", sheet_form(other.session))
    assert r.status_code == 404 and "Lien non valide ou page introuvable" in text(r)
    assert db.session.scalars(db.select(AnomalySheet)).all() == []
    assert f"n° {other.session.number}" not in open_form(web, token).text


def test_revoked_or_expired_link_gets_the_portals_error(app, exam_setup, web, token, candidate):
    open_form(web, token)
    candidate.link_nonce = new_link_nonce()
    db.session.commit()
    for response in (web.get(f"/c/{token}/anomalie"), web.post(f"/c/{token}/anomalie",
                                                              sheet_form(exam_setup.session))):
        assert response.status_code == 404 and "remplacé par un lien plus récent" in text(response)
    with app.test_request_context():
        fresh = make_token(candidate)
    app.config["CANDIDATE_LINK_DAYS"] = -1
    r = web.get(f"/c/{fresh}/anomalie")
    assert r.status_code == 410 and "Ce lien a expiré" in text(r)
    assert db.session.scalars(db.select(AnomalySheet)).all() == []


@pytest.mark.parametrize("changes, message", [
    ({"description": "", "consequence": ""}, "Décrivez l'anomalie."),
    ({"anomaly_type": "other"}, "Précisez le type d'anomalie (« Autre »)."),
    ({"consequence": "x" * 5001}, "5000 caractères au plus."),
    ({"signature_method": "drawn", "signature_image": ""}, "Votre signature est vide"),
])
def test_bad_input_rerenders_the_form_with_400(exam_setup, web, token, changes, message):
    open_form(web, token)
    r = web.post(f"/c/{token}/anomalie", sheet_form(exam_setup.session, **changes))
    assert r.status_code == 400
    page = text(r)
    assert message in page and "Déconnexion" not in page
    assert "Le son du jury coupait" in page or "description" in changes  # what was typed is kept
    assert db.session.scalars(db.select(AnomalySheet)).all() == []


def test_a_post_without_the_forms_token_is_refused(exam_setup, web, token):
    r = web.post(f"/c/{token}/anomalie", sheet_form(exam_setup.session), csrf=False)
    assert r.status_code == 400 and "Le formulaire a expiré" in text(r)
    assert db.session.scalars(db.select(AnomalySheet)).all() == []
