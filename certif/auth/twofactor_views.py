"""Second factor pages: the login's code step, enrolment and management on Mon compte,
an organiser's reset of another account, and the hook that leads to enrolment when the
configuration requires a second factor."""
from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask import session as cookie
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from ..errors import Conflict, ServiceError, TooManyRequests
from ..people import of
from ..throttling.services import retry_after_seconds
from ..web import redirect_after_write, role_required, safe_path
from . import twofactor
from . import twofactor_rules as rules
from .models import ORGANISER
from .services import PENDING_SECOND_FACTOR, complete_login, home_endpoint, pending_second_factor_user
from .twofactor_forms import CodeForm

bp = Blueprint("twofactor", __name__)

MSG_EXPIRED = ("Le délai de 5 minutes pour saisir le code est dépassé : saisissez à nouveau "
               "votre adresse e-mail et votre mot de passe.")
MSG_LOGIN_FIRST = "Saisissez d'abord votre adresse e-mail et votre mot de passe."

# What an account that must enrol may still reach: enrolment itself, logging out, the CSS,
# and changing its password.
ENROLMENT_EXEMPT = {"twofactor.enrol", "twofactor.restart", "twofactor.verify", "auth.logout",
                    "static", "account.change_password", "passwords.choose", "passwords.forgot"}


@bp.app_template_global()
def recovery_codes_left(user) -> int:
    return twofactor.recovery_codes_left(user)


@bp.app_template_global()
def two_factor_required(user) -> bool:
    return twofactor.required_for(user)


@bp.before_app_request
def lead_to_enrolment():
    """With REQUIRE_2FA, an organiser or council account without a second factor sees
    nothing but the enrolment page until it has one."""
    if not current_app.config.get("REQUIRE_2FA") or request.endpoint in ENROLMENT_EXEMPT \
            or request.endpoint is None:
        return None
    if not current_user.is_authenticated or not twofactor.must_enrol(current_user):
        return None
    return redirect_after_write(url_for("twofactor.enrol"))


def _refused(template: str, exc: ServiceError, **context):
    """The page again with the message: 429 (with Retry-After) once too many codes failed."""
    flash(exc.message, "error")
    response = make_response(render_template(template, **context), exc.status)
    if isinstance(exc, TooManyRequests):
        response.headers["Retry-After"] = str(retry_after_seconds(exc))
    return response


# --- Login: the code step ---------------------------------------------------------------

@bp.route("/connexion/code", methods=["GET", "POST"])
def verify():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    was_pending = PENDING_SECOND_FACTOR in cookie
    user, next_path = pending_second_factor_user()
    if user is None:
        cookie.pop(PENDING_SECOND_FACTOR, None)
        flash(MSG_EXPIRED if was_pending else MSG_LOGIN_FIRST, "error" if was_pending else "info")
        return redirect(url_for("auth.login"), 303 if request.method == "POST" else 302)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            method = twofactor.check_code(user, form.code.data)
        except TooManyRequests as exc:
            return _refused("auth/two_factor_verify.html", exc, form=form)
        except ServiceError as exc:
            form.code.errors.append(exc.message)
            return render_template("auth/two_factor_verify.html", form=form), exc.status
        complete_login(user, method=method)
        if method == rules.RECOVERY:
            _say_codes_left(user)
        return redirect(safe_path(next_path) or url_for(home_endpoint(user)))
    status = 400 if form.errors else 200
    return render_template("auth/two_factor_verify.html", form=form), status


def _say_codes_left(user) -> None:
    left = twofactor.recovery_codes_left(user)
    if left == 0:
        flash("Vous avez utilisé votre dernier code de secours : générez-en de nouveaux dans "
              "« Mon compte » dès maintenant.", "warning")
    else:
        flash(f"Code de secours accepté : il vous en reste {left}. Chaque code ne sert qu'une "
              "fois ; pensez à en générer de nouveaux dans « Mon compte ».", "warning")


# --- Mon compte: enrolment and management -----------------------------------------------

