"""The candidate's page through their personal link: no account, signed, expiring,
revocable; their own convocations only; the retake request."""
import html
import io
from datetime import timedelta

import pypdf
import pytest

from certif.audit.models import AuditEntry
from certif.candidates.links import make_token
from certif.candidates.models import RetakeRequest, new_link_nonce
from certif.extensions import db
from certif.timeutil import utcnow

from ..factories.convocations import make_session_to_convene
from ..factories.web import CSRF_RE


def text(response) -> str:
    return html.unescape(response.text)


@pytest.fixture
def token(app, setup):
    with app.test_request_context():
        return make_token(setup.exam.candidate)


def close_unfavourably(exam, days_ago=3):
    exam.phase = "closed"
    exam.decision = "defavorable"
    exam.total = 9
    exam.closed_at = utcnow() - timedelta(days=days_ago)


def test_valid_link_shows_the_sitting_and_convocation(app, setup, web, token):
    r = web.get(f"/c/{token}")
    assert r.status_code == 200
    page = text(r)
    candidate = setup.exam.candidate
    assert f"{candidate.first_name} {candidate.last_name.upper()}" in page
    assert f"Session n° {setup.session.number}" in page
    assert "https://visio.test/salle-rs" in page
    assert f"/c/{token}/convocations/{setup.exam.id}.pdf" in page
    assert "certification@certif.test" in page  # whom to contact
    assert "Déconnexion" not in page and "Sessions" not in page  # no staff navigation
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["Cache-Control"] == "private, no-store"


def test_no_staff_navigation_even_when_staff_is_logged_in(app, setup, organiser, token):
    page = text(organiser.get(f"/c/{token}"))
    assert "Déconnexion" not in page and "Courriels" not in page


def test_candidate_downloads_their_convocation(app, setup, web, token):
    r = web.get(f"/c/{token}/convocations/{setup.exam.id}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    content = " ".join(pypdf.PdfReader(io.BytesIO(r.data)).pages[0].extract_text().split())
    assert "CONVOCATION À LA CERTIFICATION" in content
    assert setup.exam.candidate.full_name in content


def test_another_candidates_exam_is_404(app, setup, web, token):
    other = setup.exams[1]
    r = web.get(f"/c/{token}/convocations/{other.id}.pdf")
    assert r.status_code == 404
    elsewhere = make_session_to_convene(candidates=1).exam
    assert web.get(f"/c/{token}/convocations/{elsewhere.id}.pdf").status_code == 404
    assert web.get(f"/c/{token}/convocations/999999.pdf").status_code == 404


def test_forged_link_is_404(app, setup, web, token):
    r = web.get(f"/c/{token[:-2]}xx")
    assert r.status_code == 404
    assert "Lien non valide" in text(r)
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert web.get(f"/c/{token[:-2]}xx/convocations/{setup.exam.id}.pdf").status_code == 404


def test_expired_link_is_410(app, setup, web, token):
    app.config["CANDIDATE_LINK_DAYS"] = -1  # every link is older than that
    r = web.get(f"/c/{token}")
    assert r.status_code == 410
    page = text(r)
    assert "Ce lien a expiré" in page and "nouveau lien" in page
    assert web.get(f"/c/{token}/convocations/{setup.exam.id}.pdf").status_code == 410


def test_revoked_link_is_404(app, setup, web, token):
    setup.exam.candidate.link_nonce = new_link_nonce()
    db.session.commit()
    r = web.get(f"/c/{token}")
    assert r.status_code == 404 and "remplacé par un lien plus récent" in text(r)


def test_absent_sitting_has_no_convocation(app, setup, web, token):
    setup.exam.status = "absent_excused"
    db.session.commit()
    page = text(web.get(f"/c/{token}"))
    assert "Absent excusé" in page
    assert f"/convocations/{setup.exam.id}.pdf" not in page
    assert web.get(f"/c/{token}/convocations/{setup.exam.id}.pdf").status_code == 404


# --- Retake -----------------------------------------------------------------------------------

def test_failed_candidate_requests_a_retake(app, setup, web, token):
    close_unfavourably(setup.exam)
    db.session.commit()
    page = web.get(f"/c/{token}")
    body = text(page)
    assert "Avis défavorable" in body
    assert "Je demande à repasser l'épreuve" in body and "jusqu'au" in body
    web.token = CSRF_RE.search(page.text).group(1)
    r = web.post(f"/c/{token}/rattrapage/{setup.exam.id}")
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/c/{token}#passage-{setup.exam.id}")
    [request] = db.session.scalars(db.select(RetakeRequest)).all()
    assert request.exam_id == setup.exam.id and request.channel == "candidate"
    assert request.requested_by_id is None
    after = text(web.get(f"/c/{token}"))
    assert "demande pour repasser l'épreuve est enregistrée" in after
    assert "Une demande de rattrapage a déjà été enregistrée" in after
    # The token is never written to the audit log.
    for entry in db.session.scalars(db.select(AuditEntry)).all():
        assert token not in f"{entry.old_value} {entry.new_value} {entry.details}"
    # Asking twice is refused, with the reason.
    r = web.post(f"/c/{token}/rattrapage/{setup.exam.id}")
    assert r.status_code == 409 and "déjà été enregistrée" in text(r)


def test_retake_after_the_deadline_shows_the_reason(app, setup, web, token):
    close_unfavourably(setup.exam, days_ago=70)
    db.session.commit()
    page = text(web.get(f"/c/{token}"))
    assert "Je demande à repasser" not in page and "est dépassé" in page
    web.token = csrf_token(web)
    r = web.post(f"/c/{token}/rattrapage/{setup.exam.id}")
    assert r.status_code == 409 and "est dépassé" in text(r)
    assert db.session.scalars(db.select(RetakeRequest)).all() == []


def test_retake_for_another_candidates_exam_is_404(app, setup, web, token):
    other = setup.exams[1]
    close_unfavourably(other)
    db.session.commit()
    web.token = csrf_token(web)
    r = web.post(f"/c/{token}/rattrapage/{other.id}")
    assert r.status_code == 404
    assert db.session.scalars(db.select(RetakeRequest)).all() == []


def test_retake_without_csrf_is_refused_on_the_portal(app, setup, web, token):
    close_unfavourably(setup.exam)
    db.session.commit()
    r = web.post(f"/c/{token}/rattrapage/{setup.exam.id}", csrf=False)
    assert r.status_code == 400 and "Le formulaire a expiré" in text(r)
    assert db.session.scalars(db.select(RetakeRequest)).all() == []


def csrf_token(web) -> str:
    """A CSRF token for this browser's session (no account: taken from the login form)."""
    return CSRF_RE.search(web.get("/connexion").text).group(1)
