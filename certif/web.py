"""Request plumbing shared by every blueprint: roles, htmx fragments, errors, filters.

Every page works without JavaScript; htmx only saves a reload. A view answers in one of
these shapes, and no other:

- **Fragment or whole page.** A route that htmx also calls answers the fragment to an htmx
  request (`is_htmx()`: the HX-Request header; a history restore still gets the page) and
  the whole page otherwise, from the same template: the page includes the partial
  (`templates/<area>/_name.html`) that htmx gets alone, so both show the same markup.
- **After a write.** A plain form post ends with a 303 to the page that shows the result
  (post/redirect/get); `redirect_after_write` sends htmx an HX-Redirect instead. An htmx
  save that only changes part of the page answers that part (a fragment, as above).
- **Errors.** `error_response`: the message alone as text/plain for htmx (the page shows it
  where the user acted), a whole French error page otherwise; a `ServiceError` raised by a
  service becomes one of these with its status.
- **Out-of-band updates.** A piece of a page that an htmx answer also refreshes elsewhere is
  a macro with an `oob=false` parameter (`templates/<area>/_macros.html`): the page calls it,
  the htmx answer calls it again with `oob=true`, which adds `data-hx-swap-oob` to its root
  element. Never an `{% include %}` inside `{% with oob=true %}`. htmx attributes are always
  written `data-hx-*` (valid HTML, which htmx reads as well as `hx-*`).
"""
from __future__ import annotations

import secrets
from decimal import Decimal
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InternalError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .errors import ServiceError, TooManyRequests
from .extensions import db, login_manager
from .people import of
from .throttling.services import retry_after_seconds
from .timeutil import french_date, french_datetime, french_time, french_timestamp

HTMX_VERSION = "2.0.11"
HTMX_CDN_HOST = "https://cdn.jsdelivr.net"
HTMX_CDN_URL = f"{HTMX_CDN_HOST}/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"


# Pages that are a candidate's own (signed links), never cached even without a login.
PRIVATE_PREFIXES = ("/c/", "/emargement", "/mot-de-passe/", "/verifier-certificat")
# Forms meant for visitors who are not logged in: a refused CSRF token there is not an
# expired session, so it gets the 400 page ("reload the page") rather than the login form.
MSG_SESSION_ENDED = ("Votre session a pris fin (déconnexion, mot de passe changé, session fermée "
                     "ou durée dépassée) : reconnectez-vous.")
PUBLIC_FORMS = {"auth.login", "passwords.choose", "passwords.forgot", "twofactor.verify"}


