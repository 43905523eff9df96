"""Putting certif into service: nothing personal cached, HSTS in production, private files,
and a French 503 when the database cannot be written."""
import logging
import os
import stat
from pathlib import Path

import pytest

from certif import create_app
from certif.audit.models import AuditEntry
from certif.auth.login_sessions import COOKIE_KEY
from certif.auth.models import JUROR, ORGANISER, LoginSession
from certif.candidates.links import make_token
from certif.certificates.models import Certificate
from certif.extensions import db
from certif.files import write_private
from certif.grading.models import Mark
from certif.mail.services import send
from certif.web import PRIVATE_PREFIXES

from .factories.database import POSTGRES_URL
from .factories.grading import finished_session
from .factories.minutes import make_minutes
from .factories.sessions import make_exam
from .factories.users import PASSWORD, make_user
from .factories.web import CSRF_RE, Browserless

UNAVAILABLE = "La base de données est momentanément indisponible"


# --- Cache-Control and HSTS -----------------------------------------------------------------

@pytest.mark.parametrize("roles,pages", [
    ((JUROR,), ["/jury/", "/compte"]),
    ((ORGANISER,), ["/tableau-de-bord/", "/sessions/", "/compte", "/page-qui-n-existe-pas"]),
])
def test_logged_in_pages_are_never_stored(web, roles, pages):
    web.login(make_user(*roles))
    for page in pages:
        response = web.get(page)
        assert response.headers["Cache-Control"] == "no-store", page
        assert "Strict-Transport-Security" not in response.headers  # not in production


def test_every_candidate_page_is_never_stored(app, web):
    setup = make_exam("RS6240")
    with app.test_request_context():
        token = make_token(setup.exam.candidate)
    pages = ["/emargement", "/emargement/lien-inconnu", "/emargement/signer", "/emargement/merci",
             f"/c/{token}", f"/c/{token}/anomalie", f"/c/{token}/convocations/{setup.exam.id}.pdf",
             "/c/lien-forge", "/verifier-certificat", "/mot-de-passe/lien-inconnu"]
    for page in pages:
        response = web.get(page)
        assert "no-store" in response.headers["Cache-Control"], (page, response.status_code)


# Public pages that show nothing of anyone (a form to fill); every other page without a login
# is a candidate's and must sit under PRIVATE_PREFIXES.
NOTHING_PERSONAL = {"static", "auth.login", "passwords.forgot", "twofactor.verify",
                    "results.page", "notice.page"}  # published counts; the information notice


def test_every_public_route_is_a_candidate_page_or_holds_nothing_personal(app):
    public = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()
              if not hasattr(app.view_functions[rule.endpoint], "__wrapped__")}
    assert "/emargement" in public and "/c/<token>" in public  # the check sees public routes
    unprotected = {path: endpoint for path, endpoint in public.items()
                   if endpoint not in NOTHING_PERSONAL and not path.startswith(PRIVATE_PREFIXES)}
    assert unprotected == {}


def test_static_files_are_cacheable_even_when_logged_in(web):
    web.login(make_user(JUROR))
    response = web.get("/static/certif.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def production_app(app, monkeypatch, tmp_path):
    monkeypatch.setenv("CERTIF_ENV", "production")
    return create_app(SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                      SECRET_KEY="from-the-environment", BASE_URL="https://certif.example.fr",
                      FILES_DIR=str(tmp_path / "prod-files"))


def test_hsts_and_no_store_in_production(app, monkeypatch, tmp_path):
    prod = production_app(app, monkeypatch, tmp_path)
    user = make_user(JUROR)
    client = prod.test_client()
    https = {"base_url": "https://localhost"}
    login = client.get("/connexion", **https)
    assert login.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    token = CSRF_RE.search(login.text).group(1)
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD,
                                               "csrf_token": token}, **https,
                           headers={"Referer": "https://localhost/connexion"})
    assert response.status_code == 302 and "Secure" in response.headers["Set-Cookie"]
    page = client.get("/jury/", **https)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]


# --- Private files -------------------------------------------------------------------------

