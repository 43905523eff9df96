"""Second factor (TOTP): enrolment, the login's code step, recovery codes, throttling,
enforcement for organisers and council members, an organiser's reset of another account."""
import hashlib
import re
import time
from datetime import timedelta

import pyotp
import pytest

from certif.audit.models import AuditEntry
from certif.auth import twofactor
from certif.auth import twofactor_rules as rules
from certif.auth.models import COUNCIL, JUROR, ORGANISER, LoginSession, RecoveryCode, User
from certif.auth.services import PENDING_SECOND_FACTOR
from certif.extensions import db
from certif.throttling.services import Limit
from certif.timeutil import utcnow

from ..factories.mail import mails_to
from ..factories.users import PASSWORD, make_user
from ..factories.web import CSRF_RE, Browserless

ENROL = "/compte/double-authentification"
VERIFY = "/connexion/code"
REGENERATE = "/compte/double-authentification/codes-de-secours"
DISABLE = "/compte/double-authentification/desactiver"
RESTART = "/compte/double-authentification/nouveau-secret"
SHOWN_CODE = re.compile(r"\b[A-Z2-9]{5}-[A-Z2-9]{5}\b")


def reset_url(user_id):
    return f"/comptes/{user_id}/double-authentification/reinitialiser"


# --- Helpers ---------------------------------------------------------------------------

def with_second_factor(user):
    """Give `user` an enabled second factor directly; its TOTP and recovery codes (shown)."""
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_enabled_at = secret, utcnow()
    codes = rules.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=rules.recovery_hash(code))
                       for code in codes)
    db.session.commit()
    return pyotp.TOTP(secret), [rules.shown(code) for code in codes]


def next_code(totp):
    """The code of the next time step: valid now (window of one step), and later than
    any code of the current step."""
    return totp.at(time.time() + 30)


