"""Views of the examday domain."""
from flask import Blueprint

bp = Blueprint("examday", __name__)
