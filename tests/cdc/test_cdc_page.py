"""The Déclarations CDC page: organiser only, the file generated (POST, CSRF, audited) and
downloaded, the CDC's answers by hand and from the processing report, the refusals in French
(400 bad input, 409 nothing ready), the dashboard's item."""
import html
import io

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, JUROR
from certif.cdc import rules
from certif.cdc.models import ACCEPTED, DECLARED, REJECTED, CdcDeclaration, CdcFile
from certif.extensions import db

from ..factories.cdc import declarable_certificates
from ..factories.users import make_user

URL = "/declarations-cdc"


def declarations():
    return {d.certificate_id: d for d in db.session.scalars(db.select(CdcDeclaration))}


def actions():
    return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


@pytest.mark.parametrize("role", [JUROR, COUNCIL])
def test_only_the_organiser_sees_and_acts(app, make_web, role):
    other = make_web(make_user(role))
    assert other.get(URL).status_code == 403
    assert other.post(f"{URL}/fichiers").status_code == 403
    assert other.post(f"{URL}/rapport").status_code == 403


def test_anonymous_goes_to_the_login(web):
    response = web.get(URL)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_page_lists_every_certificate_with_its_state_and_countdown(app, organiser):
    ready, held = declarable_certificates(2, holders=[{}, {"birth_commune": None}])
    page = organiser.get(URL)
    assert page.status_code == 200
    assert ready.number in page.text and held.number in page.text
    assert "À déclarer" in page.text and "À corriger" in page.text
    assert "Commune de naissance (à compléter)" in page.text
    assert "jours" in page.text  # the countdown
    assert "1 ligne prête à déclarer" in page.text
    assert "ne connaît que la certification entière" in page.text  # blocks: why not
    # The RNCP title's number is unknown (seed 001): the page says its holders are held back.
    assert "Numéro d'enregistrement inconnu pour : Community manager (RNCP-CM, RNCP)" in \
        html.unescape(page.text)


def test_generate_needs_the_csrf_token(app, organiser):
    declarable_certificates(1)
    assert organiser.post(f"{URL}/fichiers", csrf=False).status_code == 400
    assert db.session.scalar(db.select(CdcFile)) is None


def test_generate_then_download_the_file(app, organiser):
    (certificate,) = declarable_certificates(1)
    response = organiser.post(f"{URL}/fichiers")
    assert response.status_code == 303
    cdc_file = db.session.scalar(db.select(CdcFile))
    page = organiser.get(URL)
    assert "Fichier n° 1 produit (1 passage)" in page.text
    assert "Déclaré dans le fichier n° 1" in page.text
    download = organiser.get(f"{URL}/fichiers/{cdc_file.id}.xml")
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith("application/xml")
    assert 'filename="cdc-accrochage-0001.xml"' in download.headers["Content-Disposition"]
    assert rules.technical_id(certificate.number).encode() in download.data
    assert actions()[-2:] == ["cdc.file_generate", "cdc.file_download"]
    assert organiser.get(f"{URL}/fichiers/999.xml").status_code == 404


def test_generating_with_nothing_ready_is_a_409(app, organiser):
    declarable_certificates(1, holders=[{"sex": None}])
    response = organiser.post(f"{URL}/fichiers")
    assert response.status_code == 409
    assert "Aucune ligne n'est prête à déclarer" in html.unescape(response.text)
    assert db.session.scalar(db.select(CdcFile)) is None


def test_without_cdc_identifiers_nothing_is_generated(app, organiser):
    declarable_certificates(1)
    app.config["CDC_ID_CLIENT"] = None
    assert "Configuration incomplète" in organiser.get(URL).text
    response = organiser.post(f"{URL}/fichiers")
    assert response.status_code == 409 and "CERTIF_CDC_ID_CLIENT" in response.text


def test_answer_by_hand(app, organiser):
    first, second = declarable_certificates(2)
    organiser.post(f"{URL}/fichiers")
    found = declarations()
    response = organiser.post(f"{URL}/lignes/{found[first.id].id}/reponse", {"outcome": ACCEPTED})
    assert response.status_code == 303
    refused = organiser.post(f"{URL}/lignes/{found[second.id].id}/reponse", {"outcome": REJECTED})
    assert refused.status_code == 400 and "Indiquez le motif du rejet" in refused.text
    organiser.post(f"{URL}/lignes/{found[second.id].id}/reponse",
                   {"outcome": REJECTED, "reason": "Commune inconnue"})
    found = declarations()
    assert (found[first.id].status, found[second.id].status) == (ACCEPTED, REJECTED)
    assert found[second.id].rejection_reason == "Commune inconnue"
    twice = organiser.post(f"{URL}/lignes/{found[first.id].id}/reponse", {"outcome": ACCEPTED})
    assert twice.status_code == 409 and "n'attend pas de réponse" in html.unescape(twice.text)
    page = organiser.get(URL).text
    assert "Motif du rejet : Commune inconnue" in page and "Accepté" in page
    assert actions().count("cdc.answer") == 2
    assert organiser.post(f"{URL}/lignes/999/reponse", {"outcome": ACCEPTED}).status_code == 404


def report(text: str) -> dict:
    return {"report": (io.BytesIO(text.encode()), "rapport.csv")}


def test_import_the_processing_report(app, organiser):
    first, second = declarable_certificates(2)
    organiser.post(f"{URL}/fichiers")
    csv = (f"idTechnique;statut;motif\n{rules.technical_id(first.number)};ACCEPTE;\n"
           f"{rules.technical_id(second.number)};REJETE;Date de naissance incohérente\n")
    response = organiser.post(f"{URL}/rapport", report(csv), content_type="multipart/form-data")
    assert response.status_code == 303
    found = declarations()
    assert (found[first.id].status, found[second.id].status) == (ACCEPTED, REJECTED)
    assert "Rapport de traitement importé : 1 passage accepté, 1 rejeté" in organiser.get(URL).text


@pytest.mark.parametrize("body", [
    "n'importe quoi\n",
    "idTechnique;statut;motif\n{first};ACCEPTE;\ncertif-INCONNU;ACCEPTE;\n",
    "idTechnique;statut;motif\n{first};ACCEPTE;\n{second};REJETE;\n",
])
def test_a_bad_report_is_refused_whole(app, organiser, body):
    first, second = declarable_certificates(2)
    organiser.post(f"{URL}/fichiers")
    csv = body.format(first=rules.technical_id(first.number), second=rules.technical_id(second.number))
    response = organiser.post(f"{URL}/rapport", report(csv), content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Rapport refusé" in response.text or "La première ligne du rapport" in response.text
    assert {d.status for d in declarations().values()} == {DECLARED}  # nothing recorded
    assert "cdc.answer" not in actions()


def test_report_without_file_is_a_400(app, organiser):
    response = organiser.post(f"{URL}/rapport", {}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choisissez le fichier du rapport" in response.text


def test_dashboard_counts_the_holders_to_declare(app, organiser):
    declarable_certificates(2, holders=[{}, {"birth_date": None}])
    page = organiser.get("/tableau-de-bord/").text
    assert "Titulaires à déclarer à la Caisse des Dépôts" in page
    assert "2 titulaires à déclarer à la Caisse des Dépôts" in page
    assert "1 ligne à compléter ou corriger" in page
    assert 'href="/declarations-cdc"' in page
