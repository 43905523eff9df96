"""Certificates: created after the minutes' visa, numbered in order, sealed, issued once."""
import email
import io
from datetime import timedelta
from email import policy

import pypdf

from certif.audit.models import AuditEntry
from certif.certificates import queries, rules
from certif.certificates.models import Certificate
from certif.documents.seal import verify_pdf
from certif.extensions import db
from certif.grading.rules import FAVORABLE, UNFAVORABLE
from certif.mail.services import read_eml
from certif.timeutil import paris_today

from ..factories.grading import finished_session
from ..factories.minutes import make_minutes


def certificates():
    return db.session.scalars(db.select(Certificate).order_by(Certificate.number)).all()


def generate(organiser, setup):
    return organiser.post(f"/sessions/{setup.session.id}/certificats")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_refused_before_the_visa(organiser):
    setup = finished_session()
    response = generate(organiser, setup)
    assert response.status_code == 409
    assert "visa du procès-verbal" in response.text
    assert certificates() == []


def test_one_per_admitted_exam_numbered_in_order(organiser, app):
    setup = finished_session(decisions=(FAVORABLE, UNFAVORABLE, FAVORABLE))
    make_minutes(setup.session)
    response = generate(organiser, setup)
    assert response.status_code == 303
    made = certificates()
    year = setup.session.starts_at.year
    assert [c.number for c in made] == [f"RS6240-{year}-0001", f"RS6240-{year}-0002"]
    admitted = [e.id for e in setup.jury.exams if e.decision == FAVORABLE]
    assert sorted(c.exam_id for c in made) == sorted(admitted)
    assert all(rules.is_well_formed_code(c.verification_code) for c in made)
    assert len({c.verification_code for c in made}) == 2
    # Again: nothing new, nothing renumbered.
    generate(organiser, setup)
    assert [c.number for c in certificates()] == [c.number for c in made]
    created = db.session.scalars(db.select(AuditEntry).filter_by(action="certificate.create")).all()
    assert len(created) == 2


def test_numbers_continue_across_sessions_of_the_same_year(organiser):
    first = finished_session(decisions=(FAVORABLE,))
    second = finished_session(decisions=(FAVORABLE, FAVORABLE))
    for setup in (first, second):
        make_minutes(setup.session)
        generate(organiser, setup)
    numbers = [c.number for c in certificates()]
    assert len(set(numbers)) == 3
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]


def test_the_pdf_is_a_sealed_french_parchemin(organiser, app):
    app.config["ORGANISATION_CITY"] = "Lyon"
    setup = finished_session(decisions=(FAVORABLE,))
    candidate = setup.exam.candidate
    candidate.birth_date = paris_today().replace(year=1990)
    db.session.commit()
    make_minutes(setup.session)
    generate(organiser, setup)
    [certificate] = certificates()
    response = organiser.get(f"/certificats/{certificate.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert verify_pdf(response.data).intact
    text = " ".join(pdf_text(response.data).split())
    assert "CERTIFICAT" in text
    assert f"décerné à {candidate.full_name}" in " ".join(text.split())
    assert "né(e) le" in text
    assert "Gérer les réseaux sociaux" in text
    assert "RS6240" in text and "Arrêté du 25 janvier 2023" in text
    assert f"n° {setup.session.number}" in text
    assert "Fait à Lyon le" in text
    assert "Pour ALLOKOM, responsable d'organisation de la certification" in text
    assert certificate.number in text
    assert rules.format_code(certificate.verification_code) in text
    assert "/verifier-certificat" in text
    assert queries.certificate_file(setup.exam)[1] == response.data


def test_a_remote_session_is_made_at_the_organisation_city_never_at_a_distance(organiser, app):
    """A remote session's minutes say "À distance": never "Fait à À distance"; the place of
    award is the organisation's city (without one, tests/certificates/test_mandatory_mentions.py)."""
    app.config["ORGANISATION_CITY"] = "Nantes"
    setup = finished_session(decisions=(FAVORABLE,))
    setup.session.mode = "remote"
    db.session.commit()
    minutes = make_minutes(setup.session)
    minutes.place = "À distance"
    db.session.commit()
    generate(organiser, setup)
    [certificate] = certificates()
    text = " ".join(pdf_text(organiser.get(f"/certificats/{certificate.id}.pdf").data).split())
    assert "Fait à Nantes le " in text
    assert "distance" not in text and "Lyon" not in text


def test_issue_by_post(organiser, organiser_user):
    setup = finished_session(decisions=(FAVORABLE,))
    make_minutes(setup.session)
    generate(organiser, setup)
    [certificate] = certificates()
    day = paris_today() - timedelta(days=1)
    response = organiser.post(f"/certificats/{certificate.id}/delivrance",
                          {"channel": "post", "issued_on": day.isoformat()})
    assert response.status_code == 303
    db.session.refresh(certificate)
    assert (certificate.channel, certificate.issued_on) == ("post", day)
    assert certificate.issued_by_id == organiser_user.id and certificate.issued_at is not None
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="certificate.issue"))
    assert entry.entity_id == certificate.id
    twice = organiser.post(f"/certificats/{certificate.id}/delivrance", {"channel": "email"})
    assert twice.status_code == 409
    assert "déjà été délivré" in twice.text and "par voie postale" in twice.text