class IdConverter(IntegerConverter):
    """`<id:…>`: a positive database id that fits the INTEGER columns (else 404, not 500)."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)


def safe_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: never redirect to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return None
    return target


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email or a PDF: from CERTIF_BASE_URL, never from the request's
    Host header (which a client chooses); development without it uses the request."""
    base = current_app.config.get("BASE_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or "http://127.0.0.1:5000")
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                       url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def retry_headers(exc: ServiceError) -> dict:
    """Retry-After for a 429 (when the client may try again); nothing for other errors."""
    if isinstance(exc, TooManyRequests):
        return {"Retry-After": str(retry_after_seconds(exc))}
    return {}


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def role_required(*roles: str):
    """Login, then one of `roles`; a logged-in user without it gets 403."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                return error_response(403, "Vous n'avez pas accès à cette page.")
            return view(*args, **kwargs)
        return wrapped
    return decorator


def redirect_after_write(target: str):
    """After a write that changes the page: htmx follows HX-Redirect, a form a 303."""
    if is_htmx():
        return "", 204, {"HX-Redirect": target}
    return redirect(target, 303)


def error_response(status: int, message: str):
    """The message alone for htmx (shown where the user acted), a whole page otherwise."""
    if is_htmx():
        response = make_response(message, status)
        response.mimetype = "text/plain"
        return response
    return render_template("errors/error.html", status=status, message=message), status


MSG_CANDIDATE_FORM_EXPIRED = "Le formulaire a expiré : rechargez la page puis recommencez."


def candidate_pages(bp) -> None:
    """What every blueprint of pages reached through a candidate's link answers (no account):
    the token is in the URL, so no referrer leaks it and no cache keeps the page; a refusal is
    the candidate's own error page, without the staff's links."""
    @bp.after_request
    def private_headers(response):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @bp.errorhandler(ServiceError)
    def candidate_error(exc: ServiceError):
        db.session.rollback()
        return (render_template("portal/error.html", status=exc.status, message=exc.message),
                exc.status, retry_headers(exc))

    @bp.errorhandler(CSRFError)
    def candidate_csrf_error(exc: CSRFError):
        return render_template("portal/error.html", status=400,
                               message=MSG_CANDIDATE_FORM_EXPIRED), 400


def fr_number(value, places: int = 2) -> str:
    if value is None:
        return "–"
    text = f"{Decimal(value):.{places}f}".replace(".", ",")
    return text


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    if app.config["PROXY_FIX_HOPS"]:
        # Behind a reverse proxy: the client's address and scheme from X-Forwarded-*.
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"

    @login_manager.unauthorized_handler
    def unauthorized():
        if is_htmx():
            # Session over during an action: send the whole page to the login form,
            # say the action was not saved, and come back to the page afterwards.
            current = request.headers.get("HX-Current-URL", "")
            parts = urlsplit(current)
            back = safe_path(parts.path + (f"?{parts.query}" if parts.query else ""))
            if request.method != "GET":
                flash("Votre session a expiré : votre dernière action n'a pas été "
                      "enregistrée. Reconnectez-vous puis recommencez-la.", "error")
            response = make_response("Votre session a expiré : reconnectez-vous.", 401)
            response.headers["HX-Redirect"] = url_for("auth.login", next=back)
            return response
        if g.get("session_ended"):
            flash(MSG_SESSION_ENDED, "info")
        here = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=here))

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        db.session.rollback()
        response = make_response(error_response(exc.status, exc.message))
        response.headers.update(retry_headers(exc))
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InternalError)
    def database_unavailable(exc):
        # Read-only, full or locked database: say so in French; nothing half-written stays.
        db.session.rollback()
        # The driver's error and the SQL, never its values (a password hash, a 2FA secret…).
        app.logger.error("database unavailable: %s [SQL: %s]", getattr(exc, "orig", None) or
                         type(exc).__name__, (getattr(exc, "statement", None) or "")[:300])
        return error_response(503, "La base de données est momentanément indisponible : "
                                   "votre action n'a pas été enregistrée. Réessayez dans "
                                   "quelques minutes ou prévenez l'administrateur.")

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if not current_user.is_authenticated and request.endpoint not in PUBLIC_FORMS:
            # The session (and its token) expired: say so, and go to the login form.
            return login_manager.unauthorized()
        return error_response(400, "Jeton de sécurité absent ou invalide : rechargez la page "
                                   "puis recommencez.")

    messages = {
        400: "Requête invalide.",
        403: "Vous n'avez pas accès à cette page.",
        404: "Page introuvable.",
        405: "Méthode non autorisée.",
        410: "Ce lien a expiré.",
        413: "Fichier trop volumineux : l'envoi dépasse la taille autorisée.",
        500: "Erreur interne : l'action n'a pas été enregistrée. Réessayez.",
    }
    for status, message in messages.items():
        app.register_error_handler(status, lambda exc, s=status, m=message: error_response(s, m))

    @app.before_request
    def csp_nonce():
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.before_request
    def refuse_nul_bytes():
        # No text column accepts NUL (PostgreSQL refuses it): answer 400, not 500.
        texts = [v for values in (request.args, request.form) for _, vs in values.lists() for v in vs]
        texts += [f.filename or "" for _, fs in request.files.lists() for f in fs]
        if any("\x00" in v for v in texts):
            return error_response(400, "Caractère invalide dans la requête.")
        return None

    @app.after_request
    def headers(response):
        nonce = g.get("csp_nonce", "")
        response.headers.setdefault("Content-Security-Policy", (
            f"default-src 'self'; script-src 'self' {HTMX_CDN_HOST} 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # A candidate's link carries its token in the path: never send it as a referrer
        # (routing errors under /c/ included, which the portal's own hook does not see).
        referrer = "no-referrer" if request.path.startswith("/c/") else "same-origin"
        response.headers.setdefault("Referrer-Policy", referrer)
        response.vary.add("HX-Request")
        if g.get("login_session") is not None or request.path.startswith(PRIVATE_PREFIXES):
            # Logged-in pages and candidates' pages hold personal data: no cache keeps them
            # (a page's own "private, no-store" stays as it is).
            if "no-store" not in response.headers.get("Cache-Control", ""):
                response.headers["Cache-Control"] = "no-store"
        if app.config["ENV_NAME"] == "production":
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        return response

    # Helpers of the domains (labels, signatures' images) are added by the app factory.
    app.jinja_env.globals.update(external_url=external_url)
    app.jinja_env.filters.update(
        fr_date=french_date, fr_time=french_time, fr_datetime=french_datetime,
        fr_timestamp=french_timestamp, fr_number=fr_number, of=of)

    @app.context_processor
    def globals_():
        return {"htmx_cdn_url": HTMX_CDN_URL, "htmx_sri": HTMX_SRI, "htmx_version": HTMX_VERSION,
                "csp_nonce": g.get("csp_nonce", ""),
                "organisation": app.config["ORGANISATION_NAME"]}
