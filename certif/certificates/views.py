"""Views of the certificates domain."""
from flask import Blueprint

bp = Blueprint("certificates", __name__)
