from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..audit.services import record
from ..database import write_transaction
from ..web import safe_path
from .forms import LoginForm
from .models import ROLES
from .services import authenticate, home_endpoint

bp = Blueprint("auth", __name__)


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            flash("Adresse e-mail ou mot de passe incorrect.", "error")
            return render_template("auth/login.html", form=form), 401
        session.permanent = True  # lasts the exam day (PERMANENT_SESSION_LIFETIME)
        login_user(user)
        with write_transaction():
            record(user, "user.login", "user", user.id)
        return redirect(safe_path(request.args.get("next")) or url_for(home_endpoint(user)))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/deconnexion")
@login_required
def logout():
    logout_user()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/")
@login_required
def home():
    return redirect(url_for(home_endpoint(current_user)))


@bp.get("/compte")
@login_required
def account():
    return render_template("auth/account.html", role_labels=[ROLES[r] for r in sorted(current_user.roles)])
