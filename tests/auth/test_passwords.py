"""Passwords: the policy, links to choose one, changing it on Mon compte, forgotten passwords."""
import html
import logging
import threading
import time
from datetime import timedelta

import pytest

from certif.audit.models import AuditEntry
from certif.auth import passwords, tokens
from certif.auth.models import JUROR, ORGANISER, AccountToken, LoginSession, User
from certif.auth.password_rules import COMMON, HAS_EMAIL, HAS_NAME, TOO_SHORT, password_problems
from certif.auth.services import ACCOUNT_LIMIT
from certif.database import write_transaction
from certif.extensions import db
from certif.mail.models import OutgoingMail
from certif.throttling import services as throttling
from certif.timeutil import utcnow

from ..factories.mail import last_link_to, mails_to
from ..factories.users import PASSWORD, make_user
from ..factories.web import CSRF_RE, Browserless

NEW = "lune-girafe-ocre-piano"
OTHER = "Tq7#mLp2vX9!"


# --- The policy ----------------------------------------------------------------------------

@pytest.mark.parametrize("password,problems", [
    ("court", [TOO_SHORT]),
    ("Tq7#mLp2vX", [TOO_SHORT]),                              # 10 characters
    ("Tq7#mLp2vX9!", []),                                     # 12 characters, not guessable
    ("claire.fontaine-Q8z!", [HAS_EMAIL, HAS_NAME]),          # the email's name part
    ("x9claire.fontaine@exemple.fr", [HAS_EMAIL, HAS_NAME]),  # the whole address
    ("helene-Xq9!vT2#pL", [HAS_NAME]),                        # « Hélène », accents aside
    ("Q8z!dupre-w4Rt#k", [HAS_NAME]),                         # half of « Fontaine-Dupré »
    ("motdepasse123", [COMMON]),
    ("azertyuiop12", [COMMON]),
    ("passwordpassword", [COMMON]),
    ("aaaaaaaaaaaaaaaa", [COMMON]),
    ("cheval agrafe correct batterie soleil", []),            # a long passphrase
    ("x" * 129, ["Le mot de passe doit contenir au plus 128 caractères."]),
    ("cheval agrafe correct batterie soleil " * 3, []),       # 114 characters: a long one
    ("motdepasse" * 12, [COMMON]),                            # 120 characters, still weak
])
def test_password_policy(password, problems):
    assert password_problems(password, "claire.fontaine@exemple.fr", "Hélène",
                             "Fontaine-Dupré") == problems


# --- Helpers -------------------------------------------------------------------------------

def shown(response) -> str:
    """The page's text as a reader sees it (apostrophes unescaped)."""
    return html.unescape(response.text)


def link_for(user, purpose=tokens.INVITATION) -> str:
    with write_transaction():
        token = tokens.issue(db.session.get(User, user.id), purpose)
    return f"/mot-de-passe/{token}"


def token_row(path: str) -> AccountToken:
    return tokens.lookup(path.rsplit("/", 1)[1])


def public_post(web, url, data, page=None):
    """Post a public form like a browser: the CSRF token from the page first."""
    token = CSRF_RE.search(web.get(page or url).text).group(1)
    return web._call("post", url, data={**data, "csrf_token": token})


def choose(web, path, password=NEW, confirmation=None):
    return public_post(web, path, {"new_password": password,
                                   "confirmation": password if confirmation is None else confirmation})


def can_log_in(app, user, password) -> bool:
    fresh = Browserless(app.test_client())
    page = fresh.get("/connexion")
    response = fresh._call("post", "/connexion", data={
        "email": user.email, "password": password,
        "csrf_token": CSRF_RE.search(page.text).group(1)})
    return response.status_code == 302


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)
                              .order_by(AuditEntry.id)).all()


def new_user_without_password(*roles):
    user = make_user(*roles, first_name="Hélène", last_name="Fontaine")
    user.password_hash = None
    db.session.commit()
    return user


# --- Choosing a password through a link ----------------------------------------------------

