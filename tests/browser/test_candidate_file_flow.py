"""The candidate's file in a real browser: the candidate uploads the technical dossier and types
the summary (counted live) through their link; the organiser ticks the plan (htmx); a juror
signs the confidentiality attestation and opens the dossier."""
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import expect

from certif.auth.models import ORGANISER

from ..factories.dossier import file_url, make_candidate_file, make_file_entry, rncp_exam, summary
from ..factories.files import plain_pdf
from ..factories.users import make_user


@dataclass
class Seeded:
    organiser_email: str
    juror_email: str
    file_path: str
    session_id: int
    exam_id: int


def seed(app) -> Seeded:
    organiser = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    setup = rncp_exam(days=20)
    file = make_candidate_file(setup.exam)
    make_file_entry(file, "company_brief", "yes")
    make_file_entry(file, "confidential", "yes")
    return Seeded(organiser.email, setup.president.email, file_url(setup.exam), setup.session.id,
                  setup.exam.id)


def test_upload_tick_sign_and_open(live, tmp_path):
    server = live.start(seed=seed)
    s: Seeded = server.seeded
    pdf = Path(tmp_path) / "dossier-technique.pdf"
    pdf.write_bytes(plain_pdf("Dossier technique"))

    candidate = live.context().new_page()
    candidate.goto(server.url + s.file_path)
    expect(candidate.get_by_role("heading", name="Plan de référence du dossier technique")).to_be_visible()
    piece = candidate.locator("#piece-technical_dossier")
    piece.get_by_label("Fichier PDF").set_input_files(str(pdf))
    piece.get_by_role("button", name="Déposer").click()
    expect(candidate.locator(".flash").first).to_contain_text("Pièce reçue")
    expect(candidate.locator("#piece-technical_dossier .badge")).to_have_text("Présent")
    area = candidate.locator("#piece-summary textarea")
    area.fill(summary(199))
    expect(candidate.locator("#compte-summary")).to_contain_text("199 mots : il en faut entre 200 et 250")
    area.fill(summary(210))
    expect(candidate.locator("#compte-summary")).to_contain_text("210 mots")
    candidate.locator("#piece-summary").get_by_role("button", name="Déposer").click()
    expect(candidate.locator("#piece-summary .badge")).to_have_text("Présent")

    org = live.user(server, s.organiser_email, "Tableau de bord")
    org.goto(f"{server.url}/sessions/{s.session_id}/dossiers/{s.exam_id}")
    first = org.locator("#plan-checklist li").first
    first.get_by_role("button").click()
    expect(org.locator("#plan-checklist li").first.locator(".badge")).to_have_text("Vérifié")
    org.reload()
    expect(org.locator("#plan-checklist li").first.locator(".badge")).to_have_text("Vérifié")

    juror = live.juror(server, s.juror_email)
    juror.goto(f"/jury/examens/{s.exam_id}/accueil")
    page = juror.page
    panel = page.locator("#dossier-candidat")
    expect(panel).to_contain_text("Fermé jusqu'à votre attestation")
    panel.get_by_role("button", name="Je signe l'attestation de confidentialité").click()
    expect(page.locator(".flash").first).to_contain_text("attestation de confidentialité est signée")
    link = page.locator("#dossier-candidat").get_by_role("link", name="Ouvrir : dossier-technique.pdf")
    href = link.get_attribute("href")
    response = page.request.get(server.url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
