from flask import Blueprint

bp = Blueprint("jurors", __name__, url_prefix="/jures")
