"""Views of the minutes domain."""
from flask import Blueprint

bp = Blueprint("minutes", __name__)
