"""Public password pages: choose a password through a single-use link, ask for a reset link.

Both are deliberately public: the link itself (a random token) is the credential, and the
reset form answers the same page, in the same time, whether the address has an account.
"""
import time

from flask import Blueprint, flash, redirect, render_template, url_for
from flask import session as cookie
from flask_login import current_user, logout_user

from ..errors import TooManyRequests
from ..throttling.services import retry_after_seconds
from . import passwords
from .forms import ChoosePasswordForm, ForgotPasswordForm

bp = Blueprint("passwords", __name__)

MSG_CHOSEN = "Mot de passe enregistré : connectez-vous."


@bp.after_request
def no_referrer(response):
    # The link's token is in the page's address: no other site may receive it as a referrer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def show_errors(form, errors: dict[str, list[str]]) -> None:
    """The service's French messages under their fields."""
    for name, messages in errors.items():
        field = getattr(form, name)
        field.errors = [*field.errors, *messages]


@bp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
def choose(token: str):
    try:
        link = passwords.link_account(token)
    except passwords.LinkUnusable as exc:
        return link_problem(exc)
    form = ChoosePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = passwords.choose_password(token, form.new_password.data, form.confirmation.data)
        except passwords.LinkUnusable as exc:  # used meanwhile by another submission
            return link_problem(exc)
        except passwords.PasswordRejected as exc:
            show_errors(form, exc.errors)
            status = 400
        else:
            forget_ended_session(user.id)
            flash(MSG_CHOSEN, "info")
            return redirect(url_for("auth.login"), 303)
    elif form.errors:
        status = 400
    return render_template("auth/choose_password.html", form=form, account=link.user,
                           purpose=link.purpose), status


def link_problem(exc: passwords.LinkUnusable):
    return render_template("auth/link_problem.html", message=exc.message,
                           status=exc.status), exc.status


def forget_ended_session(user_id: int) -> None:
    """This browser's own session ended with the account's others: drop its cookie now, so
    that the message below survives to the login page."""
    if current_user.is_authenticated and current_user.id == user_id:
        logout_user()
        cookie.clear()


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
def forgot():
    started = time.monotonic()  # the answer's minimum duration counts from here
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.request_reset(form.email.data, started=started)
        except TooManyRequests as exc:
            flash(exc.message, "error")
            return (render_template("auth/forgot_password.html", form=form,
                                    reset_minutes=passwords.RESET_MINUTES), 429,
                    {"Retry-After": str(retry_after_seconds(exc))})
        return render_template("auth/forgot_password.html", form=form,
                                    reset_minutes=passwords.RESET_MINUTES, sent=True)
    status = 400 if form.errors else 200
    return render_template("auth/forgot_password.html", form=form,
                                    reset_minutes=passwords.RESET_MINUTES), status
