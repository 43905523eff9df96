"""Staff accounts in a real browser (issue 11): an organiser creates a council member, who
receives the invitation, chooses a password (a weak one is refused first), enrols a second
factor, logs in with a code, then changes the password on *Mon compte*: the member's other
browser is logged out, the one that changed it stays in.

Three browser contexts: the organiser, the new member, the same member in a second browser.
Only the organiser is written directly; everything else goes through the pages.
"""
import re
import time
from dataclasses import dataclass

import pyotp
import pytest
from playwright.sync_api import Page, expect

from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, ORGANISER, LoginSession, User
from certif.auth.password_rules import COMMON
from certif.extensions import db

from ..factories.mail import last_link_to
from ..factories.users import make_user

FIRST, LAST = "Hélène", "Garnier"
EMAIL = "helene.garnier@certif.test"
WEAK = "azertyuiop123"  # long enough, but one of the most used passwords
STRONG = "vingt-trois girafes rêvent"
NEWER = "sept zèbres lisent Proust"
FULL_NAME = "Hélène GARNIER"  # the last name is shown in capitals
HOME = "Conseil de pilotage"  # a council member's home heading


@dataclass
class Organiser:
    email: str
    name: str


def seed_organiser(app) -> Organiser:
    user = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    return Organiser(user.email, user.full_name)


# --- Helpers ----------------------------------------------------------------------------

def fresh_code(secret: str, last_step: int) -> tuple[str, int]:
    """A TOTP code the server accepts now and has not seen: a step later than `last_step`,
    within the accepted window (the current step or the next). Waits for the clock only
    when the next unused step is still too far ahead. Returns the code and its step."""
    totp = pyotp.TOTP(secret)
    step = max(last_step + 1, totp.timecode(time.time()))
    wait = (step - 1) * totp.interval - time.time()
    if wait > 0:  # the step is two or more ahead: wait until it is the next one
        time.sleep(wait + 0.5)
    return totp.generate_otp(step), step


