from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/c")
