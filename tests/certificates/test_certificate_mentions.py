"""The parchemin's mentions: the registered title, the registration's dates, the day of award
and the validity, the signatory (the minutes' visa: name, function, signature), a QR code to
the public check with the number and code filled in."""
import io
from datetime import date, timedelta

import pypdf
import pytest

from certif.certificates import rules
from certif.certificates.content import check_url
from certif.certificates.models import Certificate
from certif.extensions import db
from certif.grading.rules import FAVORABLE
from certif.timeutil import french_date, paris_day

from ..factories.grading import finished_session
from ..factories.minutes import make_minutes
from .helpers import signed_visa


def pdf_of(organiser, certificate) -> bytes:
    response = organiser.get(f"/certificats/{certificate.id}.pdf")
    assert response.status_code == 200
    return response.data


def text_of(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).split())


def produced(organiser, setup) -> Certificate:
    assert organiser.post(f"/sessions/{setup.session.id}/certificats").status_code == 303
    return db.session.scalar(db.select(Certificate))


def test_the_parchemin_names_its_signatory_with_the_visa_signature(organiser, organiser_user, app):
    setup = finished_session(decisions=(FAVORABLE,))
    signed_visa(setup.session, organiser_user)
    data = pdf_of(organiser, produced(organiser, setup))
    text = text_of(data)
    assert "Pour ALLOKOM, responsable d'organisation de la certification" in text
    assert organiser_user.full_name in text
    reader = pypdf.PdfReader(io.BytesIO(data))
    images = [name for page in reader.pages for name in page.images]
    assert len(images) >= 2  # the visa's drawn signature and the QR code
    assert len(reader.pages) == 1


def test_a_visa_without_a_signature_row_still_names_its_giver(organiser, organiser_user, app):
    setup = finished_session(decisions=(FAVORABLE,))
    make_minutes(setup.session, organiser_user)
    text = text_of(pdf_of(organiser, produced(organiser, setup)))
    assert organiser_user.full_name in text


def test_registered_title_registration_period_award_and_validity(organiser, organiser_user, app):
    setup = finished_session(decisions=(FAVORABLE,))
    signed_visa(setup.session, organiser_user)
    certificate = produced(organiser, setup)
    text = text_of(pdf_of(organiser, certificate))
    ref = setup.session.referential
    assert f"« {ref.registered_title} »" in text
    assert ref.annex_heading not in text
    assert "Enregistrement du 26/01/2023 au 25/01/2028." in text
    awarded = paris_day(setup.exam.closed_at)
    assert f"Certification obtenue le {french_date(awarded)}" in text
    assert f"Valable à compter du {french_date(awarded)}, sans limitation de durée." in text


def test_the_qr_code_leads_to_the_check_with_number_and_code(organiser, organiser_user, app):
    setup = finished_session(decisions=(FAVORABLE,))
    signed_visa(setup.session, organiser_user)
    certificate = produced(organiser, setup)
    with app.test_request_context():
        url = check_url(certificate)
    assert url.startswith("http") and "/verifier-certificat?" in url
    assert f"number={certificate.number}" in url
    assert f"code={rules.format_code(certificate.verification_code)}" in url


def test_the_qr_code_link_uses_the_configured_base_url(organiser, organiser_user, app):
    app.config["BASE_URL"] = "https://certif.example.fr"
    setup = finished_session(decisions=(FAVORABLE,))
    signed_visa(setup.session, organiser_user)
    certificate = produced(organiser, setup)
    with app.test_request_context("/", base_url="http://attacker.example"):
        assert check_url(certificate).startswith("https://certif.example.fr/verifier-certificat?")


def test_no_certificate_for_a_session_after_the_registration_end(organiser, organiser_user, app):
    setup = finished_session(decisions=(FAVORABLE,))
    signed_visa(setup.session, organiser_user)
    ref = setup.session.referential
    ref.details = {**ref.details, "registration": {
        **ref.registration, "ends_on": (paris_day(setup.session.starts_at) - timedelta(days=1)).isoformat()}}
    db.session.commit()
    response = organiser.post(f"/sessions/{setup.session.id}/certificats")
    assert response.status_code == 409
    assert "a pris fin le" in response.text
    assert db.session.scalar(db.select(Certificate)) is None


@pytest.mark.parametrize("award, years, until", [
    ("2026-12-03", None, None),
    ("2026-12-03", 3, "2029-12-02"),
    ("2024-02-29", 1, "2025-02-28"),
])
def test_validity_table(award, years, until):
    expected = date.fromisoformat(until) if until else None
    assert rules.valid_until(date.fromisoformat(award), years) == expected
