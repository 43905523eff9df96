"""Declaring a holder to the Caisse des Dépôts in a real browser: the organiser opens
*Déclarations CDC* from the menu, generates the file, downloads it (valid against the CDC's
schema) and records the CDC's answer: accepted."""
from dataclasses import dataclass

import xmlschema
from playwright.sync_api import expect

from certif.auth.models import ORGANISER
from certif.cdc.flux import SCHEMA_FILE

from ..factories.cdc import declarable_certificates
from ..factories.users import make_user


@dataclass
class Seeded:
    organiser_email: str
    number: str
    holder: str


def seed(app) -> Seeded:
    organiser = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    (certificate,) = declarable_certificates(1)
    return Seeded(organiser.email, certificate.number, certificate.exam.candidate.full_name)


def test_generate_download_and_record_accepted(live, tmp_path):
    server = live.start(seed=seed)
    s: Seeded = server.seeded
    org = live.user(server, s.organiser_email, "Tableau de bord")
    org.get_by_role("link", name="Déclarations CDC").click()
    expect(org.get_by_role("heading", name="Déclarations CDC")).to_be_visible()
    row = org.locator("tr", has_text=s.number)
    expect(row).to_contain_text("À déclarer")
    expect(row).to_contain_text("jours")

    org.get_by_role("button", name="Générer le fichier").click()
    expect(org.locator(".flash").first).to_contain_text("Fichier n° 1 produit (1 passage)")
    expect(row).to_contain_text("Déclaré dans le fichier n° 1")
    with org.expect_download() as download:
        org.get_by_role("link", name="Télécharger cdc-accrochage-0001.xml").click()
    saved = tmp_path / "cdc.xml"
    download.value.save_as(saved)
    xmlschema.XMLSchema(str(SCHEMA_FILE)).validate(str(saved))

    row.get_by_label("Acceptée").check()
    row.get_by_role("button", name="Enregistrer la réponse").click()
    expect(org.locator(".flash").first).to_contain_text("acceptée par la Caisse des Dépôts")
    expect(org.locator("tr", has_text=s.number)).to_contain_text("Accepté")
