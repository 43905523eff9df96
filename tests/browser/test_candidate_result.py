"""The candidate's page after the result, on a phone (390 px wide), as they tap it: an
unfavourable result with the competencies not acquired, a retake request and an appeal to the
management; a favourable one downloading the sealed certificate (issue 13, item 6)."""
from dataclasses import dataclass

from playwright.sync_api import expect

from certif.auth.models import ORGANISER
from certif.candidates.links import make_token
from certif.certificates.issuing import generate_certificates
from certif.grading.rules import FAVORABLE, UNFAVORABLE

from ..certificates.helpers import signed_visa
from ..factories.grading import finished_session
from ..factories.users import make_user

PHONE = {"width": 390, "height": 844}


@dataclass
class Links:
    failed: str  # the failed candidate's page
    admitted: str
    failed_exam_id: int


def seed_results(app) -> Links:
    organiser = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    setup = finished_session(decisions=(UNFAVORABLE, FAVORABLE))
    signed_visa(setup.session, organiser)
    generate_certificates(organiser, setup.session.id)
    failed, admitted = setup.jury.exams
    with app.test_request_context():
        return Links(f"/c/{make_token(failed.candidate)}", f"/c/{make_token(admitted.candidate)}",
                     failed.id)


def fits(page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_a_failed_candidate_asks_a_retake_and_appeals(live, artifacts):
    server = live.start(seed=seed_results)
    links: Links = server.seeded
    page = live.context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(server.url + links.failed)
    sitting = page.locator(f"#passage-{links.failed_exam_id}")
    expect(sitting).to_contain_text("Résultat : Avis défavorable")
    expect(sitting).to_contain_text("Note totale : 14,00/20")
    expect(sitting).to_contain_text("Compétences non acquises")
    expect(sitting).to_contain_text("C3 : ")
    expect(sitting).to_contain_text("jusqu'au")
    fits(page)
    page.screenshot(path=str(artifacts / "candidate-result-phone.png"), full_page=True)

    page.get_by_role("button", name="Je demande à repasser l'épreuve").click()
    expect(page.get_by_role("status")).to_contain_text("demande pour repasser l'épreuve est enregistrée")
    expect(sitting).to_contain_text("Une demande de rattrapage a déjà été enregistrée")

    page.get_by_role("link", name="Former un recours").click()
    expect(page.get_by_role("heading", name="Recours auprès de la direction")).to_be_visible()
    fits(page)
    page.get_by_role("button", name="Envoyer mon recours à la direction").click()
    expect(page.get_by_role("alert")).to_have_text("Indiquez les motifs de votre recours.")
    grounds = page.get_by_label("Motifs de votre recours")
    expect(grounds).to_have_attribute("aria-invalid", "true")
    grounds.fill("Mon dossier technique n'a pas été pris en compte pour le critère Cr9.")
    page.get_by_role("button", name="Envoyer mon recours à la direction").click()
    expect(page.get_by_role("status")).to_contain_text("transmis à la direction")
    expect(sitting).to_contain_text("En cours d'examen")
    expect(sitting).to_contain_text("pas été pris en compte pour le critère Cr9")
    expect(page.get_by_role("link", name="Former un recours")).to_have_count(0)
    fits(page)
    page.screenshot(path=str(artifacts / "candidate-appeal-phone.png"), full_page=True)


def test_on_a_phone_an_admitted_candidate_downloads_the_certificate(live):
    server = live.start(seed=seed_results)
    links: Links = server.seeded
    page = live.context(viewport=PHONE, is_mobile=True, has_touch=True,
                        accept_downloads=True).new_page()
    page.goto(server.url + links.admitted)
    expect(page.get_by_text("Résultat : Avis favorable")).to_be_visible()
    link = page.get_by_role("link", name="Télécharger mon certificat (PDF scellé)")
    expect(link).to_be_visible()
    fits(page)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