def log_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(url + "/connexion")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def expect_code_step(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/connexion/code$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")


def type_code(page: Page, code: str) -> None:
    page.get_by_label("Code à 6 chiffres").fill(code)
    page.get_by_role("button", name="Valider", exact=True).click()


def type_recovery_code(page: Page, code: str) -> None:
    page.locator("summary", has_text="utiliser un code de secours").click()
    page.get_by_label("Code de secours").fill(code)
    page.get_by_role("button", name="Valider le code de secours").click()


def expect_home(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME)


def open_my_account(page: Page) -> None:
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name=FULL_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")


def sessions_rows(page: Page):
    return page.locator("#sessions tbody tr")


# --- The test ---------------------------------------------------------------------------

@pytest.mark.browser
def test_a_council_member_invited_sets_a_password_enrols_2fa_and_changes_the_password(live):
    server = live.start(seed=seed_organiser)
    org_seed: Organiser = server.seeded
    url = server.url

    # 1. The organiser creates the council member from "Comptes".
    org = live.user(server, org_seed.email, "Tableau de bord")
    org.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Comptes").click()
    expect(org.get_by_role("heading", level=1)).to_have_text("Comptes")
    org.get_by_role("link", name="Nouveau compte").click()
    expect(org.get_by_role("heading", level=1)).to_have_text("Nouveau compte")
    org.get_by_label("Nom", exact=True).fill(LAST)
    org.get_by_label("Prénom").fill(FIRST)
    org.get_by_label("Adresse e-mail (identifiant de connexion)").fill(EMAIL)
    org.get_by_role("group", name="Rôles").get_by_role("checkbox", name="Conseil de pilotage").check()
    org.get_by_role("button", name="Créer le compte et envoyer l'invitation").click()
    expect(org.get_by_role("heading", level=1)).to_have_text(FULL_NAME)
    expect(org.get_by_text(f"Compte créé. Invitation envoyée à {EMAIL}.")).to_be_visible()
    facts = org.locator("dl.facts")
    expect(facts).to_contain_text(EMAIL)
    expect(facts).to_contain_text("Conseil de pilotage")
    expect(facts).to_contain_text("Pas encore choisi : invitation en attente")
    org.locator(".crumbs").get_by_role("link", name="Comptes").click()
    row = org.locator("#comptes tbody tr", has_text=EMAIL)
    expect(row).to_contain_text("Conseil de pilotage")
    expect(row).to_contain_text("Jamais")
    expect(row).to_contain_text("Invitation en attente")

    # 2. The invitation is in the outbox: the organiser reads it on "Courriels".
    org.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Courriels").click()
    mail_row = org.locator("tbody tr", has_text=f"À : {EMAIL}")
    expect(mail_row).to_have_count(1)
    invitation = re.compile(r"^Invitation à certif .*choisissez votre mot de passe$")
    mail_row.get_by_role("link", name=invitation).click()
    body = org.locator("pre.mail")
    expect(body).to_contain_text(f"Bonjour {FIRST},")
    expect(body).to_contain_text("Rôle : conseil de pilotage.")
    expect(body).to_contain_text("valable 72 heures")
    links = re.findall(r"https?://\S+/mot-de-passe/\S+", body.inner_text())
    assert len(links) == 1, body.inner_text()
    link = links[0]
    assert link.startswith(url + "/mot-de-passe/")
    with server.app.app_context():
        assert last_link_to(EMAIL, "/mot-de-passe/") == link  # what was filed is what is shown
        db.session.remove()

    # 3. The member opens the link in their own browser (not logged in): a weak password is
    # refused with the policy's French message, then a passphrase is accepted.
    member = live.context().new_page()
    member.goto(link)
    expect(member.get_by_role("heading", level=1)).to_have_text("Choisir votre mot de passe")
    expect(member.locator("dl.facts")).to_contain_text(EMAIL)
    new_password = member.get_by_label("Nouveau mot de passe", exact=True)
    confirmation = member.get_by_label("Nouveau mot de passe, une seconde fois")
    new_password.fill(WEAK)
    confirmation.fill(WEAK)
    with member.expect_response(lambda r: r.request.method == "POST") as answer:
        member.get_by_role("button", name="Enregistrer le mot de passe").click()
    assert answer.value.status == 400
    expect(member.locator("#new_password-error")).to_have_text(COMMON)
    expect(new_password).to_have_attribute("aria-invalid", "true")
    expect(new_password).to_have_value("")  # a refused password is not sent back
    new_password.fill(STRONG)
    confirmation.fill(STRONG)
    member.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(member.get_by_text("Mot de passe enregistré : connectez-vous.")).to_be_visible()
    # The link served once.
    reused = member.goto(link)
    assert reused.status == 410
    expect(member.get_by_role("heading", level=1)).to_have_text("Lien inutilisable")
    member.goto(url + "/connexion")

    # 4. The member logs in (password only) and enrols a second factor on "Mon compte".
    log_in(member, url, EMAIL, STRONG)
    expect_home(member)
    open_my_account(member)
    two_factor = member.locator("#double-authentification")
    expect(two_factor.get_by_role("heading", name="Double authentification")).to_be_visible()
    expect(two_factor).to_contain_text("Désactivée")
    two_factor.get_by_role("link", name="Activer la double authentification").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(member.get_by_role("img", name="QR code à scanner avec votre application "
                                           "d'authentification")).to_be_visible()
    secret = member.locator("#cle-secrete").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    enrol_code, last_step = fresh_code(secret, 0)
    member.get_by_label("Code à 6 chiffres").fill(enrol_code)
    member.get_by_role("button", name="Activer").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    expect(member.get_by_text("Double authentification activée")).to_be_visible()
    codes = [c.strip() for c in member.locator("#codes-de-secours li").all_inner_texts()]
    assert len(codes) == 10 and len(set(codes)) == 10, codes
    assert all(re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", c) for c in codes), codes
    member.get_by_role("link", name="J'ai noté mes codes : continuer").click()
    expect_home(member)

    # 5. Logs out, logs in again: the password, then a code. The enrolment's code is
    # refused (a code serves once); the next step's code opens the session.
    member.get_by_role("button", name="Déconnexion").click()
    expect(member.get_by_text("Vous êtes déconnecté.")).to_be_visible()
    log_in(member, url, EMAIL, STRONG)
    expect_code_step(member)
    type_code(member, enrol_code)
    expect(member.locator("#code-error")).to_contain_text("Code incorrect ou déjà utilisé")
    expect(member.get_by_label("Code à 6 chiffres")).to_have_attribute("aria-invalid", "true")
    code, last_step = fresh_code(secret, last_step)
    type_code(member, code)
    expect_home(member)

    # 6. The same account in a second browser, with a recovery code this time.
    other = live.context().new_page()
    log_in(other, url, EMAIL, STRONG)
    expect_code_step(other)
    type_recovery_code(other, codes[0].lower())  # typed in any case
    expect_home(other)
    expect(other.get_by_text("Code de secours accepté : il vous en reste 9.")).to_be_visible()

    # In the first browser, Mon compte lists both sessions, this one first.
    open_my_account(member)
    expect(sessions_rows(member)).to_have_count(2)
    expect(sessions_rows(member).first).to_contain_text("cette session")
    expect(member.locator("#codes-restants")).to_have_text("9 sur 10")

    # A wrong current password changes nothing …
    section = member.locator("#mot-de-passe")
    section.get_by_label("Mot de passe actuel").fill("pas le bon mot de passe")
    section.get_by_label("Nouveau mot de passe", exact=True).fill(NEWER)
    section.get_by_label("Nouveau mot de passe, une seconde fois").fill(NEWER)
    section.get_by_role("button", name="Changer le mot de passe").click()
    expect(section.get_by_text("Mot de passe actuel incorrect.")).to_be_visible()
    expect(sessions_rows(member)).to_have_count(2)

    # … the right one changes it and ends the other session.
    section.get_by_label("Mot de passe actuel").fill(STRONG)
    section.get_by_label("Nouveau mot de passe", exact=True).fill(NEWER)
    section.get_by_label("Nouveau mot de passe, une seconde fois").fill(NEWER)
    section.get_by_role("button", name="Changer le mot de passe").click()
    expect(member.get_by_text("Mot de passe modifié. Vos autres sessions ont été "
                              "déconnectées.")).to_be_visible()
    expect(member.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(sessions_rows(member)).to_have_count(1)
    expect(sessions_rows(member).first).to_contain_text("cette session")

    # The second browser's next click lands on the login form: its session is over.
    other.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Conseil").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(other).to_have_url(re.compile(r"/connexion\?next=/conseil/?$"))
    expect(other.get_by_role("navigation", name="Navigation principale")).to_have_count(0)

    # The first browser stays logged in.
    member.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Conseil").click()
    expect_home(member)

    # The old password no longer opens the account; the new one does, with a second factor
    # (another recovery code, typed without its dash: a TOTP code would wait for the clock).
    log_in(other, url, EMAIL, STRONG)
    expect(other.get_by_role("alert")).to_have_text("Adresse e-mail ou mot de passe incorrect.")
    expect(other).to_have_url(re.compile(r"/connexion$"))
    log_in(other, url, EMAIL, NEWER)
    expect_code_step(other)
    type_recovery_code(other, codes[1].replace("-", ""))
    expect_home(other)
    expect(other.get_by_text("Code de secours accepté : il vous en reste 8.")).to_be_visible()

    # The database: two live sessions (the first browser's and the last login), the earlier
    # second browser's ended by the password change; every step audited.
    with server.app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=EMAIL))
        assert user.roles == {COUNCIL} and user.two_factor_enabled and user.has_password
        sessions = db.session.scalars(db.select(LoginSession).filter_by(user_id=user.id)
                                      .order_by(LoginSession.id)).all()
        assert [s.revoked_reason for s in sessions] == ["logout", None, "password", None]
        actions = db.session.scalars(db.select(AuditEntry.action).where(
            AuditEntry.entity_id == user.id, AuditEntry.entity == "user")
            .order_by(AuditEntry.id)).all()
        for expected in ("user.create", "user.invite", "password.set", "2fa.enrol",
                         "2fa.failed", "2fa.recovery_used", "password.change_failed",
                         "password.change", "login.failed"):
            assert expected in actions, (expected, actions)
        db.session.remove()
