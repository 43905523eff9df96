"""Request plumbing shared by every blueprint: roles, htmx fragments, errors, filters."""
from __future__ import annotations

from decimal import Decimal
from functools import wraps

from flask import Flask, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from .errors import ServiceError
from .extensions import db, login_manager
from .timeutil import french_date, french_datetime, french_time

HTMX_VERSION = "2.0.11"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"


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


def fr_number(value, places: int = 2) -> str:
    if value is None:
        return "–"
    text = f"{Decimal(value):.{places}f}".replace(".", ",")
    return text


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        from .auth.models import User
        return db.session.get(User, int(user_id))

    @login_manager.unauthorized_handler
    def unauthorized():
        here = request.full_path.rstrip("?") if request.method == "GET" else None
        target = url_for("auth.login", next=here)
        if is_htmx():
            # Session over: send the whole page to the login form.
            response = make_response("Votre session a expiré : reconnectez-vous.", 401)
            response.headers["HX-Redirect"] = target
            return response
        return redirect(target)

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        db.session.rollback()
        return error_response(exc.status, exc.message)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(400, "Jeton de sécurité absent ou invalide : rechargez la page "
                                   "puis recommencez.")

    messages = {
        400: "Requête invalide.",
        403: "Vous n'avez pas accès à cette page.",
        404: "Page introuvable.",
        405: "Méthode non autorisée.",
        500: "Erreur interne : l'action n'a pas été enregistrée. Réessayez.",
    }
    for status, message in messages.items():
        app.register_error_handler(status, lambda exc, s=status, m=message: error_response(s, m))

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.vary.add("HX-Request")
        return response

    from .grading.presenters import decision_label, mark_label, status_label
    app.jinja_env.globals.update(
        decision_label=decision_label, status_label=status_label, mark_label=mark_label)
    app.jinja_env.filters.update(
        fr_date=french_date, fr_time=french_time, fr_datetime=french_datetime, fr_number=fr_number)

    @app.context_processor
    def globals_():
        return {"htmx_cdn_url": HTMX_CDN_URL, "htmx_sri": HTMX_SRI, "htmx_version": HTMX_VERSION,
                "organisation": app.config["ORGANISATION_NAME"]}
