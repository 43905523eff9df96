"""Views of the exam-conditions sheet (annex 4)."""
from flask import Blueprint

bp = Blueprint("conditions", __name__)
