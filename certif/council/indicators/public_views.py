"""The public results page (no login, no personal data): what the organisation publishes for
Qualiopi indicator 3. Turned off by `PUBLISH_RESULTS = False`: then it answers 404."""
from flask import Blueprint, abort, current_app, render_template

from ... import timeutil
from . import queries
from .export import percent_fr
from .publication import published_rows

bp = Blueprint("results", __name__)


@bp.get("/resultats-certification")
def page():
    config = current_app.config
    if not config.get("PUBLISH_RESULTS", True):
        abort(404)
    minimum = max(int(config.get("PUBLISH_RESULTS_MIN_CANDIDATES", 5)), 1)
    today = timeutil.paris_today()
    rows = published_rows(queries.load(today=today), minimum)
    return render_template("council/indicators/public.html", rows=rows, minimum=minimum,
                           today=today, percent_fr=percent_fr)
