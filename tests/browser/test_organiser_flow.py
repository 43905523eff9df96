"""The organiser prepares a session in a real browser: creates it, builds a jury of
habilitated jurors, places candidates in timed slots, reorders them, and sends the
convocations, which land in the outbox with their PDF attached."""
import re
from dataclasses import dataclass
from datetime import date, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from certif.auth.models import JUROR, ORGANISER
from certif.candidates.models import Candidate
from certif.convocations.models import Convocation
from certif.extensions import db
from certif.jurors.models import JurorHabilitation, JurorProfile
from certif.mail.models import OutgoingMail
from certif.sessions.models import ExamSession

from ..factories.sessions import referential
from ..factories.users import make_user

EXAM_DAY = date.today() + timedelta(days=21)


@dataclass
class Office:
    organiser_email: str
    referential_id: int
    jurors: dict  # name -> user id
    unhabilitated_id: int


def seed_office(app) -> Office:
    organiser = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    jurors = {}
    for first, last in (("Claire", "Fontaine"), ("Karim", "Benali")):
        user = make_user(JUROR, first_name=first, last_name=last)
        user.juror_profile = JurorProfile(profession="Community manager", years_experience=8,
                                          external=True)
        user.juror_habilitations = [JurorHabilitation(referential_code="RS6240", result="favourable")]
        jurors[first] = user.id
    newcomer = make_user(JUROR, first_name="Samia", last_name="Haddad")
    newcomer.juror_profile = JurorProfile(profession="Chargée de communication", years_experience=2)
    db.session.add_all([
        Candidate(first_name="Léa", last_name="Dubois", email="lea@exemple.fr",
                  accommodation="Tiers-temps décidé avec le référent handicap", extra_minutes=15),
        Candidate(first_name="Hugo", last_name="Lefèvre", email="hugo@exemple.fr"),
        Candidate(first_name="Inès", last_name="Moreau", email="ines@exemple.fr"),
    ])
    db.session.commit()
    return Office(organiser.email, referential("RS6240").id, jurors, newcomer.id)


def slot_times(jury_section) -> list[str]:
    """The start time shown on each slot row, in order."""
    return [re.search(r"\d+ h \d{2}", row).group(0)
            for row in jury_section.locator("tbody tr").all_inner_texts()]


