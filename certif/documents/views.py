"""Verification page for sealed PDFs and candidate archives."""
from flask import Blueprint

bp = Blueprint("documents", __name__)
