from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import TooManyRequests
from ..throttling.services import retry_after_seconds
from ..web import safe_path
from .forms import LoginForm
from .models import ROLES
from .services import LoginRefused, begin_second_factor, check_password_login, complete_login, home_endpoint
from .services import logout as end_session

bp = Blueprint("auth", __name__)


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = check_password_login(form.email.data, form.password.data)
        except LoginRefused as exc:
            flash(exc.message, "error")
            return render_template("auth/login.html", form=form), exc.status
        except TooManyRequests as exc:
            flash(exc.message, "error")
            return (render_template("auth/login.html", form=form), 429,
                    {"Retry-After": str(retry_after_seconds(exc))})
        next_path = safe_path(request.args.get("next"))
        if user.two_factor_enabled:
            begin_second_factor(user, next_path)
            return redirect(url_for("twofactor.verify"))
        complete_login(user)
        return redirect(next_path or url_for(home_endpoint(user)))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/deconnexion")
@login_required
def logout():
    end_session(current_user)
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
