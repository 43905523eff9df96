"""Login, roles, cookies and secrets."""
import re

import pytest

from certif import create_app
from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, JUROR, ORGANISER, User
from certif.auth.services import create_user
from certif.extensions import db

from ..factories.users import make_user
from ..factories.web import CSRF_RE


def login_page_token(web):
    return CSRF_RE.search(web.get("/connexion").text).group(1)


def test_wrong_password_is_refused_in_french(web, app):
    user = make_user(JUROR)
    r = web._call("post", "/connexion", data={
            "email": user.email, "password": "faux", "csrf_token": login_page_token(web)})
    assert r.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in r.text
    assert web.get("/jury/").status_code == 302


def test_empty_login_form_says_what_is_missing(web):
    r = web._call("post", "/connexion",
                  data={"email": "", "password": "", "csrf_token": login_page_token(web)})
    assert r.status_code == 400
    assert "Saisissez votre adresse e-mail." in r.text
    assert "Saisissez votre mot de passe." in r.text


def test_login_without_csrf_token_is_refused(web):
    user = make_user(JUROR)
    r = web._call("post", "/connexion", data={"email": user.email, "password": "motdepasse-test"})
    assert r.status_code == 400


@pytest.mark.parametrize("roles,landing", [
    ((JUROR,), "/jury/"),
    ((ORGANISER,), "/tableau-de-bord/"),
    ((COUNCIL,), "/conseil/"),
    ((ORGANISER, COUNCIL, JUROR), "/tableau-de-bord/"),
])
def test_each_role_lands_on_its_home(web, app, roles, landing):
    response = web.login(make_user(*roles))
    assert response.headers["Location"] == landing
    assert web.get("/").headers["Location"] == landing


def test_login_is_audited(web, app):
    user = make_user(JUROR)
    web.login(user)
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="user.login"))
    assert entry.actor_id == user.id and entry.ip_address == "127.0.0.1"


@pytest.mark.parametrize("next_url,landing", [
    ("https://evil.example/x", "/jury/"),
    ("//evil.example/x", "/jury/"),
    ("/compte", "/compte"),
])
def test_next_parameter_is_followed_only_within_the_site(web, app, next_url, landing):
    user = make_user(JUROR)
    token = login_page_token(web)
    r = web._call("post", f"/connexion?next={next_url}", data={
        "email": user.email, "password": "motdepasse-test", "csrf_token": token})
    assert r.headers["Location"] == landing


def test_logout_needs_a_post_with_csrf(web, app):
    web.login(make_user(JUROR))
    assert web.get("/deconnexion").status_code == 405
    assert web.post("/deconnexion", csrf=False).status_code == 400
    assert web.post("/deconnexion").status_code == 302
    assert web.get("/jury/").status_code == 302


def test_inactive_user_cannot_log_in(web, app):
    user = make_user(JUROR)
    user.active = False
    db.session.commit()
    r = web._call("post", "/connexion", data={
        "email": user.email, "password": "motdepasse-test", "csrf_token": login_page_token(web)})
    assert r.status_code == 403
    assert "Ce compte est désactivé" in r.text
    assert web.get("/jury/").status_code == 302


def test_passwords_are_hashed(app):
    user = create_user("Claire@Exemple.fr", "un mot de passe", "Claire", "Fontaine", [JUROR])
    stored = db.session.get(User, user.id)
    assert stored.email == "claire@exemple.fr"
    assert "un mot de passe" not in stored.password_hash
    assert stored.password_hash.startswith("scrypt:")
    assert stored.check_password("un mot de passe") and not stored.check_password("autre")


def test_session_cookie_is_httponly_and_samesite_lax(web, app):
    user = make_user(JUROR)
    response = web.login(user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development: plain http on 127.0.0.1


def test_production_cookies_are_secure_and_secret_comes_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CERTIF_ENV", "production")
    uri = f"sqlite:///{tmp_path / 'p.db'}"
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY=None)
    with pytest.raises(RuntimeError, match="CERTIF_BASE_URL"):
        create_app(SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY="from-the-environment", BASE_URL=None)
    app = create_app(SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY="from-the-environment",
                     BASE_URL="https://certif.example.fr", FILES_DIR=str(tmp_path / "files"))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_outside_production_a_private_secret_is_generated_once(tmp_path, monkeypatch):
    import os

    import certif
    monkeypatch.delenv("CERTIF_ENV", raising=False)
    monkeypatch.setattr(certif, "ROOT", tmp_path)
    uri = f"sqlite:///{tmp_path / 'd.db'}"
    first = create_app(SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY=None).config["SECRET_KEY"]
    second = create_app(SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY=None).config["SECRET_KEY"]
    key_file = tmp_path / "instance" / "secret_key"
    assert first == second == key_file.read_text() and len(first) == 64
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"


def test_csrf_token_does_not_expire_during_the_day(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() >= 12 * 3600


def test_security_headers(web):
    r = web.get("/connexion")
    csp = r.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'<script nonce="{nonce}">' in r.text
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert nonce not in web.get("/connexion").headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "HX-Request" in r.headers["Vary"]


def test_behind_a_proxy_the_audit_log_keeps_the_clients_address(app):
    from ..factories.web import Browserless
    proxied = create_app("test", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                         PROXY_FIX_HOPS=1)
    with proxied.app_context():
        user = make_user(JUROR)
        web = Browserless(proxied.test_client())
        page = web._call("get", "/connexion")
        web._call("post", "/connexion", data={
            "email": user.email, "password": "motdepasse-test",
            "csrf_token": CSRF_RE.search(page.text).group(1)},
            headers={"X-Forwarded-For": "203.0.113.7"})
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="user.login"))
        assert entry.ip_address == "203.0.113.7"
        db.engine.dispose()


def test_unknown_page_is_a_french_404(web, app):
    web.login(make_user(JUROR))
    r = web.get("/nulle-part")
    assert r.status_code == 404 and "Page introuvable." in r.text