@bp.route("/compte/double-authentification", methods=["GET", "POST"])
@login_required
def enrol():
    if current_user.two_factor_enabled:
        return _manage_page(status=409 if request.method == "POST" else 200,
                            message=twofactor.MSG_ALREADY if request.method == "POST" else None)
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            codes = twofactor.confirm_enrolment(current_user, form.code.data)
        except ServiceError as exc:
            form.code.errors.append(exc.message)
            status = exc.status
        else:
            flash("Double authentification activée : votre application vous sera demandée à "
                  "chaque connexion.", "info")
            return _codes_page(codes)
    elif form.errors:
        status = 400
    secret = twofactor.pending_secret(current_user)
    return render_template("auth/two_factor_enrol.html", form=form,
                           grouped_secret=rules.grouped(secret),
                           qr_code=twofactor.qr_code_data_url(current_user, secret),
                           required=twofactor.required_for(current_user)), status


@bp.post("/compte/double-authentification/nouveau-secret")
@login_required
def restart():
    twofactor.new_pending_secret(current_user)
    flash("Nouveau QR code créé : l'ancien ne fonctionnera pas. Supprimez-le de votre "
          "application s'il y a été ajouté.", "info")
    return redirect_after_write(url_for(".enrol"))


@bp.post("/compte/double-authentification/codes-de-secours")
@login_required
def regenerate():
    form = CodeForm()
    if not form.validate_on_submit():
        return _manage_page(errors={"regenerate": _first_error(form)}, status=400)
    try:
        codes = twofactor.regenerate_recovery_codes(current_user, form.code.data)
    except TooManyRequests as exc:
        return _refused("auth/two_factor_manage.html", exc, tf_errors={})
    except Conflict as exc:  # no second factor: the form is not even shown
        return _manage_page(status=exc.status, message=exc.message)
    except ServiceError as exc:
        return _manage_page(errors={"regenerate": exc.message}, status=exc.status)
    flash("Nouveaux codes de secours créés : les anciens ne fonctionnent plus.", "info")
    return _codes_page(codes)


@bp.post("/compte/double-authentification/desactiver")
@login_required
def disable():
    form = CodeForm()
    if not form.validate_on_submit():
        return _manage_page(errors={"disable": _first_error(form)}, status=400)
    try:
        twofactor.disable(current_user, form.code.data)
    except TooManyRequests as exc:
        return _refused("auth/two_factor_manage.html", exc, tf_errors={})
    except Conflict as exc:  # required for this role, or none: the form is not even shown
        return _manage_page(status=exc.status, message=exc.message)
    except ServiceError as exc:
        return _manage_page(errors={"disable": exc.message}, status=exc.status)
    flash("Double authentification désactivée : votre mot de passe suffit désormais pour "
          "vous connecter.", "info")
    return redirect_after_write(url_for("auth.account"))


def _first_error(form: CodeForm) -> str:
    return next(iter(form.code.errors or ["Jeton de sécurité absent ou invalide : rechargez la "
                                          "page puis recommencez."]))


def _manage_page(errors: dict | None = None, status: int = 200, message: str | None = None):
    if message:
        flash(message, "error")
    return render_template("auth/two_factor_manage.html", tf_errors=errors or {}), status


def _codes_page(codes: list[str]):
    """The recovery codes, shown on this response only: not flashed (the flash travels in
    the readable cookie), never cached."""
    response = make_response(render_template("auth/two_factor_codes.html", codes=codes))
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Organiser: reset another account's second factor ------------------------------------

@bp.post("/comptes/<id:user_id>/double-authentification/reinitialiser")
@role_required(ORGANISER)
def reset_for(user_id: int):
    user = twofactor.reset_for(current_user, user_id)
    flash(f"Double authentification {of(user.full_name)} réinitialisée : ses sessions ont été "
          "fermées et un e-mail l'en informe.", "info")
    return redirect_after_write(_account_page(user_id))


def _account_page(user_id: int) -> str:
    back = safe_path(request.form.get("next"))
    if back:
        return back
    try:
        return url_for("staff.show", user_id=user_id)
    except BuildError:  # the staff pages are not there (yet)
        return url_for("auth.home")