def wrong_code(totp):
    valid = {totp.at(time.time() + offset) for offset in (-60, -30, 0, 30, 60)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def password_step(web, user, next_url=None):
    page = web.get("/connexion")
    token = CSRF_RE.search(page.text).group(1)
    url = "/connexion" + (f"?next={next_url}" if next_url else "")
    response = web._call("post", url, data={"email": user.email, "password": PASSWORD,
                                            "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == VERIFY, response.text
    return response


def code_step(web, code, mode=""):
    page = web.get(VERIFY)
    assert page.status_code == 200, page.headers.get("Location")
    token = CSRF_RE.search(page.text).group(1)
    return web._call("post", VERIFY, data={"code": code, "mode": mode, "csrf_token": token})


def login_with_code(web, user, code):
    password_step(web, user)
    response = code_step(web, code)
    assert response.status_code == 302, response.text
    web.refresh_token()
    return response


def actions(name, entity_id=None):
    query = db.select(AuditEntry).filter_by(action=name)
    if entity_id is not None:
        query = query.filter_by(entity_id=entity_id)
    return db.session.scalars(query.order_by(AuditEntry.id)).all()


def logged_in(web):
    return web.get("/compte").status_code == 200


# --- Rules -----------------------------------------------------------------------------

@pytest.mark.parametrize("typed,kind", [
    ("123456", rules.TOTP),
    (" 123 456 ", rules.TOTP),
    ("12345", None),
    ("1234567", None),
    ("abcde-fghjk", rules.RECOVERY),
    ("ABCDE FGHJK", rules.RECOVERY),
    ("ABCDEFGHJK", rules.RECOVERY),
    ("ABCDE-FGHJ0", None),  # 0 is not in the alphabet (it reads like O)
    ("", None),
    (None, None),
])
def test_codes_are_told_apart_by_their_shape(typed, kind):
    assert rules.kind_of(typed) == kind


def test_a_totp_code_serves_once_and_never_after_a_later_one():
    secret = pyotp.random_base32()
    totp, now = pyotp.TOTP(secret), time.time()
    step = totp.timecode(now)
    assert rules.matching_step(secret, totp.at(now), None, now) == step
    assert rules.matching_step(secret, totp.at(now), step, now) is None
    assert rules.matching_step(secret, totp.at(now + 30), step, now) == step + 1
    assert rules.matching_step(secret, totp.at(now - 30), step, now) is None
    assert rules.matching_step(secret, totp.at(now + 90), None, now) is None  # out of window


def test_recovery_codes_are_ten_unambiguous_and_typed_loosely():
    codes = rules.new_recovery_codes()
    assert len(codes) == len(set(codes)) == 10
    assert all(SHOWN_CODE.fullmatch(rules.shown(code)) for code in codes)
    assert not any(c in code for code in codes for c in "01OIL")
    code = codes[0]
    assert rules.recovery_hash(rules.shown(code).lower()) == rules.recovery_hash(code) \
        == hashlib.sha256(code.encode()).hexdigest()
    assert rules.grouped("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP"


def test_the_provisioning_uri_names_the_account_and_the_organisation(app):
    uri = rules.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEH", "paule@test.fr", "ALLOKOM")
    assert uri.startswith("otpauth://totp/certif%20ALLOKOM:paule%40test.fr?")
    assert "issuer=certif%20ALLOKOM" in uri and "secret=JBSWY3DPEHPK3PXPJBSWY3DPEH" in uri


# --- Enrolment -------------------------------------------------------------------------

def test_enrolment_shows_a_qr_code_and_the_secret_then_needs_a_right_code(web, app):
    user = make_user(JUROR)
    web.login(user)
    page = web.get(ENROL)
    assert page.status_code == 200
    assert '<img src="data:image/svg+xml' in page.text
    secret = db.session.get(User, user.id).totp_secret
    assert secret and not db.session.get(User, user.id).two_factor_enabled
    assert rules.grouped(secret) in page.text
    assert 'autocomplete="one-time-code"' in page.text and 'inputmode="numeric"' in page.text
    assert web.get(ENROL).text.count(rules.grouped(secret)) == 1  # a reload keeps the secret

    totp = pyotp.TOTP(secret)
    wrong = web.post(ENROL, data={"code": wrong_code(totp)})
    assert wrong.status_code == 401
    assert "Code incorrect" in wrong.text
    assert not db.session.get(User, user.id).two_factor_enabled
    assert web.post(ENROL, data={"code": "12"}).status_code == 400
    assert web.post(ENROL, data={"code": ""}).status_code == 400

    done = web.post(ENROL, data={"code": totp.now()})
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store"
    shown = SHOWN_CODE.findall(done.text)
    assert len(set(shown)) == 10
    assert "ne seront plus jamais affichés" in done.text
    user = db.session.get(User, user.id)
    assert user.two_factor_enabled and user.totp_last_step is not None
    assert len(actions("2fa.enrol", user.id)) == 1
    assert twofactor.recovery_codes_left(user) == 10


def test_recovery_codes_are_stored_hashed_only(web, app):
    user = make_user(JUROR)
    web.login(user)
    web.get(ENROL)
    totp = pyotp.TOTP(db.session.get(User, user.id).totp_secret)
    shown = SHOWN_CODE.findall(web.post(ENROL, data={"code": totp.now()}).text)
    hashes = set(db.session.scalars(db.select(RecoveryCode.code_hash)
                                    .filter_by(user_id=user.id)).all())
    assert hashes == {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in shown}
    stored = " ".join(str(row) for table in ("recovery_codes", "users", "audit_log")
                      for row in db.session.execute(db.text(f"SELECT * FROM {table}")).all())
    for code in shown:
        assert code not in stored and code.replace("-", "") not in stored


def test_a_new_qr_code_replaces_an_unconfirmed_secret(web, app):
    user = make_user(JUROR)
    web.login(user)
    web.get(ENROL)
    first = db.session.get(User, user.id).totp_secret
    assert web.post(RESTART).status_code == 303
    second = db.session.get(User, user.id).totp_secret
    assert second and second != first
    assert web.post(ENROL, data={"code": pyotp.TOTP(first).now()}).status_code == 401
    assert web.post(ENROL, data={"code": pyotp.TOTP(second).now()}).status_code == 200


def test_mon_compte_shows_the_second_factor(web, app):
    user = make_user(JUROR)
    web.login(user)
    page = web.get("/compte")
    assert "Désactivée" in page.text and f'href="{ENROL}"' in page.text
    totp, codes = with_second_factor(user)
    page = web.get("/compte")
    assert "Activée" in page.text and "10 sur 10" in page.text
    assert f'action="{REGENERATE}"' in page.text and f'action="{DISABLE}"' in page.text
    assert web.get(ENROL).status_code == 200  # the management page, no new secret
    assert db.session.get(User, user.id).totp_secret == totp.secret


# --- The login's code step ---------------------------------------------------------------

def test_login_with_a_code_lands_on_the_next_page(web, app):
    user = make_user(JUROR)
    totp, _ = with_second_factor(user)
    password_step(web, user, next_url="/compte")
    assert not logged_in(web)
    page = web.get(VERIFY)
    assert 'autocomplete="one-time-code"' in page.text and 'inputmode="numeric"' in page.text
    response = code_step(web, totp.now())
    assert response.status_code == 302 and response.headers["Location"] == "/compte"
    assert logged_in(web)
    login = actions("user.login", user.id)[-1]
    assert login.details["method"] == rules.TOTP


def test_a_wrong_code_is_refused_in_french_and_audited(web, app):
    user = make_user(JUROR)
    totp, _ = with_second_factor(user)
    password_step(web, user)
    response = code_step(web, wrong_code(totp))
    assert response.status_code == 401
    assert "Code incorrect ou déjà utilisé" in response.text
    assert not logged_in(web)
    assert len(actions("2fa.failed", user.id)) == 1
    assert code_step(web, "12ab").status_code == 400
    assert code_step(web, "").status_code == 400
    assert code_step(web, totp.now()).status_code == 302


def test_a_code_serves_once(web, app):
    user = make_user(JUROR)
    totp, _ = with_second_factor(user)
    code = next_code(totp)
    login_with_code(web, user, code)
    other = Browserless(app.test_client())  # another browser, the same code typed again
    password_step(other, user)
    replay = code_step(other, code)
    assert replay.status_code == 401
    assert code_step(other, totp.now()).status_code == 401  # an earlier step is spent too
    assert not logged_in(other)


def test_a_recovery_code_works_once(web, app):
    user = make_user(JUROR)
    _, codes = with_second_factor(user)
    password_step(web, user)
    response = code_step(web, codes[3].lower().replace("-", " "), mode="recovery")
    assert response.status_code == 302
    landing = web.get(response.headers["Location"])
    assert "il vous en reste 9" in landing.text
    assert actions("user.login", user.id)[-1].details["method"] == rules.RECOVERY
    assert actions("2fa.recovery_used", user.id)[-1].details["remaining"] == 9
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_not(None))) == 1

    again = Browserless(app.test_client())
    password_step(again, user)
    second = code_step(again, codes[3], mode="recovery")
    assert second.status_code == 401
    assert not logged_in(again)
    assert code_step(again, codes[4], mode="recovery").status_code == 302


def test_wrong_codes_lock_the_account_code_step_with_a_429(web, app):
    user = make_user(JUROR)
    totp, _ = with_second_factor(user)
    password_step(web, user)
    statuses = [code_step(web, wrong_code(totp)).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    locked = code_step(web, totp.now())
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert "Réessayez à" in locked.text
    assert not logged_in(web)
    assert len(actions("2fa.failed", user.id)) == 5
    assert [e.details["scope"] for e in actions("login.locked_2fa", user.id)] == ["account"]
    # A new password step does not open the lock either.
    password_step(web, user)
    assert code_step(web, totp.now()).status_code == 429


def test_wrong_codes_from_one_address_lock_it_for_every_account(web, app, monkeypatch):
    monkeypatch.setattr(twofactor, "ADDRESS_LIMIT", Limit("2fa-ip", 3, timedelta(minutes=15)))
    users = [make_user(JUROR) for _ in range(3)]
    totps = [with_second_factor(user)[0] for user in users]
    statuses = []
    for user, totp in zip(users, totps, strict=True):
        password_step(web, user)
        statuses.append(code_step(web, wrong_code(totp)).status_code)
    assert statuses == [401, 401, 429]
    fresh = make_user(JUROR)
    totp, _ = with_second_factor(fresh)
    password_step(web, fresh)
    assert code_step(web, totp.now()).status_code == 429
    assert [e.details["scope"] for e in actions("login.locked_2fa")] == ["address"]


def test_the_code_step_expires_after_five_minutes(web, app):
    user = make_user(JUROR)
    totp, _ = with_second_factor(user)
    password_step(web, user)
    token = CSRF_RE.search(web.get(VERIFY).text).group(1)
    with app.app_context(), web.client.session_transaction() as cookie:
        pending = dict(cookie[PENDING_SECOND_FACTOR])
        pending["at"] -= 5 * 60 + 1
        cookie[PENDING_SECOND_FACTOR] = pending
    response = web._call("post", VERIFY, data={"code": totp.now(), "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == "/connexion"
    assert "Le délai de 5 minutes pour saisir le code est dépassé" in web.get("/connexion").text
    assert not logged_in(web)
    assert web.get(VERIFY).headers["Location"] == "/connexion"  # nothing pending any more


def test_a_pending_code_step_ends_with_the_login_it_led_to(web, app):
    """The cookie of the password step, copied before the code, is worth nothing once that
    login is done (and logged out): a fresh code alone must not open the account."""
    user = make_user(JUROR)
    totp, _ = with_second_factor(user)
    password_step(web, user)
    copied = web.client.get_cookie("session").value
    assert code_step(web, totp.now()).status_code == 302
    web.refresh_token()
    assert web.post("/deconnexion").status_code == 302

    thief = Browserless(app.test_client())
    thief.client.set_cookie("session", copied)
    assert thief.get(VERIFY).headers.get("Location") == "/connexion"
    thief.client.set_cookie("session", copied)
    token = CSRF_RE.search(web.get("/connexion").text).group(1)
    response = thief._call("post", VERIFY, data={"code": next_code(totp), "csrf_token": token})
    assert response.status_code in (302, 303, 400)
    assert not logged_in(thief)


def test_a_pending_code_step_ends_when_the_password_changes(web, app):
    user = make_user(JUROR)
    totp, _ = with_second_factor(user)
    password_step(web, user)
    user.set_password("une-toute-autre-phrase-secrete")
    db.session.commit()
    assert web.get(VERIFY).headers.get("Location") == "/connexion"


def test_the_code_step_without_a_password_goes_to_the_login_form(web, app):
    response = web.get(VERIFY)
    assert response.status_code == 302 and response.headers["Location"] == "/connexion"
    assert "abord votre adresse e-mail et votre mot de passe" in web.get("/connexion").text


def test_the_code_step_needs_its_csrf_token(web, app):
    user = make_user(JUROR)
    totp, _ = with_second_factor(user)
    password_step(web, user)
    response = web._call("post", VERIFY, data={"code": totp.now()})
    assert response.status_code in (302, 400)
    assert not logged_in(web)


def test_a_second_factor_reset_during_the_code_step_sends_back_to_the_login_form(web, app):
    user = make_user(JUROR)
    totp, _ = with_second_factor(user)
    password_step(web, user)
    user.totp_enabled_at = None
    db.session.commit()
    assert web.get(VERIFY).headers["Location"] == "/connexion"


# --- Regenerating, disabling -------------------------------------------------------------

def test_regenerating_recovery_codes_needs_a_current_code(web, app):
    user = make_user(JUROR)
    web.login(user)
    totp, old = with_second_factor(user)
    wrong = web.post(REGENERATE, data={"code": wrong_code(totp)})
    assert wrong.status_code == 401 and "Code incorrect" in wrong.text
    assert web.post(REGENERATE, data={"code": old[0]}).status_code == 400  # not a recovery code
    done = web.post(REGENERATE, data={"code": totp.now()})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    new = SHOWN_CODE.findall(done.text)
    assert len(set(new)) == 10 and not set(new) & set(old)
    assert len(actions("2fa.recovery_regenerate", user.id)) == 1
    with pytest.raises(twofactor.CodeRefused):
        twofactor.check_code(db.session.get(User, user.id), old[1])
    assert twofactor.check_code(db.session.get(User, user.id), new[1]) == rules.RECOVERY


def test_disabling_needs_a_code_or_a_recovery_code(web, app):
    user = make_user(JUROR)
    web.login(user)
    totp, codes = with_second_factor(user)
    assert web.post(DISABLE, data={"code": wrong_code(totp)}).status_code == 401
    assert db.session.get(User, user.id).two_factor_enabled
    response = web.post(DISABLE, data={"code": codes[0]})
    assert response.status_code == 303 and response.headers["Location"] == "/compte"
    user = db.session.get(User, user.id)
    assert not user.two_factor_enabled and user.totp_secret is None
    assert twofactor.recovery_codes_left(user) == 0
    assert actions("2fa.disable", user.id)[-1].details["method"] == rules.RECOVERY
    assert web.post(DISABLE, data={"code": totp.now()}).status_code == 409  # nothing to disable


# --- Enforcement (CERTIF_REQUIRE_2FA=1) ------------------------------------------------------

@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_2FA", True)


def plain_login(web, user):
    token = CSRF_RE.search(web.get("/connexion").text).group(1)
    response = web._call("post", "/connexion", data={"email": user.email, "password": PASSWORD,
                                                     "csrf_token": token})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("role", [ORGANISER, COUNCIL])
def test_required_second_factor_leads_to_enrolment_at_next_login(web, app, required, role):
    user = make_user(role)
    landing = plain_login(web, user).headers["Location"]
    for url in (landing, "/compte", "/sessions/", "/"):
        response = web.get(url)
        assert response.status_code == 303 and response.headers["Location"] == ENROL, url
    htmx = web.get(landing, htmx=True)
    assert htmx.headers["HX-Redirect"] == ENROL
    page = web.get(ENROL)
    assert page.status_code == 200 and "Votre rôle exige la double authentification" in page.text
    assert web.get("/static/certif.css").status_code == 200

    token = CSRF_RE.search(page.text).group(1)
    secret = db.session.get(User, user.id).totp_secret
    enrolled = web._call("post", ENROL, data={"code": pyotp.TOTP(secret).now(),
                                              "csrf_token": token})
    assert enrolled.status_code == 200
    assert web.get(landing).status_code == 200


def test_logout_stays_possible_before_enrolling(web, app, required):
    plain_login(web, make_user(ORGANISER))
    token = CSRF_RE.search(web.get(ENROL).text).group(1)
    assert web._call("post", "/deconnexion", data={"csrf_token": token}).status_code == 302
    assert web.get("/compte").headers["Location"].startswith("/connexion")


def test_required_second_factor_spares_jurors_and_enrolled_accounts(web, app, required):
    plain_login(web, make_user(JUROR))
    assert web.get("/jury/").status_code == 200
    organiser = make_user(ORGANISER)
    other = Browserless(app.test_client())
    totp, _ = with_second_factor(organiser)
    login_with_code(other, organiser, totp.now())
    assert other.get("/tableau-de-bord/").status_code == 200


def test_a_required_second_factor_cannot_be_disabled(web, app, monkeypatch):
    user = make_user(COUNCIL)
    web.login(user)  # logged in before the second factor exists
    totp, codes = with_second_factor(user)
    monkeypatch.setitem(app.config, "REQUIRE_2FA", True)
    response = web.post(DISABLE, data={"code": codes[0]})
    assert response.status_code == 409
    assert "exige la double authentification" in response.text
    assert db.session.get(User, user.id).two_factor_enabled
    assert twofactor.recovery_codes_left(user) == 10  # the code was not spent


# --- An organiser resets another account's second factor ------------------------------------

def test_an_organiser_resets_another_accounts_second_factor(web, make_web, app):
    organiser = make_user(ORGANISER)
    target = make_user(COUNCIL)
    target_web = make_web(target)
    with_second_factor(target)
    web.login(organiser)
    response = web.post(reset_url(target.id), data={"next": "/compte"})
    assert response.status_code == 303 and response.headers["Location"] == "/compte"
    assert "réinitialisée" in web.get("/compte").text
    target = db.session.get(User, target.id)
    assert not target.two_factor_enabled and target.totp_secret is None
    assert twofactor.recovery_codes_left(target) == 0
    assert not logged_in(target_web)
    assert db.session.scalar(db.select(LoginSession.revoked_reason)
                             .filter_by(user_id=target.id)) == "second_factor"
    entry = actions("2fa.reset", target.id)[-1]
    assert entry.actor_id == organiser.id and entry.details["sessions_ended"] == 1
    mail = mails_to(target.email)[-1]
    assert mail.subject == "Votre double authentification a été réinitialisée"
    assert logged_in(web)  # the organiser's own session goes on
    # The target logs in with the password alone now.
    plain_login(target_web, target)
    assert logged_in(target_web)


def test_a_reset_is_answered_with_the_right_status(web, app):
    organiser = make_user(ORGANISER)
    totp, _ = with_second_factor(organiser)
    login_with_code(web, organiser, totp.now())
    own = web.post(reset_url(organiser.id))
    assert own.status_code == 403
    assert "votre propre double authentification" in own.text
    assert db.session.get(User, organiser.id).two_factor_enabled
    assert web.post(reset_url(99999)).status_code == 404
    assert web.post(reset_url(make_user(JUROR).id)).status_code == 409  # nothing to reset
    target = make_user(COUNCIL)
    with_second_factor(target)
    assert web.post(reset_url(target.id), csrf=False).status_code == 400
    assert db.session.get(User, target.id).two_factor_enabled
    assert not actions("2fa.reset")


# --- Authorisation matrix ----------------------------------------------------------------

MATRIX_ROUTES = [("get", ENROL), ("post", ENROL), ("post", RESTART), ("post", REGENERATE),
                 ("post", DISABLE)]


@pytest.mark.parametrize("method,url", MATRIX_ROUTES + [("post", "reset")])
def test_anonymous_visitors_go_to_the_login_form(web, app, method, url):
    if url == "reset":
        url = reset_url(make_user(COUNCIL).id)
    response = web.get(url) if method == "get" else web.post(url, csrf=False)
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")


@pytest.mark.parametrize("method,url", MATRIX_ROUTES[1:])
def test_every_post_needs_its_csrf_token(web, app, method, url):
    web.login(make_user(JUROR))
    assert web.post(url, data={"code": "123456"}, csrf=False).status_code == 400


@pytest.mark.parametrize("role", [JUROR, COUNCIL])
def test_only_an_organiser_resets_a_second_factor(web, app, role):
    target = make_user(COUNCIL)
    with_second_factor(target)
    web.login(make_user(role))
    assert web.post(reset_url(target.id)).status_code == 403
    assert db.session.get(User, target.id).two_factor_enabled
    assert not actions("2fa.reset")


@pytest.mark.parametrize("role", [JUROR, COUNCIL, ORGANISER])
def test_every_role_manages_its_own_second_factor(web, app, role):
    web.login(make_user(role))
    assert web.get(ENROL).status_code == 200
    assert web.post(RESTART).status_code == 303