def test_issue_by_email_attaches_the_sealed_pdf(organiser):
    setup = finished_session(decisions=(FAVORABLE,))
    make_minutes(setup.session)
    generate(organiser, setup)
    [certificate] = certificates()
    response = organiser.post(f"/certificats/{certificate.id}/delivrance", {"channel": "email"})
    assert response.status_code == 303
    db.session.refresh(certificate)
    assert certificate.channel == "email" and certificate.issued_on == paris_today()
    message = email.message_from_bytes(read_eml(certificate.mail), policy=policy.default)
    assert message["To"] == setup.exam.candidate.email
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"certificat-{certificate.number}.pdf"
    assert verify_pdf(attachment.get_content()).intact
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Le responsable d'organisation de la certification, ALLOKOM" in body
    assert "responsable pédagogique" not in body
    assert organiser.post(f"/certificats/{certificate.id}/delivrance",
                      {"channel": "post"}).status_code == 409


def test_the_issue_message_elides_de_before_a_vowel(organiser):
    setup = finished_session(decisions=(FAVORABLE,))
    make_minutes(setup.session)
    generate(organiser, setup)
    [certificate] = certificates()
    page = organiser.post(f"/certificats/{certificate.id}/delivrance", {"channel": "post"},
                      follow_redirects=True)
    name = setup.exam.candidate.full_name  # "Alex …"
    assert f"Certificat n° {certificate.number} d&#39;{name} délivré le" in page.text


def test_issue_input_is_checked(organiser):
    setup = finished_session(decisions=(FAVORABLE,), emails=False)
    make_minutes(setup.session)
    generate(organiser, setup)
    [certificate] = certificates()
    url = f"/certificats/{certificate.id}/delivrance"
    future = organiser.post(url, {"channel": "post",
                              "issued_on": (paris_today() + timedelta(days=1)).isoformat()})
    assert future.status_code == 400 and "dans le futur" in future.text
    before = organiser.post(url, {"channel": "post",
                              "issued_on": (paris_today() - timedelta(days=10)).isoformat()})
    assert before.status_code == 400 and "précéder la session" in before.text
    assert organiser.post(url, {"channel": "pigeon"}).status_code == 400
    assert organiser.post(url, {"channel": "post", "issued_on": "31/02/2026"}).status_code == 400
    no_email = organiser.post(url, {"channel": "email"})
    assert no_email.status_code == 409 and "adresse e-mail" in no_email.text
    db.session.refresh(certificate)
    assert certificate.channel is None
    # Empty date: today.
    assert organiser.post(url, {"channel": "post", "issued_on": ""}).status_code == 303
    db.session.refresh(certificate)
    assert certificate.issued_on == paris_today()


def test_results_page_shows_certificates(organiser):
    setup = finished_session(decisions=(FAVORABLE,))
    page = organiser.get(f"/sessions/{setup.session.id}/resultats")
    assert "après le visa du procès-verbal" in page.text
    make_minutes(setup.session)
    assert "Produire les certificats" in organiser.get(f"/sessions/{setup.session.id}/resultats").text
    generate(organiser, setup)
    [certificate] = certificates()
    page = organiser.get(f"/sessions/{setup.session.id}/resultats")
    assert certificate.number in page.text
    assert rules.format_code(certificate.verification_code) in page.text
    assert "Enregistrer la délivrance" in page.text and "PDF scellé" in page.text


def test_issuing_by_post_shows_the_postal_address(organiser):
    setup = finished_session(decisions=(FAVORABLE, FAVORABLE))
    known, unknown = (e.candidate for e in setup.jury.exams)
    known.address, known.postal_code, known.city = "12 rue des Lilas", "69003", "Lyon"
    unknown.address, unknown.postal_code, unknown.city = None, "75011", None
    db.session.commit()
    make_minutes(setup.session)
    generate(organiser, setup)
    page = organiser.get(f"/sessions/{setup.session.id}/resultats")
    html = page.text
    assert "Adresse postale du candidat" in html
    assert "12 rue des Lilas<br>69003 Lyon" in html
    assert "Adresse inconnue" in html and "complétez la fiche du candidat" in html
    assert f'href="/candidats/{unknown.id}/modifier"' in html
    assert f'href="/candidats/{known.id}/modifier"' not in html