@pytest.fixture
def open_umask():
    """Whatever the service's umask, certif's files stay private."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def modes(root: Path) -> dict[str, int]:
    return {str(path.relative_to(root.parent)): stat.S_IMODE(path.stat().st_mode)
            for path in [root, *root.rglob("*")]}


def test_files_certif_writes_are_readable_by_its_user_only(app, make_web, open_umask):
    send(["alex@example.org"], "Un message", "Bonjour")
    setup = finished_session(decisions=("favorable",))
    make_minutes(setup.session)
    staff = make_web(make_user(ORGANISER))
    assert staff.post(f"/sessions/{setup.session.id}/certificats").status_code == 303
    assert db.session.scalar(db.select(Certificate)) is not None
    files = Path(app.config["FILES_DIR"])
    found = modes(files)
    names = {Path(name).name for name in found}
    assert any(name.endswith(".eml") for name in names)  # the outbox
    assert {"seal-key.pem", "seal-cert.pem"} <= names  # the generated seal
    assert any(name.endswith(".pdf") for name in names)  # the sealed certificate
    assert {name: mode for name, mode in found.items()
            if mode != (0o700 if (files.parent / name).is_dir() else 0o600)} == {}


def test_write_private_first_writer_wins(tmp_path, open_umask):
    path = tmp_path / "folder" / "secret"
    write_private(path, "first", exclusive=True)
    with pytest.raises(FileExistsError):
        write_private(path, "second", exclusive=True)
    write_private(path.with_name("other"), b"bytes")
    assert path.read_text() == "first" and path.with_name("other").read_bytes() == b"bytes"
    assert sorted(p.name for p in path.parent.iterdir()) == ["other", "secret"]  # no .tmp left
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


# --- A database that cannot be written -----------------------------------------------------

@pytest.fixture
def read_only_app(app, tmp_path):
    """A second app on the same SQLite file, opened read-only (as a full or read-only disk)."""
    if POSTGRES_URL:
        pytest.skip("opens the SQLite file read-only")
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    ro = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///file:{path}?mode=ro&uri=true",
                    FILES_DIR=app.config["FILES_DIR"])
    yield ro
    with ro.app_context():
        db.engine.dispose()


def test_login_on_a_read_only_database_is_a_french_503_and_opens_nothing(app, read_only_app):
    user = make_user(JUROR)
    visitor = Browserless(read_only_app.test_client())
    token = CSRF_RE.search(visitor.get("/connexion").text).group(1)
    response = visitor.post("/connexion", {"email": user.email, "password": PASSWORD,
                                           "csrf_token": token}, csrf=False)
    assert response.status_code == 503
    assert UNAVAILABLE in response.text.replace("&#39;", "'")
    with visitor.client.session_transaction() as cookie:  # nothing of a login in the cookie
        assert COOKIE_KEY not in cookie and "_user_id" not in cookie
    assert db.session.scalar(db.select(db.func.count(LoginSession.id))) == 0
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="user.login")) is None
    assert visitor.get("/jury/").status_code == 302  # still logged out


def test_grid_click_on_a_read_only_database_is_a_503_message(app, make_web, read_only_app):
    setup = make_exam("RS6240")
    juror = make_web(setup.president)  # logged in while the database could be written
    url = f"/jury/examens/{setup.exam.id}/grille/criteres/{setup.criteria[0]}"
    assert juror.post(url, {"value": "acquis"}, htmx=True).status_code == 200
    cookie = juror.client.get_cookie("session")
    ro_juror = Browserless(read_only_app.test_client())
    ro_juror.client.set_cookie("session", cookie.value)
    ro_juror.token = juror.token
    response = ro_juror.post(url, {"value": "non_acquis"}, htmx=True)
    assert response.status_code == 503 and response.mimetype == "text/plain"
    assert response.text.startswith(UNAVAILABLE) and "n'a pas été enregistrée" in response.text
    assert {m.value for m in db.session.scalars(db.select(Mark))} == {True}  # as it was
    plain = ro_juror.post(url, {"value": "non_acquis"})
    assert plain.status_code == 503 and UNAVAILABLE in plain.text.replace("&#39;", "'")


def test_a_503_logs_no_secret_the_refused_write_held(app, make_web, read_only_app):
    """The error log names the failure, never the statement's values (a new password's hash,
    a second factor's secret…)."""
    # A handler on the app's own logger: an earlier test's logging set-up (Alembic's
    # fileConfig) may stop records from reaching pytest's capture.
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    read_only_app.logger.addHandler(handler)
    read_only_app.logger.disabled = False
    juror = make_web(make_user(JUROR))
    ro_juror = Browserless(read_only_app.test_client())
    ro_juror.client.set_cookie("session", juror.client.get_cookie("session").value)
    ro_juror.token = juror.token
    new = "cheval agrafe correct batterie"
    response = ro_juror.post("/compte/mot-de-passe", {"current_password": PASSWORD,
                                                      "new_password": new, "confirmation": new})
    assert response.status_code == 503
    read_only_app.logger.removeHandler(handler)
    logged = "\n".join(record.getMessage() for record in records)
    assert "readonly database" in logged
    assert "scrypt:" not in logged and "parameters" not in logged
