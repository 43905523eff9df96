"""Quality indicators per certification and per session: charts (SVG) and CSV."""
from flask import Blueprint

bp = Blueprint("indicators", __name__, url_prefix="/conseil/indicateurs")
