"""The organiser's home: what is due, soonest first."""
from flask import Blueprint, current_app, render_template, url_for

from ..auth.models import ORGANISER
from ..web import role_required
from .items import DueItem
from .page import counts, due_items

bp = Blueprint("dashboard", __name__, url_prefix="/tableau-de-bord")


def item_url(item: DueItem) -> str | None:
    """The first of the item's pages that exists (some are written by other screens)."""
    for endpoint, values in item.links:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, **values)
    return None


@bp.get("/")
@role_required(ORGANISER)
def index():
    items = due_items()
    return render_template("dashboard/index.html", items=items, counts=counts(items),
                           item_url=item_url)
