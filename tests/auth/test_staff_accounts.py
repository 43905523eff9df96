"""Staff accounts (organiser): list, invitation by email, roles, deactivation, the last
organiser's protection."""
import threading
from datetime import timedelta
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import pytest

from certif.audit.models import AuditEntry
from certif.auth import accounts, tokens
from certif.auth.login_sessions import token_hash
from certif.auth.models import COUNCIL, JUROR, ORGANISER, LoginSession, User
from certif.errors import Conflict
from certif.extensions import db
from certif.mail.services import read_eml
from certif.people import of
from certif.timeutil import french_datetime, utcnow

from ..factories.mail import last_link_to, mails_to
from ..factories.users import PASSWORD, make_user
from ..factories.web import CSRF_RE

NEW = {"first_name": "Inès", "last_name": "Morel", "email": "Ines.Morel@exemple.fr",
       "roles": [COUNCIL]}
LAST_ORGANISER = "dernier responsable d&#39;organisation actif"


@pytest.fixture
def organiser_user(app):
    """The organiser of these tests, named as the invitations they send are checked."""
    return make_user(ORGANISER, first_name="Sephora", last_name="Labi")


def audit(action, entity_id=None):
    query = db.select(AuditEntry).filter_by(action=action)
    if entity_id is not None:
        query = query.filter_by(entity_id=entity_id)
    return db.session.scalars(query.order_by(AuditEntry.id)).all()


def user_by_email(email):
    return db.session.scalar(db.select(User).filter_by(email=email))


def fresh(user):
    return db.session.get(User, user.id, populate_existing=True)


def link_token(link):
    return urlsplit(link).path.rsplit("/", 1)[-1]


