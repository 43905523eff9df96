from flask import Blueprint

from ..auth.models import ORGANISER
from ..web import error_response, role_required

bp = Blueprint("convocations", __name__, url_prefix="/convocations")


# Placeholder so that the session page can link here while this page is written.
@bp.get("/sessions/<id:session_id>")
@role_required(ORGANISER)
def session(session_id: int):
    return error_response(404, "Page en construction.")
