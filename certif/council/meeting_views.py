"""The council's meetings: when each is due, and the record of each one held (with its PDF)."""
from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/conseil/reunions")
