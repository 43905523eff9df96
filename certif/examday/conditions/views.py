"""Views of the exam-conditions sheet (annex 4): the jurors fill and sign it, the organiser reads it.

The juror's form saves each answer as it is given (htmx posts the whole form on every
change and gets back a short status); without JavaScript, the "Enregistrer" button
posts the same form and the page comes back with a message.
"""
from flask import Blueprint, flash, render_template, request, url_for
from flask_login import current_user

from ...auth.models import COUNCIL, JUROR, ORGANISER
from ...documents.pdf import pdf_response
from ...signatures.rules import SEEN_FIELD
from ...signatures.services import mark_from_form
from ...timeutil import utcnow
from ...web import is_htmx, redirect_after_write, role_required
from . import pages, pdf, queries, rules, writes

bp = Blueprint("conditions", __name__)


@bp.get("/jury/jurys/<id:jury_id>/conditions")
@role_required(JUROR)
def juror_sheet(jury_id: int):
    state = pages.juror_sheet(current_user, jury_id)
    return render_template("examday/conditions.html", state=state)


@bp.post("/jury/jurys/<id:jury_id>/conditions")
@role_required(JUROR)
def save_sheet(jury_id: int):
    queries.juror_jury(current_user, jury_id)  # another juror's jury: 404 before any 400
    answers = rules.parse_answers(request.form)
    observations = rules.clean_observations(request.form.get("observations"))
    writes.save_sheet(current_user, jury_id, answers, observations)
    if is_htmx():
        state = pages.juror_sheet(current_user, jury_id)
        return render_template("examday/_conditions_saved.html", saved_at=utcnow(), state=state)
    flash("Fiche des conditions d'examen enregistrée.", "info")
    return redirect_after_write(url_for(".juror_sheet", jury_id=jury_id))


@bp.post("/jury/jurys/<id:jury_id>/conditions/signature")
@role_required(JUROR)
def sign_sheet(jury_id: int):
    mark = mark_from_form(request.form)
    sheet = writes.sign_sheet(current_user, jury_id, mark,
                                seen_sha256=request.form.get(SEEN_FIELD))
    if sheet.handed_at is not None:
        flash("Fiche signée par les jurés : elle est remise au responsable d'organisation.", "info")
    else:
        flash("Votre signature est enregistrée. La fiche sera remise au responsable "
              "d'organisation dès la signature de l'autre juré.", "info")
    return redirect_after_write(url_for(".juror_sheet", jury_id=jury_id))


@bp.get("/sessions/<id:session_id>/conditions")
@role_required(ORGANISER, COUNCIL)
def session_sheets(session_id: int):
    session, states = pages.session_sheets(session_id)
    return render_template("examday/conditions_session.html", session=session, states=states)


@bp.get("/conditions/<id:sheet_id>.pdf")
@role_required(ORGANISER, COUNCIL, JUROR)
def sheet_pdf(sheet_id: int):
    sheet = queries.visible_sheet(current_user, sheet_id)
    return pdf_response(pdf.conditions_pdf(sheet), pdf.pdf_filename(sheet))
