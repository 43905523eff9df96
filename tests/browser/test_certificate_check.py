"""The public certificate check in a real browser: a genuine certificate shows its holder, a
forged one (a real number with another code) matches nothing; the organiser revokes one on
its own page after a confirmation, and the check then says "révoqué" with the date; the QR
code's link (number and code filled in) answers at once."""
import re
from dataclasses import dataclass

from playwright.sync_api import expect

from certif.auth.models import ORGANISER
from certif.certificates import rules
from certif.certificates.content import check_url
from certif.certificates.issuing import generate_certificates
from certif.certificates.models import Certificate
from certif.extensions import db
from certif.grading.rules import FAVORABLE
from certif.timeutil import french_date, paris_today

from ..certificates.helpers import signed_visa
from ..factories.grading import finished_session
from ..factories.users import make_user


@dataclass
class Issued:
    organiser_email: str
    session_id: int
    certificates: list[tuple[str, str, str]]  # number, code, holder
    qr_path: str


def seed_certificates(app) -> Issued:
    organiser = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    setup = finished_session(decisions=(FAVORABLE, FAVORABLE))
    signed_visa(setup.session, organiser)
    generate_certificates(organiser, setup.session.id)
    made = db.session.scalars(db.select(Certificate).order_by(Certificate.number)).all()
    with app.test_request_context():
        qr = check_url(made[0])
    return Issued(organiser.email, setup.session.id,
                  [(c.number, rules.format_code(c.verification_code), c.exam.candidate.full_name)
                   for c in made], qr[qr.index("/verifier-certificat"):])


def check(page, url, number, code):
    page.goto(url + "/verifier-certificat")
    page.get_by_label("Numéro du certificat").fill(number)
    page.get_by_label("Code de vérification").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    return page.get_by_role("status")


def test_genuine_forged_and_revoked_certificates(live):
    server = live.start(seed=seed_certificates)
    s: Issued = server.seeded
    (number, code, holder), (other_number, other_code, other_holder) = s.certificates
    visitor = live.context().new_page()

    answer = check(visitor, server.url, number, code.lower())
    expect(answer).to_contain_text("Ce certificat est authentique")
    expect(answer).to_contain_text(holder)
    expect(answer).to_contain_text("RS6240")
    expect(answer).to_contain_text("Valide (sans limitation de durée)")

    # A real number with a made-up code (an edited PDF): nothing, and no name.
    forged = check(visitor, server.url, number, "AAAAA-AAAAA" if code != "AAAAA-AAAAA" else "BBBBB-BBBBB")
    expect(forged).to_contain_text("Aucun certificat ne correspond")
    expect(forged).not_to_contain_text(holder)

    # The organiser revokes the second certificate, after a confirmation.
    org = live.user(server, s.organiser_email, "Tableau de bord")
    org.goto(f"{server.url}/sessions/{s.session_id}/resultats")
    org.get_by_role("link", name=re.compile(f"Révoquer le certificat .*{other_holder}")).click()
    expect(org.get_by_role("heading", name=f"Révoquer le certificat n° {other_number}")).to_be_visible()
    org.get_by_role("button", name="Révoquer le certificat").click()  # nothing ticked nor typed
    expect(org.get_by_role("heading", name=f"Révoquer le certificat n° {other_number}")).to_be_visible()
    org.get_by_label("Motif de la révocation (obligatoire)").fill("Fraude établie après la session.")
    org.get_by_label("Je confirme la révocation", exact=False).check()
    org.get_by_role("button", name="Révoquer le certificat").click()
    expect(org.get_by_role("heading", name="Résultats et certificats", exact=False)).to_be_visible()
    expect(org.locator(".flash").first).to_contain_text(f"Certificat n° {other_number}")
    expect(org.get_by_text(f"Révoqué le {french_date(paris_today())}")).to_be_visible()
    expect(org.get_by_text("Motif : Fraude établie après la session.")).to_be_visible()

    revoked = check(visitor, server.url, other_number, other_code)
    expect(revoked).to_contain_text(f"Ce certificat a été révoqué le {french_date(paris_today())}")
    expect(revoked).to_contain_text(other_holder)
    expect(revoked).not_to_contain_text("Fraude")

    # The QR code's link: number and code filled in, answered at once.
    visitor.goto(server.url + s.qr_path)
    expect(visitor.get_by_role("status")).to_contain_text("Ce certificat est authentique")
    expect(visitor.get_by_label("Numéro du certificat")).to_have_value(number)
