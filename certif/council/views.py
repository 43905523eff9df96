"""The council's pages: its home, the inbox of sheets, a sheet's review (opinion, corrective
actions, closing), the actions followed to verified."""
from flask import Blueprint, render_template

from ..auth.models import COUNCIL, ORGANISER
from ..web import role_required

bp = Blueprint("council", __name__, url_prefix="/conseil")


@bp.get("/")
@role_required(COUNCIL, ORGANISER)
def index():
    return render_template("council/index.html")
