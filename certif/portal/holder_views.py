"""The candidate's civil status page and its confirmation, through their personal link.

Same rules as the portal's other pages: `candidate_pages` (no referrer, no cache, the
candidate's own error page); a bad link counts against the client. A refused post
re-renders the page at its own URL (400 for a field, 409 after the session's day).
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..candidates import holder
from ..candidates.forms import HolderForm
from ..convocations.content import contact_email
from ..errors import Conflict
from ..extensions import db
from ..timeutil import paris_today
from ..web import candidate_pages
from . import services
from .holder import closed_message, update_from_link

bp = Blueprint("holder", __name__, url_prefix="/c/<token>/etat-civil")


@bp.before_request
def check_link():
    services.check_link((request.view_args or {}).get("token", ""))


candidate_pages(bp)


def _page(token, candidate, form, *, closed=None, status=200):
    return render_template("portal/holder.html", token=token, candidate=candidate, form=form,
                           closed=closed, summary=holder.summary(candidate)), status


@bp.route("", methods=["GET", "POST"])
def edit(token: str):
    candidate = services.check_link(token)
    form = HolderForm.for_candidate(candidate)
    closed = closed_message(candidate, paris_today(), contact_email())
    if request.method == "GET":
        return _page(token, candidate, form, closed=closed)
    if closed:
        return _page(token, candidate, form, closed=closed, status=409)
    if not form.validate_for(candidate, paris_today()):
        return _page(token, candidate, form, status=400)
    try:
        changes = update_from_link(candidate.id, form.cleaned, paris_today(), contact_email())
    except Conflict as refusal:
        db.session.rollback()
        return _page(token, candidate, form, closed=refusal.message, status=409)
    flash("Votre état civil est enregistré." if changes else "Votre état civil est confirmé.",
          "info")
    return redirect(url_for(".confirmation", token=token), 303)


@bp.get("/confirmation")
def confirmation(token: str):
    candidate = services.check_link(token)
    return render_template("portal/holder_confirmed.html", token=token, candidate=candidate,
                           summary=holder.summary(candidate),
                           closed=closed_message(candidate, paris_today(), contact_email()))
