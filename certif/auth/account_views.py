"""*Mon compte*: change one's password, end one's other sessions.

The page itself is auth.account; its password and sessions sections read what they show
through the template globals below, so that any view rendering the page gets them.
"""
from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..errors import TooManyRequests
from ..throttling.services import retry_after_seconds
from ..web import is_htmx
from . import login_sessions, passwords
from .forms import ChangePasswordForm
from .models import ROLES
from .password_rules import MIN_LENGTH
from .password_views import show_errors

bp = Blueprint("account", __name__)

MSG_CHANGED = "Mot de passe modifié. Vos autres sessions ont été déconnectées."


def current_session_id() -> int | None:
    row = g.get("login_session")
    return row.id if row is not None else None


@bp.app_template_global()
def change_password_form() -> ChangePasswordForm:
    """An empty form for the password section (a view may pass its own, with errors)."""
    return ChangePasswordForm(formdata=None)


@bp.app_template_global()
def account_sessions() -> list:
    """The logged-in account's live sessions: this one first, then the most recently seen."""
    here = current_session_id()
    rows = login_sessions.live_sessions(current_user.id)
    return sorted(rows, key=lambda row: row.id != here)  # stable: the rest keep their order


@bp.app_template_global()
def device_label(user_agent: str | None) -> str:
    return login_sessions.device_label(user_agent)


@bp.app_template_global()
def password_min_length() -> int:
    return MIN_LENGTH


def account_page(password_form: ChangePasswordForm, status: int, headers=None):
    """Mon compte again, with the password form's errors."""
    return render_template("auth/account.html", password_form=password_form,
                           role_labels=[ROLES[r] for r in sorted(current_user.roles)]), \
        status, headers or {}


@bp.post("/compte/mot-de-passe")
@login_required
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return account_page(form, 400)
    try:
        passwords.change_password(current_user, form.current_password.data,
                                  form.new_password.data, form.confirmation.data,
                                  keep_session_id=current_session_id())
    except passwords.PasswordRejected as exc:
        show_errors(form, exc.errors)
        return account_page(form, 400)
    except TooManyRequests as exc:
        flash(exc.message, "error")
        return account_page(form, 429, {"Retry-After": str(retry_after_seconds(exc))})
    flash(MSG_CHANGED, "info")
    return redirect(url_for("auth.account"), 303)


@bp.post("/compte/sessions/<id:session_id>/deconnecter")
@login_required
def revoke_session(session_id: int):
    ended = passwords.revoke_session(current_user, session_id, current_session_id())
    return sessions_answer("Session déconnectée." if ended else "Cette session était déjà terminée.")


@bp.post("/compte/sessions/deconnecter-les-autres")
@login_required
def revoke_other_sessions():
    ended = passwords.revoke_other_sessions(current_user, current_session_id())
    if ended == 0:
        message = "Aucune autre session n'était ouverte."
    else:
        message = "Autre session déconnectée." if ended == 1 \
            else f"{ended} autres sessions déconnectées."
    return sessions_answer(message)


def sessions_answer(message: str):
    """htmx: the sessions section again, saying what happened; a form: Mon compte again."""
    if is_htmx():
        return render_template("auth/_sessions_section.html", sessions_message=message)
    flash(message, "info")
    return redirect(url_for("auth.account", _anchor="sessions"), 303)