def body_of(mail):
    message = message_from_bytes(read_eml(mail), policy=policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


def try_login(web, user, password=PASSWORD):
    page = web.get("/connexion")
    token = CSRF_RE.search(page.text).group(1)
    return web._call("post", "/connexion", data={"email": user.email, "password": password,
                                                 "csrf_token": token})


def create(organiser, **changes):
    return organiser.post("/comptes/nouveau", {**NEW, **changes})


# --- Who reaches what ----------------------------------------------------------------------

def pages(target):
    return ["/comptes/", "/comptes/nouveau", f"/comptes/{target.id}"]


def posts(target):
    return {"/comptes/nouveau": NEW,
            f"/comptes/{target.id}/roles": {"roles": [ORGANISER]},
            f"/comptes/{target.id}/desactiver": {},
            f"/comptes/{target.id}/reactiver": {},
            f"/comptes/{target.id}/invitation": {}}


def nothing_changed(target):
    target = fresh(target)
    return (target.active and target.roles == {COUNCIL} and user_by_email("ines.morel@exemple.fr")
            is None and audit("user.roles") == [] and audit("user.deactivate") == []
            and audit("user.invite") == [])


def test_anonymous_is_sent_to_login(web, app):
    target = make_user(COUNCIL)
    for url in pages(target):
        response = web.get(url)
        assert response.status_code == 302, url
        assert urlsplit(response.headers["Location"]).path == "/connexion", url
    for url, data in posts(target).items():
        response = web.post(url, data, csrf=False)
        assert response.status_code == 302, url
        assert urlsplit(response.headers["Location"]).path == "/connexion", url
    assert nothing_changed(target)


@pytest.mark.parametrize("role", [JUROR, COUNCIL])
def test_jurors_and_council_get_403(make_web, role):
    target = make_user(COUNCIL)
    web = make_web(make_user(role))
    for url in pages(target):
        assert web.get(url).status_code == 403, url
    for url, data in posts(target).items():
        assert web.post(url, data).status_code == 403, url
    assert "/comptes/" not in web.get("/compte").text  # no "Comptes" link for them
    assert nothing_changed(target)


def test_organiser_reaches_every_page(organiser):
    target = make_user(COUNCIL)
    for url in pages(target):
        assert organiser.get(url).status_code == 200, url
    assert 'href="/comptes/"' in organiser.get("/compte").text  # the "Comptes" link
    assert organiser.get("/comptes/999999").status_code == 404
    assert organiser.post("/comptes/999999/desactiver").status_code == 404
    assert organiser.post("/comptes/999999/invitation").status_code == 404


def test_every_post_needs_the_csrf_token(organiser):
    target = make_user(COUNCIL)
    for url, data in posts(target).items():
        response = organiser.post(url, data, csrf=False)
        assert response.status_code == 400, url
        assert "Jeton de sécurité absent ou invalide" in response.text
    assert nothing_changed(target)


# --- The list ----------------------------------------------------------------------------

def test_list_shows_every_account_with_its_state(organiser, organiser_user):
    seen = make_user(COUNCIL, JUROR, first_name="Paul", last_name="Vidal")
    seen.last_login_at = utcnow() - timedelta(days=1)
    seen.totp_enabled_at = utcnow()
    off = make_user(JUROR, first_name="Léa", last_name="Roux")
    off.active = False
    db.session.commit()
    create(organiser, email="nouvelle@exemple.fr", last_name="Nouvelle")
    expired = make_user(COUNCIL, first_name="Hugo", last_name="Sanslien")
    expired.password_hash = None
    db.session.commit()

    page = organiser.get("/comptes/").text
    for user in (organiser_user, seen, off, expired):
        assert user.full_name in page and user.email in page
    assert "Inès NOUVELLE" in page
    assert "Juré, Conseil de pilotage" in page  # roles, in French
    assert french_datetime(seen.last_login_at) in page
    assert "Jamais" in page
    assert page.count('badge ok">Activée') == 1  # 2FA on for one account only
    assert page.count('badge ko">Désactivé') == 1
    assert "Invitation en attente" in page and "Invitation expirée" in page
    assert "5 comptes." in page


def test_list_search_and_filters_with_an_htmx_fragment(organiser, organiser_user):
    make_user(COUNCIL, first_name="Paul", last_name="Vidal")
    make_user(JUROR, first_name="Léa", last_name="Roux")
    page = organiser.get("/comptes/?q=vidal").text
    assert "Paul VIDAL" in page and "Léa ROUX" not in page and "<html" in page
    fragment = organiser.get("/comptes/?role=juror", htmx=True)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and 'id="comptes"' in fragment.text
    assert "Léa ROUX" in fragment.text and "Paul VIDAL" not in fragment.text
    assert "Sephora LABI" not in fragment.text
    nobody = organiser.get("/comptes/?q=personne&statut=inactive", htmx=True).text
    assert "Aucun compte ne correspond à cette recherche." in nobody
    # Odd input is a search like any other, never an error.
    assert organiser.get("/comptes/?q=%25_%5C&role=admin&statut=x").status_code == 200


# --- Creating an account --------------------------------------------------------------------

def test_create_invites_by_email_with_a_working_link(organiser, organiser_user, app, web):
    response = create(organiser)
    user = user_by_email("ines.morel@exemple.fr")
    assert response.status_code == 303 and response.headers["Location"] == f"/comptes/{user.id}"
    assert user.roles == {COUNCIL} and user.password_hash is None and user.active
    page = organiser.get(f"/comptes/{user.id}").text
    assert "Compte créé. Invitation envoyée à ines.morel@exemple.fr." in page
    assert "invitation en attente" in page

    [mail] = mails_to(user.email)
    assert mail.status == "sent" and app.config["ORGANISATION_NAME"] in mail.subject
    link = last_link_to(user.email, "/mot-de-passe/")
    body = body_of(mail)
    assert "Sephora LABI vous invite à rejoindre certif" in body and "72 heures" in body
    assert "une seule fois" in body and app.config["ORGANISATION_NAME"] in body
    assert "Conseil de pilotage".lower() in body and user.email in body
    row = tokens.lookup(link_token(link))
    assert row.user_id == user.id and row.purpose == tokens.INVITATION
    assert row.created_by_id == organiser_user.id and tokens.problem(row) is None
    assert timedelta(hours=71) < row.expires_at - row.created_at <= timedelta(hours=72)
    # Stored hashed: the token itself is in no column.
    assert row.token_hash == token_hash(link_token(link)) != link_token(link)
    assert web.get(urlsplit(link).path).status_code == 200  # the page to choose it

    assert audit("user.create", user.id)[0].actor_id == organiser_user.id
    assert audit("user.invite", user.id)[0].actor_id == organiser_user.id


def test_a_juror_created_here_is_sent_to_jurors_for_the_profile(organiser):
    assert 'href="/jures/"' in organiser.get("/comptes/nouveau").text
    create(organiser, roles=[JUROR, COUNCIL])
    user = user_by_email("ines.morel@exemple.fr")
    assert user.roles == {JUROR, COUNCIL}
    page = organiser.get(f"/comptes/{user.id}").text
    assert f'href="/jures/{user.id}"' in page and "profil d'habilitation" in page


@pytest.mark.parametrize("changes, message", [
    ({"first_name": "  "}, "Saisissez le prénom."),
    ({"last_name": ""}, "Saisissez le nom."),
    ({"email": "pas-une-adresse"}, "Adresse e-mail invalide."),
    ({"email": ""}, "Saisissez l&#39;adresse e-mail."),
    ({"roles": []}, "Choisissez au moins un rôle."),
    ({"roles": ["admin"]}, "Rôle inconnu."),
])
def test_create_with_bad_input_writes_nothing(organiser, changes, message):
    response = create(organiser, **changes)
    assert response.status_code == 400
    assert message in response.text and 'class="field-error"' in response.text
    assert db.session.scalar(db.select(db.func.count(User.id)).filter_by(last_name="Morel")) == 0
    assert audit("user.create") == [] and mails_to("ines.morel@exemple.fr") == []


def test_an_existing_email_is_refused(organiser):
    existing = make_user(JUROR)
    response = create(organiser, email=f"  {existing.email.upper()} ")
    assert response.status_code == 409
    assert "Un compte existe déjà avec cette adresse e-mail." in response.text
    assert audit("user.create") == [] and len(mails_to(existing.email)) == 0


# --- Invitations ------------------------------------------------------------------------------

def test_resending_revokes_the_earlier_link(organiser, web):
    create(organiser)
    user = user_by_email("ines.morel@exemple.fr")
    first = last_link_to(user.email, "/mot-de-passe/")
    response = organiser.post(f"/comptes/{user.id}/invitation")
    assert response.status_code == 303
    second = last_link_to(user.email, "/mot-de-passe/")
    assert second != first and len(mails_to(user.email)) == 2
    assert tokens.problem(tokens.lookup(link_token(first))) == (410, tokens.MSG_REVOKED)
    assert tokens.problem(tokens.lookup(link_token(second))) is None
    assert web.get(urlsplit(first).path).status_code == 410
    assert web.get(urlsplit(second).path).status_code == 200
    assert len(audit("user.invite", user.id)) == 2
    page = organiser.get(f"/comptes/{user.id}").text  # both flashes: creation and resending
    assert page.count("Invitation envoyée à ines.morel@exemple.fr.") == 2


def test_no_invitation_for_an_account_with_a_password_or_deactivated(organiser):
    with_password = make_user(COUNCIL)
    page = organiser.get(f"/comptes/{with_password.id}").text
    assert "Renvoyer l'invitation" not in page
    response = organiser.post(f"/comptes/{with_password.id}/invitation")
    assert response.status_code == 409 and "Mot de passe oublié ?" in response.text
    off = make_user(COUNCIL)
    off.password_hash, off.active = None, False
    db.session.commit()
    response = organiser.post(f"/comptes/{off.id}/invitation")
    assert response.status_code == 409 and "réactivez-le" in response.text
    assert mails_to(with_password.email) == [] and mails_to(off.email) == []
    assert audit("user.invite") == []


# --- Roles --------------------------------------------------------------------------------------

def test_organiser_changes_roles(organiser, organiser_user):
    target = make_user(COUNCIL)
    response = organiser.post(f"/comptes/{target.id}/roles", {"roles": [COUNCIL, JUROR]})
    assert response.status_code == 303
    assert fresh(target).roles == {COUNCIL, JUROR}
    entry = audit("user.roles", target.id)[0]
    assert entry.actor_id == organiser_user.id
    assert (entry.old_value, entry.new_value) == ("council", "council, juror")
    response = organiser.post(f"/comptes/{target.id}/roles", {"roles": []})
    assert response.status_code == 400 and "Choisissez au moins un rôle." in response.text
    assert fresh(target).roles == {COUNCIL, JUROR}


def test_new_roles_apply_at_once_to_a_logged_in_account(organiser, make_web):
    target = make_user(COUNCIL)
    theirs = make_web(target)
    assert theirs.get("/conseil/").status_code == 200
    assert theirs.get("/jury/").status_code == 403
    organiser.post(f"/comptes/{target.id}/roles", {"roles": [JUROR]})
    assert theirs.get("/conseil/").status_code == 403
    assert theirs.get("/jury/").status_code == 200


# --- Deactivation ---------------------------------------------------------------------------------

def test_deactivation_ends_every_session_and_blocks_login(organiser, organiser_user, make_web, web):
    target = make_user(COUNCIL)
    phone, laptop = make_web(target), make_web(target)
    assert phone.get("/compte").status_code == 200
    response = organiser.post(f"/comptes/{target.id}/desactiver")
    assert response.status_code == 303
    assert "désactivé ; 2 sessions fermées." in organiser.get(f"/comptes/{target.id}").text
    for client in (phone, laptop):
        response = client.get("/compte")
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/connexion"
    refused = try_login(web, target)
    assert refused.status_code == 403 and "Ce compte est désactivé" in refused.text
    sessions = db.session.scalars(db.select(LoginSession).filter_by(user_id=target.id)).all()
    assert len(sessions) == 2 and {s.revoked_reason for s in sessions} == {"deactivated"}
    # History stays: the account and its audit trail are all there.
    assert fresh(target) is not None and not fresh(target).active
    entry = audit("user.deactivate", target.id)[0]
    assert entry.actor_id == organiser_user.id and entry.details["sessions"] == 2
    assert audit("user.login", target.id)


def test_deactivation_stops_a_pending_invitation_for_good(organiser, web):
    create(organiser)
    user = user_by_email("ines.morel@exemple.fr")
    link = last_link_to(user.email, "/mot-de-passe/")
    organiser.post(f"/comptes/{user.id}/desactiver")
    organiser.post(f"/comptes/{user.id}/reactiver")
    assert tokens.problem(tokens.lookup(link_token(link)))[0] == 410
    assert web.get(urlsplit(link).path).status_code == 410


def test_reactivation_lets_the_account_log_in_again(organiser, organiser_user, web):
    target = make_user(JUROR)
    organiser.post(f"/comptes/{target.id}/desactiver")
    response = organiser.post(f"/comptes/{target.id}/reactiver")
    assert response.status_code == 303 and fresh(target).active
    assert f"Compte {of(target.full_name)} réactivé." in organiser.get(f"/comptes/{target.id}").text
    assert try_login(web, target).status_code == 302
    assert web.get("/jury/").status_code == 200
    assert audit("user.reactivate", target.id)[0].actor_id == organiser_user.id


# --- The last organiser -----------------------------------------------------------------------------

def test_the_last_active_organiser_is_protected(organiser, organiser_user):
    response = organiser.post(f"/comptes/{organiser_user.id}/desactiver")
    assert response.status_code == 409 and LAST_ORGANISER in response.text
    response = organiser.post(f"/comptes/{organiser_user.id}/roles", {"roles": [COUNCIL]})
    assert response.status_code == 409 and LAST_ORGANISER in response.text
    # A deactivated organiser does not count.
    other = make_user(ORGANISER)
    other.active = False
    db.session.commit()
    assert organiser.post(f"/comptes/{organiser_user.id}/desactiver").status_code == 409
    assert organiser.post(f"/comptes/{organiser_user.id}/roles",
                             {"roles": [JUROR]}).status_code == 409
    me = fresh(organiser_user)
    assert me.active and me.roles == {ORGANISER}
    assert audit("user.deactivate") == [] and audit("user.roles") == []
    assert organiser.get("/comptes/").status_code == 200  # still logged in


def test_an_organiser_may_step_down_when_another_remains(organiser, organiser_user, make_web):
    other = make_user(ORGANISER)
    theirs = make_web(other)
    # The other one loses the role; then I am the last one again.
    assert organiser.post(f"/comptes/{other.id}/roles", {"roles": [COUNCIL]}).status_code == 303
    assert theirs.get("/comptes/").status_code == 403
    assert organiser.post(f"/comptes/{organiser_user.id}/desactiver").status_code == 409
    # Given back, I may deactivate myself: logged out at once.
    assert organiser.post(f"/comptes/{other.id}/roles",
                             {"roles": [ORGANISER]}).status_code == 303
    response = organiser.post(f"/comptes/{organiser_user.id}/desactiver")
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/connexion"
    assert organiser.get("/comptes/").status_code == 302
    assert not fresh(organiser_user).active


@pytest.mark.parametrize("change", ["deactivate", "demote"])
def test_two_organisers_removing_each_other_at_once_leave_one(app, change):
    """Both requests check "another organiser remains" at the same instant: one must lose."""
    first, second = make_user(ORGANISER), make_user(ORGANISER)
    db.session.commit()
    start, outcomes = threading.Barrier(2), []

    def remove(actor_id, target_id):
        with app.app_context():
            actor = db.session.get(User, actor_id)
            start.wait()
            try:
                if change == "deactivate":
                    accounts.deactivate(actor, target_id)
                else:
                    accounts.set_roles(actor, target_id, [COUNCIL])
                outcomes.append("done")
            except Conflict:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=remove, args=(first.id, second.id)),
               threading.Thread(target=remove, args=(second.id, first.id))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["done", "refused"]
    remaining = [u for u in (fresh(first), fresh(second)) if u.active and ORGANISER in u.roles]
    assert len(remaining) == 1


def test_the_account_page_hides_what_does_not_apply(organiser, organiser_user):
    page = organiser.get(f"/comptes/{organiser_user.id}").text
    assert "Désactiver mon compte" in page
    assert "Réinitialiser la double authentification" not in page  # no 2FA
    invited = make_user(COUNCIL)
    invited.password_hash = None
    db.session.commit()
    page = organiser.get(f"/comptes/{invited.id}").text
    assert "Renvoyer l'invitation" in page and "invitation expirée" in page
