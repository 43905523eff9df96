from flask import Blueprint, render_template

from ..auth.models import COUNCIL, ORGANISER
from ..web import role_required
from .services import sessions_overview

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


@bp.get("/")
@role_required(ORGANISER, COUNCIL)
def index():
    return render_template("sessions/index.html", sessions=sessions_overview())
