from flask import Blueprint, render_template

from ..auth.models import ORGANISER
from ..web import role_required

bp = Blueprint("dashboard", __name__, url_prefix="/tableau-de-bord")


@bp.get("/")
@role_required(ORGANISER)
def index():
    return render_template("dashboard/index.html")
