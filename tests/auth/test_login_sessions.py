"""Sessions that really end: logout, lifetime, Mon compte's list and its buttons."""
import html
from datetime import timedelta

from certif.audit.models import AuditEntry
from certif.auth.models import JUROR, ORGANISER, LoginSession
from certif.extensions import db
from certif.timeutil import utcnow

from ..factories.users import make_user
from ..factories.web import Browserless

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Safari/537.36")
SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")
EXPIRED_FLASH = "votre dernière action n'a pas été enregistrée"


def browser(app, user, agent=None, address="127.0.0.1"):
    """A logged-in browser of its own, with its user agent and address."""
    web = Browserless(app.test_client())
    web.client.environ_base["REMOTE_ADDR"] = address
    if agent:
        web.client.environ_base["HTTP_USER_AGENT"] = agent
    web.login(user)
    return web


def sessions_of(user):
    return db.session.scalars(db.select(LoginSession).filter_by(user_id=user.id)
                              .order_by(LoginSession.id)).all()


def shown(response) -> str:
    return html.unescape(response.text)


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


# --- A session over is over everywhere -----------------------------------------------------

def test_cookie_replayed_after_logout_opens_nothing(web, app):
    user = make_user(JUROR)
    web.login(user)
    copied = web.client.get_cookie("session").value
    assert web.post("/deconnexion").status_code == 302
    web.client.set_cookie("session", copied)
    for page in ("/compte", "/jury/"):
        web.client.set_cookie("session", copied)
        response = web.get(page)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/connexion?next={page}"
        # The login form says why, rather than just appearing.
        assert "Votre session a pris fin" in shown(web.get(response.headers["Location"]))
    # An htmx action with the copied cookie: the page goes to the login form, which says
    # the action was not saved, and comes back afterwards.
    web.client.set_cookie("session", copied)
    response = web.post("/compte/sessions/deconnecter-les-autres", htmx=True,
                        headers={"HX-Current-URL": "http://localhost/jury/"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/connexion?next=/jury/"
    assert EXPIRED_FLASH in shown(web.get("/connexion"))
    assert audit("session.revoke_others") == []


def test_session_past_its_lifetime_goes_to_the_login_form(web, app):
    user = make_user(JUROR)
    web.login(user)
    row = sessions_of(user)[0]
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = web.get("/jury/")
    assert response.status_code == 302 and response.headers["Location"] == "/connexion?next=/jury/"
    response = web.post("/compte/sessions/deconnecter-les-autres", htmx=True,
                        headers={"HX-Current-URL": "http://localhost/jury/"})
    assert response.status_code == 401 and "HX-Redirect" in response.headers


def test_a_grid_left_open_all_day_keeps_working(web, app):
    """16 hours from login whatever happens, no idle limit; polling shows as activity."""
    user = make_user(JUROR)
    web.login(user)
    row = sessions_of(user)[0]
    assert row.expires_at - row.created_at == timedelta(hours=16)
    now = utcnow()
    row.created_at, row.last_seen_at = now - timedelta(hours=15), now - timedelta(hours=10)
    row.expires_at = row.created_at + timedelta(hours=16)
    db.session.commit()
    assert web.get("/jury/", htmx=True).status_code == 200  # the page's polling
    db.session.refresh(row)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    assert row.revoked_at is None


def test_deactivated_account_opens_nothing(web, app):
    user = make_user(JUROR)
    web.login(user)
    user.active = False
    db.session.commit()
    assert web.get("/compte").status_code == 302


# --- Mon compte's list ---------------------------------------------------------------------

def test_account_lists_the_live_sessions(app):
    user = make_user(ORGANISER)
    here = browser(app, user, FIREFOX, "192.0.2.10")
    browser(app, user, CHROME, "198.51.100.7")
    ended = browser(app, user, SAFARI, "203.0.113.9")
    assert ended.post("/deconnexion").status_code == 302
    page = here.get("/compte")
    text = shown(page)
    assert page.status_code == 200
    assert "Firefox 128 sur Linux" in text and "192.0.2.10" in text
    assert "Chrome 120 sur Windows" in text and "198.51.100.7" in text
    assert "203.0.113.9" not in text  # logged out: not listed
    assert text.index("Firefox 128") < text.index("badge\">cette session") < text.index("Chrome 120")
    assert text.count('<span class="badge">cette session</span>') == 1
    assert text.count(">Déconnecter cette session</button>") == 1
    assert "Déconnecter toutes les autres" in text


def test_alone_no_button_to_end_others(web, app):
    web.login(make_user(JUROR))
    text = shown(web.get("/compte"))
    assert '<span class="badge">cette session</span>' in text
    assert "Déconnecter toutes les autres" not in text
    assert ">Déconnecter cette session</button>" not in text


# --- Ending sessions from Mon compte -------------------------------------------------------

def test_end_one_session_from_another(app):
    user = make_user(JUROR)
    here, there = browser(app, user, FIREFOX), browser(app, user, CHROME)
    mine, theirs = sessions_of(user)
    response = here.post(f"/compte/sessions/{theirs.id}/deconnecter")
    assert response.status_code == 303 and response.headers["Location"] == "/compte#sessions"
    assert "Session déconnectée." in shown(here.get("/compte"))
    assert there.get("/compte").status_code == 302
    assert here.get("/compte").status_code == 200
    db.session.refresh(theirs)
    assert theirs.revoked_reason == "revoked" and mine.revoked_at is None
    entry = audit("session.revoke")[-1]
    assert entry.actor_id == user.id and entry.entity_id == theirs.id
    assert entry.details["device"] == "Chrome 120 sur Windows"
    again = here.post(f"/compte/sessions/{theirs.id}/deconnecter")
    assert again.status_code == 303 and "déjà terminée" in shown(here.get("/compte"))
    assert len(audit("session.revoke")) == 1


def test_end_one_session_with_htmx_swaps_the_section(app):
    user = make_user(JUROR)
    here, there = browser(app, user, FIREFOX), browser(app, user, CHROME)
    theirs = sessions_of(user)[1]
    response = here.post(f"/compte/sessions/{theirs.id}/deconnecter", htmx=True)
    assert response.status_code == 200
    text = shown(response)
    assert text.lstrip().startswith('<section class="card" id="sessions"')
    assert "<html" not in text
    assert "Session déconnectée." in text and "Chrome 120" not in text
    assert there.get("/compte").status_code == 302


def test_nobody_ends_another_accounts_session(app):
    user, other = make_user(JUROR), make_user(JUROR)
    here = browser(app, user)
    browser(app, other)
    mine, = sessions_of(user)
    theirs, = sessions_of(other)
    for session_id in (theirs.id, theirs.id + 1000):
        response = here.post(f"/compte/sessions/{session_id}/deconnecter")
        assert response.status_code == 404 and "Cette session est introuvable." in shown(response)
    htmx = here.post(f"/compte/sessions/{theirs.id}/deconnecter", htmx=True)
    assert htmx.status_code == 404 and htmx.mimetype == "text/plain"
    current = here.post(f"/compte/sessions/{mine.id}/deconnecter")
    assert current.status_code == 409 and "Déconnexion" in shown(current)
    db.session.refresh(theirs)
    db.session.refresh(mine)
    assert theirs.revoked_at is None and mine.revoked_at is None
    assert audit("session.revoke") == []


def test_end_every_other_session_keeps_this_one(app):
    user = make_user(JUROR)
    here, second, third = (browser(app, user, agent) for agent in (FIREFOX, CHROME, SAFARI))
    response = here.post("/compte/sessions/deconnecter-les-autres")
    assert response.status_code == 303
    assert "2 autres sessions déconnectées." in shown(here.get("/compte"))
    assert second.get("/compte").status_code == 302 and third.get("/compte").status_code == 302
    assert here.get("/jury/").status_code == 200
    assert [row.revoked_reason for row in sessions_of(user)] == [None, "others", "others"]
    entry = audit("session.revoke_others")[-1]
    assert entry.actor_id == user.id and entry.details["sessions_ended"] == 2
    fragment = here.post("/compte/sessions/deconnecter-les-autres", htmx=True)
    assert fragment.status_code == 200 and "Aucune autre session" in shown(fragment)
    assert "<html" not in fragment.text


def test_session_buttons_need_csrf(app):
    user = make_user(JUROR)
    here = browser(app, user)
    browser(app, user)
    theirs = sessions_of(user)[1]
    assert here.post(f"/compte/sessions/{theirs.id}/deconnecter", csrf=False).status_code == 400
    assert here.post(f"/compte/sessions/{theirs.id}/deconnecter", htmx=True,
                     csrf=False).status_code == 400
    assert here.post("/compte/sessions/deconnecter-les-autres", csrf=False).status_code == 400
    db.session.refresh(theirs)
    assert theirs.revoked_at is None
