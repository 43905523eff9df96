"""Exceptions to the plan: juror absence (carence), candidate absence, retakes, appeals."""
from flask import Blueprint

from ..auth.models import ORGANISER
from ..web import error_response, role_required

bp = Blueprint("exceptions", __name__, url_prefix="/sessions")


# Placeholders so that other screens can link here while these pages are written.
@bp.get("/examens/<id:exam_id>")
@role_required(ORGANISER)
def exam(exam_id: int):
    return error_response(404, "Page en construction.")


@bp.route("/jurys/<id:jury_id>/carence", methods=["GET", "POST"])
@role_required(ORGANISER)
def carence(jury_id: int):
    return error_response(404, "Page en construction.")


@bp.route("/jurys/<id:jury_id>/remplacement", methods=["GET", "POST"])
@role_required(ORGANISER)
def replacement(jury_id: int):
    return error_response(404, "Page en construction.")
