"""Anomaly sheets (annex 3): filed by a juror (a session they sit) or the organiser; read by
the council. The candidate's form is on their portal (certif/portal/views.py)."""
from flask import Blueprint

bp = Blueprint("anomalies", __name__, url_prefix="/anomalies")