def test_link_page_says_whose_account_and_the_policy_and_leaks_nothing(web, app):
    user = new_user_without_password(JUROR)
    path = link_for(user)
    page = web.get(path)
    assert page.status_code == 200
    assert user.full_name in shown(page) and user.email in shown(page)
    assert "au moins 12 caractères" in shown(page) and "courant" in shown(page)
    assert page.text.count('autocomplete="new-password"') == 2
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_invitation_link_sets_the_password_once(web, app):
    user = new_user_without_password(JUROR)
    path = link_for(user)
    response = choose(web, path)
    assert response.status_code == 303 and response.headers["Location"] == "/connexion"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Mot de passe enregistré : connectez-vous." in web.get("/connexion").text
    assert can_log_in(app, user, NEW)
    assert token_row(path).used_at is not None
    entry = audit("password.set")[-1]
    assert entry.actor_id == user.id and entry.entity_id == user.id
    assert entry.details["purpose"] == "invitation"
    # The same link again: used up, whether opened or submitted.
    again = web.get(path)
    assert again.status_code == 410 and tokens.MSG_USED in shown(again)
    assert "Recevoir un nouveau lien" in shown(again)
    token = CSRF_RE.search(web.get("/connexion").text).group(1)
    reused = web._call("post", path, data={"new_password": OTHER, "confirmation": OTHER,
                                           "csrf_token": token})
    assert reused.status_code == 410 and tokens.MSG_USED in shown(reused)
    assert not can_log_in(app, user, OTHER)


def test_a_long_passphrase_is_accepted_through_a_link(web, app):
    user = new_user_without_password(JUROR)
    passphrase = "cheval agrafe correct batterie soleil " * 3
    assert choose(web, link_for(user), passphrase).status_code == 303
    assert can_log_in(app, user, passphrase)


def test_refused_password_gives_every_reason_and_keeps_the_link(web, app):
    user = new_user_without_password(JUROR)
    path = link_for(user)
    response = choose(web, path, "court", "autre")
    assert response.status_code == 400
    assert TOO_SHORT in shown(response)
    assert passwords.MSG_MISMATCH in shown(response)
    response = choose(web, path, "helene-Xq9!vT2#pL")
    assert response.status_code == 400 and "votre nom ou votre prénom" in shown(response)
    response = choose(web, path, "", "")
    assert response.status_code == 400 and "Choisissez un mot de passe." in shown(response)
    assert token_row(path).used_at is None
    assert db.session.get(User, user.id).password_hash is None
    assert choose(web, path).status_code == 303


def expire(row):
    row.expires_at = utcnow() - timedelta(seconds=1)


def deactivate(row):
    row.user.active = False


@pytest.mark.parametrize("purpose,spoil,status,message", [
    (tokens.INVITATION, expire, 410, tokens.MSG_EXPIRED),
    (tokens.RESET, expire, 410, tokens.MSG_EXPIRED),
    (tokens.SETUP, expire, 410, tokens.MSG_EXPIRED),
    (tokens.INVITATION, deactivate, 403, tokens.MSG_INACTIVE),
])
def test_spoilt_links_are_refused_in_french(web, app, purpose, spoil, status, message):
    user = new_user_without_password(ORGANISER)
    path = link_for(user, purpose)
    spoil(token_row(path))
    db.session.commit()
    page = web.get(path)
    assert page.status_code == status and message in shown(page)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    token = CSRF_RE.search(web.get("/connexion").text).group(1)
    response = web._call("post", path, data={"new_password": NEW, "confirmation": NEW,
                                             "csrf_token": token})
    assert response.status_code == status
    assert db.session.get(User, user.id).password_hash is None


def test_resending_revokes_the_earlier_link(web, app):
    user = new_user_without_password(JUROR)
    first, second = link_for(user), link_for(user)
    page = web.get(first)
    assert page.status_code == 410 and tokens.MSG_REVOKED in shown(page)
    assert choose(web, second).status_code == 303


def test_correcting_a_jurors_email_revokes_the_links_sent_to_the_old_one(web, app):
    """An invitation mailed to a mistyped address must not let its reader take the account."""
    juror = new_user_without_password(JUROR)
    sent = link_for(juror)
    web.login(make_user(ORGANISER))
    response = web.post(f"/jures/{juror.id}/modifier", data={
        "first_name": juror.first_name, "last_name": juror.last_name,
        "email": "la.bonne.adresse@exemple.fr", "years_experience": "3", "external": "oui"})
    assert response.status_code in (302, 303), response.text
    page = web.get(sent)
    assert page.status_code == 410 and tokens.MSG_REVOKED in shown(page)


@pytest.mark.parametrize("path", ["/mot-de-passe/inconnu", "/mot-de-passe/" + "x" * 300])
def test_unknown_link_is_a_french_404(web, app, path):
    page = web.get(path)
    assert page.status_code == 404 and tokens.MSG_UNKNOWN in shown(page)


