"""A professionalisation session in a real browser: the organiser plans it, invites a juror,
records her presence (another juror absent); the juror draws her signature on annex 7's
attestation from her profile, and the organiser's page then shows it signed."""
from dataclasses import dataclass

from playwright.sync_api import expect

from certif.auth.models import ORGANISER
from certif.timeutil import paris_today

from ..factories.jurors import make_juror
from ..factories.mail import mails_to
from ..factories.users import make_user
from .signing import draw_signature


@dataclass
class People:
    organiser_email: str
    juror_email: str
    juror_name: str
    other_name: str


def seed(app) -> People:
    organiser = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    claire = make_juror("Claire", "Fontaine")
    karim = make_juror("Karim", "Benali")
    return People(organiser.email, claire.email, claire.full_name, karim.full_name)


def test_the_organiser_plans_and_records_the_juror_signs(live):
    server = live.start(seed=seed)
    s: People = server.seeded
    org = live.user(server, s.organiser_email, "Tableau de bord")
    org.goto(server.url + "/jures/")
    org.get_by_role("link", name="Sessions de professionnalisation").click()
    org.get_by_role("link", name="Planifier une session").click()
    org.get_by_label("Date").fill(paris_today().isoformat())
    org.get_by_label("Heure de début").fill("09:30")
    org.get_by_role("radio", name="Distanciel").check()
    org.get_by_label("Lien de la visioconférence (distanciel)").fill("ftp://pas-un-lien")
    org.get_by_role("button", name="Planifier la session").click()
    expect(org.get_by_text("commençant par https://")).to_be_visible()  # refused, on its page
    org.get_by_label("Lien de la visioconférence (distanciel)").fill("https://visio.example.org/pro")
    org.get_by_role("button", name="Planifier la session").click()
    expect(org.get_by_role("heading", level=1)).to_contain_text("Session de professionnalisation du")

    org.get_by_label(s.juror_name).check()
    org.get_by_label(s.other_name).check()
    org.get_by_role("button", name="Envoyer les invitations").click()
    expect(org.locator(".flash").first).to_contain_text("Invitation envoyée par e-mail")
    with server.app.app_context():
        assert len(mails_to(s.juror_email)) == 1

    org.get_by_label(f"{s.juror_name} présent(e)").check()
    org.get_by_role("button", name="Enregistrer les présences").click()
    expect(org.locator(".flash").first).to_contain_text(f"Présence enregistrée : {s.juror_name}")
    expect(org.get_by_text("Absent(e)")).to_be_visible()

    juror = live.user(server, s.juror_email, "Mes jurys")
    juror.goto(server.url + "/jures/mon-profil")
    juror.get_by_role("link", name="Mes sessions de professionnalisation").click()
    juror.get_by_role("link", name="Session du", exact=False).click()
    expect(juror.locator("blockquote")).to_contain_text("Atteste avoir suivi la session")
    draw_signature(juror, juror.locator("[data-signature-pad]"))
    juror.get_by_role("button", name="Signer l'attestation").click()
    expect(juror.locator(".flash").first).to_contain_text("Attestation signée")
    expect(juror.get_by_role("link", name="Ma fiche d'habilitation RS6240 (PDF)")).to_be_visible()

    org.reload()
    expect(org.get_by_text("Signée")).to_be_visible()
    expect(org.get_by_label(f"{s.juror_name} présent(e)")).to_be_disabled()
