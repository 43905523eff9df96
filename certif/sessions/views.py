from flask import Blueprint, render_template
from flask_login import current_user

from ..auth.models import COUNCIL, ORGANISER
from ..grading.services import exam_history
from ..web import role_required
from .services import sessions_overview

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


@bp.get("/")
@role_required(ORGANISER, COUNCIL)
def index():
    return render_template("sessions/index.html", sessions=sessions_overview())


@bp.get("/examens/<id:exam_id>/historique")
@role_required(ORGANISER, COUNCIL)
def history(exam_id: int):
    exam, entries = exam_history(current_user, exam_id)
    return render_template("sessions/history.html", exam=exam, entries=entries)