def test_two_submissions_of_one_link_at_once_use_it_once(app, monkeypatch):
    """Both pass the first check; the write transaction's re-read lets only one through."""
    user = new_user_without_password(JUROR)
    token = link_for(user).rsplit("/", 1)[1]
    both_checked = threading.Barrier(2, timeout=10)
    real_hash = passwords.hash_password

    def slow_hash(password):
        both_checked.wait()
        return real_hash(password)

    monkeypatch.setattr(passwords, "hash_password", slow_hash)
    outcomes = []

    def submit(password):
        with app.app_context():
            try:
                passwords.choose_password(token, password, password)
                outcomes.append(("ok", password))
            except passwords.LinkUnusable as exc:
                outcomes.append((exc.status, password))

    threads = [threading.Thread(target=submit, args=(p,)) for p in (NEW, OTHER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(o[0] for o in outcomes if o[0] != "ok") == [410]
    winner = next(p for status, p in outcomes if status == "ok")
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(winner)
    assert len(audit("password.set")) == 1


def test_public_forms_refuse_a_missing_csrf_token(web, app):
    path = link_for(new_user_without_password(JUROR))
    for url, data in ((path, {"new_password": NEW, "confirmation": NEW}),
                      ("/mot-de-passe-oublie", {"email": "x@test.fr"})):
        response = web._call("post", url, data=data)
        assert response.status_code == 400 and "Jeton de sécurité" in shown(response)
    assert token_row(path).used_at is None
    assert mails_to("x@test.fr") == []


# --- Changing it on Mon compte --------------------------------------------------------------

def change(web, current=PASSWORD, new=NEW, confirmation=None):
    return web.post("/compte/mot-de-passe", data={
        "current_password": current, "new_password": new,
        "confirmation": new if confirmation is None else confirmation})


def test_account_page_has_the_password_form(web, app):
    web.login(make_user(JUROR))
    page = web.get("/compte")
    assert 'autocomplete="current-password"' in shown(page)
    assert page.text.count('autocomplete="new-password"') == 2
    assert "au moins 12 caractères" in shown(page)
    assert 'action="/compte/mot-de-passe"' in shown(page)


def test_change_needs_the_current_password(web, app):
    user = make_user(JUROR)
    web.login(user)
    response = change(web, current="pas le bon")
    assert response.status_code == 400
    assert passwords.MSG_WRONG_CURRENT in shown(response)
    assert "<h1>Mon compte</h1>" in shown(response)  # the page again, with the message
    assert can_log_in(app, user, PASSWORD) and not can_log_in(app, user, NEW)
    entry = audit("password.change_failed")[-1]
    assert entry.actor_id == user.id
    assert "pas le bon" not in str(entry.details) + str(entry.new_value)


@pytest.mark.parametrize("new,confirmation,message", [
    ("court", "court", TOO_SHORT),
    (NEW, "autre chose", passwords.MSG_MISMATCH),
    ("motdepasse123", "motdepasse123", COMMON),
    ("", "", "Choisissez un mot de passe."),
])
def test_change_refuses_a_bad_new_password(web, app, new, confirmation, message):
    user = make_user(JUROR)
    web.login(user)
    response = change(web, new=new, confirmation=confirmation)
    assert response.status_code == 400
    if message:
        assert message in shown(response)
    assert can_log_in(app, user, PASSWORD)


def test_the_same_password_again_is_refused(web, app):
    user = make_user(JUROR)
    user.set_password(NEW)
    db.session.commit()
    web.login(user, NEW)
    response = change(web, current=NEW, new=NEW)
    assert response.status_code == 400 and passwords.MSG_SAME in shown(response)


def test_change_ends_every_other_session_and_keeps_this_one(app, make_web):
    user = make_user(JUROR)
    here, elsewhere, third = make_web(user), make_web(user), make_web(user)
    with write_transaction():
        reset_link = tokens.issue(db.session.get(User, user.id), tokens.RESET)
    response = change(here)
    assert response.status_code == 303 and response.headers["Location"] == "/compte"
    page = here.get("/compte")
    assert page.status_code == 200 and "Vos autres sessions ont été déconnectées" in shown(page)
    for other in (elsewhere, third):
        assert other.get("/compte").status_code == 302
    assert can_log_in(app, user, NEW) and not can_log_in(app, user, PASSWORD)
    entry = audit("password.change")[-1]
    assert entry.actor_id == user.id and entry.details["sessions_ended"] == 2
    # A reset link asked for earlier no longer serves.
    assert tokens.problem(tokens.lookup(reset_link)) == (410, tokens.MSG_REVOKED)


def test_wrong_current_passwords_lock_like_failed_logins(web, app):
    user = make_user(JUROR)
    web.login(user)
    statuses = [change(web, current=f"mauvais-{i}").status_code for i in range(ACCOUNT_LIMIT.max_hits)]
    assert statuses[:-1] == [400] * (ACCOUNT_LIMIT.max_hits - 1)
    assert statuses[-1] == 429
    locked = change(web)
    assert locked.status_code == 429 and "Réessayez à" in shown(locked)
    assert locked.headers["Retry-After"]
    assert not can_log_in(app, user, PASSWORD)  # the account's logins are locked too
    assert audit("login.locked")


def test_account_routes_need_login_and_csrf(web, app):
    for url in ("/compte/mot-de-passe", "/compte/sessions/1/deconnecter",
                "/compte/sessions/deconnecter-les-autres"):
        anonymous = web._call("post", url, data={})
        assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/connexion")
        assert web.get(url).status_code == 405
    user = make_user(JUROR)
    web.login(user)
    for url in ("/compte/mot-de-passe", "/compte/sessions/deconnecter-les-autres"):
        assert web.post(url, csrf=False, data={"current_password": PASSWORD, "new_password": NEW,
                                              "confirmation": NEW}).status_code == 400
    assert can_log_in(app, user, PASSWORD)
    assert audit("session.revoke_others") == []


# --- Forgotten password --------------------------------------------------------------------

def forgot(web, email):
    return public_post(web, "/mot-de-passe-oublie", {"email": email})


def wait_for_mail(address, timeout=10.0):
    """The reset mail leaves from a background thread: wait until its outcome is recorded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.commit()
        sent = [m for m in mails_to(address) if m.status == "sent"]
        if sent:
            return sent[-1]
        time.sleep(0.05)
    raise AssertionError(f"no mail sent to {address}")


def page_text(response) -> str:
    """The page without what differs on every answer (CSRF token, CSP nonce)."""
    import re
    text = re.sub(r'csrf_token" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", response.text)
    return re.sub(r'nonce="[^"]+"|nonce=\\"[^"]+\\"', "", text)


def test_login_page_links_to_forgotten_password(web):
    assert 'href="/mot-de-passe-oublie">Mot de passe oublié ?' in web.get("/connexion").text


def test_forgot_answers_the_same_whether_the_address_exists(web, app):
    known = make_user(JUROR)
    inactive = make_user(JUROR)
    inactive.active = False
    db.session.commit()
    answers = {}
    for label, email in (("known", known.email), ("unknown", "personne@test.fr"),
                         ("inactive", inactive.email)):
        response = forgot(web, email)
        answers[label] = (response.status_code, page_text(response).replace(email, "ADDRESS"))
    assert answers["known"] == answers["unknown"] == answers["inactive"]
    assert answers["known"][0] == 200
    assert "Si un compte actif correspond" in answers["known"][1]
    wait_for_mail(known.email)
    assert mails_to("personne@test.fr") == [] and mails_to(inactive.email) == []
    requests = audit("password.reset_request")
    assert [(r.entity_id, r.details["sent"]) for r in requests] == [
        (known.id, True), (None, False), (inactive.id, False)]


def test_forgot_takes_the_same_time_whether_the_address_exists(web, app):
    app.config["RESET_RESPONSE_SECONDS"] = 0.4
    known = make_user(JUROR)
    durations = {}
    for label, email in (("known", known.email), ("unknown", "personne@test.fr")):
        token = CSRF_RE.search(web.get("/mot-de-passe-oublie").text).group(1)
        started = time.monotonic()
        response = web._call("post", "/mot-de-passe-oublie",
                             data={"email": email, "csrf_token": token})
        durations[label] = time.monotonic() - started
        assert response.status_code == 200
    assert min(durations.values()) >= 0.4
    assert abs(durations["known"] - durations["unknown"]) < 0.15, durations


def test_slow_mail_server_does_not_slow_the_answer(web, app, monkeypatch):
    """The message leaves after the answer when the server takes longer than the padding."""
    from certif.mail import services as mail
    released = threading.Event()
    real_deliver = mail.deliver

    def slow_deliver(pending):
        released.wait(10)
        return real_deliver(pending)

    monkeypatch.setattr(mail, "deliver", slow_deliver)
    user = make_user(JUROR)
    token = CSRF_RE.search(web.get("/mot-de-passe-oublie").text).group(1)
    started = time.monotonic()
    response = web._call("post", "/mot-de-passe-oublie", data={"email": user.email, "csrf_token": token})
    assert response.status_code == 200 and time.monotonic() - started < 2
    released.set()
    assert wait_for_mail(user.email).status == "sent"


def test_reset_link_by_mail_ends_every_session_and_unlocks_logins(app, make_web, web):
    user = make_user(ORGANISER)
    one, two = make_web(user), make_web(user)
    with write_transaction():  # the account is locked out by failed logins
        for _ in range(ACCOUNT_LIMIT.max_hits):
            throttling.count_hit(ACCOUNT_LIMIT, user.email)
    assert not can_log_in(app, user, PASSWORD)
    assert forgot(web, user.email.upper()).status_code == 200
    mail = wait_for_mail(user.email)
    assert "30 minutes" in mail_body(mail) and "ne sert qu'une seule fois" in mail_body(mail)
    assert "ignorez ce message" in mail_body(mail)
    link = last_link_to(user.email, "/mot-de-passe/")
    path = link[link.index("/mot-de-passe/"):]
    assert token_row(path).purpose == tokens.RESET
    assert token_row(path).expires_at - token_row(path).created_at == timedelta(minutes=30)
    assert choose(web, path).status_code == 303
    for client in (one, two):
        assert client.get("/compte").status_code == 302
    assert all(row.revoked_reason == "reset" for row in
               db.session.scalars(db.select(LoginSession).filter_by(user_id=user.id)))
    assert can_log_in(app, user, NEW)
    assert audit("password.reset")[-1].details["sessions_ended"] == 2
    used = public_post(web, path, {"new_password": OTHER, "confirmation": OTHER}, page="/connexion")
    assert used.status_code == 410


def mail_body(mail: OutgoingMail) -> str:
    from email import message_from_bytes, policy

    from certif.mail.services import read_eml
    message = message_from_bytes(read_eml(mail), policy=policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


def test_choosing_through_a_link_while_logged_in_as_that_account_lands_on_login(app, make_web):
    user = make_user(JUROR)
    own = make_web(user)
    path = link_for(user, tokens.RESET)
    response = choose(own, path)
    assert response.status_code == 303
    login = own.get("/connexion")
    assert login.status_code == 200 and "Mot de passe enregistré : connectez-vous." in shown(login)


def test_forgot_is_throttled_per_address_typed(web, app):
    user = make_user(JUROR)
    statuses = [forgot(web, user.email).status_code for _ in range(passwords.RESET_EMAIL_LIMIT.max_hits)]
    assert statuses == [200] * passwords.RESET_EMAIL_LIMIT.max_hits
    refused = forgot(web, user.email)
    assert refused.status_code == 429
    assert "Trop de demandes" in shown(refused) and "Réessayez à" in shown(refused)
    assert int(refused.headers["Retry-After"]) > 0
    assert forgot(web, "personne@test.fr").status_code == 200  # another address still can
    for _ in range(passwords.RESET_EMAIL_LIMIT.max_hits):
        wait_for_mail(user.email)
    assert len(mails_to(user.email)) == passwords.RESET_EMAIL_LIMIT.max_hits


def test_forgot_is_throttled_per_client_address(web, app):
    limit = passwords.RESET_ADDRESS_LIMIT.max_hits
    assert [forgot(web, f"inconnu{i}@test.fr").status_code for i in range(limit)] == [200] * limit
    assert forgot(web, "encore@test.fr").status_code == 429


@pytest.mark.parametrize("email,message", [
    ("", "Saisissez votre adresse e-mail."),
    ("pas une adresse", "Adresse e-mail invalide."),
])
def test_forgot_explains_a_bad_address(web, app, email, message):
    response = forgot(web, email)
    assert response.status_code == 400 and message in shown(response)


def test_no_password_in_logs_or_audit(web, app, caplog):
    caplog.set_level(logging.DEBUG)
    user = new_user_without_password(JUROR)
    assert choose(web, link_for(user)).status_code == 303
    logged = Browserless(app.test_client())
    logged.login(user, NEW)
    assert change(logged, current=NEW, new=OTHER).status_code == 303
    assert change(logged, current="mauvais-mot-de-passe").status_code == 400
    for secret in (NEW, OTHER, "mauvais-mot-de-passe"):
        assert secret not in shown(caplog)
        for entry in db.session.scalars(db.select(AuditEntry)):
            assert secret not in f"{entry.old_value} {entry.new_value} {entry.details}"
