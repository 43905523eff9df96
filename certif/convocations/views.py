from flask import Blueprint

bp = Blueprint("convocations", __name__, url_prefix="/convocations")
