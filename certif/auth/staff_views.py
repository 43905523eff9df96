"""Staff accounts (organiser): the list, a new account invited by email, an account's page
with its roles, deactivation and reactivation, and a new invitation.
"""
from flask import Blueprint, flash, render_template, request, url_for
from flask import session as cookie
from flask_login import current_user, logout_user

from ..errors import Conflict
from ..people import of
from ..web import is_htmx, redirect_after_write, role_required
from . import accounts, invitations, login_sessions
from .models import ORGANISER, ROLES
from .staff_forms import AccountForm, RolesForm

bp = Blueprint("staff", __name__, url_prefix="/comptes")

STATUSES = {"active": "Actifs", "inactive": "Désactivés", "invited": "Sans mot de passe"}


@bp.get("/")
@role_required(ORGANISER)
def index():
    query = (request.args.get("q") or "").strip()[:200]
    role = request.args.get("role") if request.args.get("role") in ROLES else ""
    status = request.args.get("statut") if request.args.get("statut") in STATUSES else ""
    rows = accounts.list_accounts(query, role, status)
    context = dict(rows=rows, query=query, role=role, status=status, statuses=STATUSES,
                   roles=ROLES, filtered=bool(query or role or status))
    # htmx asks for the list only; a history restore needs the whole page.
    if is_htmx() and not request.headers.get("HX-History-Restore-Request"):
        return render_template("auth/staff/_list.html", **context)
    return render_template("auth/staff/index.html", **context)


@bp.route("/nouveau", methods=["GET", "POST"])
@role_required(ORGANISER)
def new():
    form = AccountForm()
    if not form.validate_on_submit():
        return _new_page(form, 400 if form.is_submitted() else 200)
    try:
        user = accounts.create_account(current_user, form.email.data, form.first_name.data,
                                       form.last_name.data, form.roles.data)
    except accounts.AccountInputError as exc:
        for field, message in exc.errors.items():
            getattr(form, field).errors.append(message)
        return _new_page(form, 400)
    except Conflict as exc:
        form.email.errors.append(exc.message)
        return _new_page(form, 409)
    _flash_sent(invitations.send_invitation(user, current_user), user, created=True)
    return redirect_after_write(url_for(".show", user_id=user.id))


def _new_page(form, status):
    return render_template("auth/staff/new.html", form=form, roles=ROLES), status


@bp.get("/<id:user_id>")
@role_required(ORGANISER)
def show(user_id: int):
    return _account_page(user_id)


@bp.post("/<id:user_id>/roles")
@role_required(ORGANISER)
def roles(user_id: int):
    accounts.get_account(user_id)
    form = RolesForm()
    if not form.validate_on_submit():
        return _account_page(user_id, roles_form=form, status=400)
    try:
        user = accounts.set_roles(current_user, user_id, form.roles.data)
    except Conflict as exc:
        return _account_page(user_id, roles_form=form, error=exc.message, status=409)
    flash(f"Rôles {of(user.full_name)} : {', '.join(accounts.role_labels(user.roles))}.", "info")
    if user.id == current_user.id and not user.has_role(ORGANISER):
        return redirect_after_write(url_for("auth.home"))  # this page is no longer theirs
    return redirect_after_write(url_for(".show", user_id=user_id))


@bp.post("/<id:user_id>/desactiver")
@role_required(ORGANISER)
def deactivate(user_id: int):
    user = accounts.get_account(user_id)
    try:
        ended = accounts.deactivate(current_user, user_id)
    except Conflict as exc:
        return _account_page(user_id, error=exc.message, status=409)
    if user_id == current_user.id:
        # Their own session ended with the others: back to the login form.
        logout_user()
        cookie.clear()
        flash("Votre compte est désactivé : vous êtes déconnecté.", "info")
        return redirect_after_write(url_for("auth.login"))
    sessions = f" ; {ended} session{'s' if ended > 1 else ''} fermée{'s' if ended > 1 else ''}" \
        if ended else ""
    flash(f"Compte {of(user.full_name)} désactivé{sessions}.", "info")
    return redirect_after_write(url_for(".show", user_id=user_id))


@bp.post("/<id:user_id>/reactiver")
@role_required(ORGANISER)
def reactivate(user_id: int):
    user = accounts.reactivate(current_user, user_id)
    flash(f"Compte {of(user.full_name)} réactivé.", "info")
    return redirect_after_write(url_for(".show", user_id=user_id))


@bp.post("/<id:user_id>/invitation")
@role_required(ORGANISER)
def invite(user_id: int):
    user = accounts.get_account(user_id)
    try:
        sent = invitations.send_invitation(user, current_user)
    except Conflict as exc:
        return _account_page(user_id, error=exc.message, status=409)
    _flash_sent(sent, user, created=False)
    return redirect_after_write(url_for(".show", user_id=user_id))


def _flash_sent(mail, user, created: bool) -> None:
    done = "Compte créé. " if created else ""
    if mail.status == "sent":
        flash(f"{done}Invitation envoyée à {user.email}.", "info")
    else:
        flash(f"{done}L'invitation à {user.email} n'a pas pu être envoyée ({mail.error}) : "
              "renvoyez-la depuis cette page.", "error")


def _account_page(user_id: int, roles_form=None, error: str | None = None, status: int = 200):
    user = accounts.get_account(user_id)
    if roles_form is None:
        roles_form = RolesForm(formdata=None, data={"roles": sorted(user.roles)})
    return render_template("auth/staff/show.html", account=user, row=accounts.account_row(user),
                           error=error,
                           roles_form=roles_form, roles=ROLES,
                           live_sessions=len(login_sessions.live_sessions(user.id)),
                           role_labels=accounts.role_labels(user.roles)), status

