"""The insurance page (organisers only, CSRF, bad input 400, certificate download 404) and
convening refused outside the cover (409, French message naming the dates)."""
import io
from datetime import date, timedelta

from certif.audit.models import AuditEntry
from certif.convocations.models import Convocation
from certif.dashboard.page import due_items
from certif.extensions import db
from certif.organisation.models import InsurancePolicy
from certif.sessions.lifecycle import convene_problem, session_facts
from certif.timeutil import paris_today

from ..factories.convocations import make_session_to_convene
from ..factories.organisation import make_policy, remove_policies

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
URL = "/organisation/assurance"


def form(**overrides):
    data = {"insurer": "Mutuelle des Formateurs", "number": "RC-2026-42",
            "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "certificate": (io.BytesIO(PDF), "attestation.pdf")}
    data.update(overrides)
    return data


def test_organiser_records_a_policy_with_its_certificate(organiser):
    r = organiser.post(URL, form(), content_type="multipart/form-data")
    assert r.status_code == 303
    policy = db.session.scalar(db.select(InsurancePolicy).filter_by(number="RC-2026-42"))
    assert policy.starts_on == date(2026, 1, 1) and policy.certificate_name == "attestation.pdf"
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="insurance.record")) is not None
    page = organiser.get(URL).text
    assert "Mutuelle des Formateurs" in page and "RC-TOUS-LES-JOURS" in page  # the history is kept
    download = organiser.get(f"{URL}/{policy.id}/attestation.pdf")
    assert download.status_code == 200 and download.data == PDF


def test_bad_input_is_refused_with_the_page(organiser):
    r = organiser.post(URL, form(ends_on="2025-01-01"), content_type="multipart/form-data")
    assert r.status_code == 400 and "La fin de validité précède son début" in r.text
    r = organiser.post(URL, form(certificate=(io.BytesIO(b"\x89PNG\r\n\x1a\n"), "a.pdf")),
                       content_type="multipart/form-data")
    assert r.status_code == 400 and "pas un PDF valide" in r.text
    r = organiser.post(URL, form(starts_on="31/02/2026"), content_type="multipart/form-data")
    assert r.status_code == 400 and "Date invalide" in r.text
    assert db.session.scalar(db.select(db.func.count(InsurancePolicy.id))) == 1  # the tests' own


def test_only_organisers_with_csrf(organiser, web, make_web, council_user):
    assert web.get(URL).status_code in (302, 303, 401)
    assert make_web(council_user).get(URL).status_code == 403
    r = organiser.post(URL, form(), csrf=False, content_type="multipart/form-data")
    assert r.status_code == 400
    assert organiser.get(f"{URL}/99999/attestation.pdf").status_code == 404


def test_convening_outside_the_cover_is_refused(app, organiser):
    setup = make_session_to_convene()
    remove_policies()
    day = paris_today()
    make_policy(day - timedelta(days=400), day - timedelta(days=35), number="RC-ECHUE")
    exam = setup.exam
    r = organiser.post(f"/convocations/examens/{exam.id}/envoyer", {"channel": "email"})
    assert r.status_code == 409
    assert "n'est pas couverte par l'assurance responsabilité civile" in r.text.replace("&#39;", "'")
    assert "RC-ECHUE" in r.text
    r = organiser.post(f"/convocations/sessions/{setup.session.id}/envoyer-tout")
    assert r.status_code == 409
    assert db.session.scalar(db.select(db.func.count(Convocation.id))) == 0
    assert "n'est pas couverte" in convene_problem(session_facts(setup.session))


def test_dashboard_warns_30_days_before_the_end(app):
    remove_policies()
    today = paris_today()
    make_policy(today - timedelta(days=300), today + timedelta(days=20))
    items = [i for i in due_items(today) if i.kind == "insurance"]
    assert len(items) == 1 and items[0].due == today + timedelta(days=20)
    make_policy(today + timedelta(days=21), today + timedelta(days=400), number="RC-SUIVANTE")
    assert not [i for i in due_items(today) if i.kind == "insurance"]
