"""The candidate's file through their personal link (no account): the pieces to hand in, the
plan of the technical dossier, each piece's state and history, and one form per piece.

Same rules as the portal's pages (certif/portal/views.py): the token is in the URL, so every
answer says `Referrer-Policy: no-referrer` and `Cache-Control: private, no-store`; a bad link
counts against the client (the portal's limit, by its name). A refused post re-renders the
page at its own URL with the reason (400, 409); nothing is stored.
"""
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from ...auth.services import client_address
from ...candidates.dossier import rules, storage
from ...candidates.links import candidate_from_token
from ...documents.pdf import pdf_response
from ...errors import FieldError, ServiceError
from ...extensions import db
from ...throttling import services as throttling
from ...timeutil import paris_today
from ...web import candidate_pages
from . import inputs, operations

bp = Blueprint("dossier", __name__, url_prefix="/c/<token>/dossier")
# The portal's limit on bad links, shared by name (the same counter).
LINK_LIMIT = throttling.Limit("candidate-link-ip", 20, timedelta(minutes=15))
MSG_TOO_MANY_LINKS = ("Trop de liens non valides ou expirés ont été ouverts depuis votre "
                      "connexion : l'accès aux pages des candidats est suspendu.")
# A piece may be up to DOSSIER_MAX_BYTES: the request, its form fields with it, a little more.
FORM_MARGIN = 256 * 1024


def _candidate(token: str):
    with throttling.guarding(LINK_LIMIT, client_address(), MSG_TOO_MANY_LINKS, "portail"):
        return candidate_from_token(token)


@bp.url_value_preprocessor
def larger_uploads(endpoint, values):
    # URL preprocessors run before every before_request hook (CSRF and the NUL-byte check read
    # the form first): the larger limit must be set before anyone parses the body.
    request.max_content_length = int(current_app.config["DOSSIER_MAX_BYTES"]) + FORM_MARGIN


candidate_pages(bp)


@bp.errorhandler(413)
def too_large(exc):
    return render_template("portal/error.html", status=413, message=(
        f"{storage.too_big_message()} Rien n'a été enregistré.")), 413


def _page(token: str, view, *, error: FieldError | None = None, status: int = 200):
    # Past the deadline the forms give way to the reason (a post would be refused anyway).
    closed = operations.closed_message(view, paris_today())
    return render_template("dossier/candidate.html", token=token, view=view, rules=rules,
                           error=error, closed=closed, max_size=storage.max_size_label()), status


@bp.route("/<id:exam_id>", methods=["GET", "POST"])
def candidate_file(token: str, exam_id: int):
    candidate = _candidate(token)
    if request.method == "POST":
        sent = inputs.submission(request.form, request.files)
        try:
            operations.submit(candidate, exam_id, sent)
        except ServiceError as exc:
            db.session.rollback()
            view = operations.candidate_file(candidate, exam_id)
            error = exc if isinstance(exc, FieldError) else FieldError(sent.piece, exc.message)
            return _page(token, view, error=error, status=exc.status)
        flash("Pièce reçue : un accusé de réception vous est envoyé par e-mail.", "info")
        return redirect(url_for(".candidate_file", token=token, exam_id=exam_id,
                                _anchor=f"piece-{sent.piece}"), 303)
    return _page(token, operations.candidate_file(candidate, exam_id))


@bp.get("/<id:exam_id>/pieces/<id:entry_id>.pdf")
def own_piece(token: str, exam_id: int, entry_id: int):
    """A PDF the candidate handed in (any version), inline."""
    candidate = _candidate(token)
    view = operations.candidate_file(candidate, exam_id)
    entry, data = operations.open_piece(view, entry_id, None, opened_by="candidate")
    if data is None:
        raise ServiceError("Cette pièce n'est pas un fichier.")
    return pdf_response(data, entry.filename or "piece.pdf")