@pytest.mark.browser
def test_organiser_prepares_a_session_and_sends_the_convocations(live, artifacts):
    server = live.start(seed=seed_office)
    office = server.seeded
    page = live.user(server, office.organiser_email, "Tableau de bord")

    # A new remote session.
    page.get_by_role("navigation").get_by_role("link", name="Sessions", exact=True).click()
    page.get_by_role("link", name="Nouvelle session").click()
    page.get_by_label("Numéro de session").fill("2026-12-RS6240")
    page.get_by_label("Certification (version)").select_option(str(office.referential_id))
    page.get_by_label("Date de l'épreuve").fill(EXAM_DAY.isoformat())
    page.get_by_label("Heure de début (heure de Paris)").fill("09:00")
    page.get_by_label("Modalité").select_option("remote")
    page.get_by_label("Lien de visioconférence (à distance)").fill("https://visio.example.org/rs6240")
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026-12-RS6240")
    expect(page.get_by_text("Aucun jury pour l'instant.")).to_be_visible()

    # A juror without a favourable habilitation for RS6240 cannot be chosen: greyed out.
    jury_form = page.locator("#nouveau-jury")
    samia = jury_form.get_by_label("Premier juré").locator(f'option[value="{office.unhabilitated_id}"]')
    expect(samia).to_be_disabled()
    expect(samia).to_have_text("Samia HADDAD (non habilité(e) pour cette certification)")

    # Two habilitated jurors, the first presides.
    page.get_by_label("Premier juré").select_option(str(office.jurors["Claire"]))
    page.get_by_label("Second juré").select_option(str(office.jurors["Karim"]))
    page.get_by_label("Président du jury").select_option("1")
    page.get_by_role("button", name="Ajouter le jury").click()
    jury = page.locator("section.jury").first
    expect(jury.get_by_role("heading", name="Jury 1")).to_be_visible()
    expect(jury).to_contain_text("Claire FONTAINE")

    # Three candidates placed (htmx swaps the jury): 30-minute slots, +15 for Léa.
    for placed, name in enumerate(("DUBOIS Léa", "LEFÈVRE Hugo", "MOREAU Inès"), start=1):
        jury = page.locator("section.jury").first
        select = jury.get_by_label("Placer un candidat dans le Jury 1")
        select.select_option(label=next(o.strip() for o in select.locator("option").all_inner_texts()
                                        if o.strip().startswith(name)))
        jury.get_by_role("button", name="Placer").click()
        expect(page.locator("section.jury").first.locator("tbody tr")).to_have_count(placed)
    jury = page.locator("section.jury").first
    expect(jury.locator("tbody tr")).to_have_count(3)
    # The rest of the page followed without a reload: nothing left but the convocations.
    expect(page.locator("#session-reste")).not_to_contain_text("aucun candidat")
    expect(page.locator("#session-reste")).to_contain_text("Convocations des candidats : 3 à envoyer")
    assert slot_times(jury) == ["9 h 00", "9 h 45", "10 h 15"]
    expect(jury).to_contain_text("+15 min")

    # Léa goes last: everyone's times follow.
    for row in (1, 2):
        page.locator("section.jury").first.get_by_role("button", name="Reculer Léa DUBOIS").click()
        expect(page.locator("section.jury").first.locator("tbody tr").nth(row)).to_contain_text("DUBOIS")
        # The focus stays on Léa's button (its "up" twin once she is last: "down" is gone).
        kept = "Reculer" if row == 1 else "Avancer"
        expect(page.locator("section.jury").first.get_by_role(
            "button", name=f"{kept} Léa DUBOIS")).to_be_focused()
    jury = page.locator("section.jury").first
    expect(jury.locator("tbody tr").last).to_contain_text("DUBOIS")
    assert slot_times(jury) == ["9 h 00", "9 h 30", "10 h 00"]
    page.screenshot(path=str(artifacts / "organiser-session.png"), full_page=True)

    # The convocations: all sent by email at once; the session is then convened.
    page.get_by_role("link", name="Convocations").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Convocations")
    expect(page.get_by_text("Non envoyée").first).to_be_visible()
    page.get_by_role("button", name="Envoyer toutes les convocations non envoyées par e-mail").click()
    expect(page.get_by_text("Non envoyée")).to_have_count(0)
    expect(page.get_by_text("par e-mail").first).to_be_visible()
    page.screenshot(path=str(artifacts / "organiser-convocations.png"), full_page=True)

    # No SMTP server: the messages wait in the outbox, which the organiser reads.
    page.get_by_role("navigation").get_by_role("link", name="Courriels").click()
    expect(page.get_by_role("row").filter(has_text="lea@exemple.fr")).to_have_count(1)
    page.get_by_role("row").filter(has_text="lea@exemple.fr").get_by_role("link").first.click()
    expect(page.get_by_text("convocation", exact=False).first).to_be_visible()

    with server.app.app_context():
        session = db.session.scalar(db.select(ExamSession).filter_by(number="2026-12-RS6240"))
        assert session.status == "convened"
        assert db.session.scalar(db.select(db.func.count(Convocation.id))) == 5  # 3 candidates, 2 jurors
        mail = db.session.scalar(db.select(OutgoingMail).where(OutgoingMail.recipients == "lea@exemple.fr"))
        eml = Path(server.app.config["FILES_DIR"]) / "outbox" / mail.eml_file
        message = message_from_bytes(eml.read_bytes(), policy=policy.default)
        attachment = next(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content().startswith(b"%PDF")
        db.session.remove()
