"""Views of the minutes domain: the jurors' page (edit, sign), the organiser's (visa), the PDFs."""
from flask import Blueprint, flash, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from ..auth.models import JUROR, ORGANISER
from ..documents.pdf import pdf_response
from ..errors import FieldError
from ..signatures.services import mark_from_form
from ..timeutil import to_paris
from ..web import redirect_after_write, role_required
from . import documents, operations
from .content import parse_time
from .inputs import MinutesFields
from .state import MinutesState, juror_state, minutes_state

bp = Blueprint("minutes", __name__)


class MinutesForm(FlaskForm):
    opened_at = StringField("Heure d'ouverture de la session")
    closed_at = StringField("Heure de clôture de la session")
    place = StringField("Lieu")
    observations = TextAreaField("Observation (si nécessaire)")


def _hhmm(value) -> str:
    return to_paris(value).strftime("%H:%M") if value else ""


def _form_for(state: MinutesState) -> MinutesForm:
    c = state.content
    return MinutesForm(formdata=None, data={
        "opened_at": _hhmm(parse_time(c["opened_at"])), "closed_at": _hhmm(parse_time(c["closed_at"])),
        "place": c["place"] or "", "observations": c["observations"] or ""})


def _juror_page(state, form=None, status=200):
    can_edit = state.is_jury_president(current_user) and not state.locked
    return render_template(
        "minutes/juror.html", state=state, c=state.content, when=parse_time,
        form=form or _form_for(state), can_edit=can_edit,
        role=state.role_of(current_user), own=state.signature_of(current_user.id),
        pdf_url=url_for(".general_pdf", session_id=state.session.id)), status


@bp.get("/jury/sessions/<id:session_id>/proces-verbal")
@role_required(JUROR)
def juror_minutes(session_id: int):
    return _juror_page(juror_state(current_user, session_id))


@bp.post("/jury/sessions/<id:session_id>/proces-verbal")
@role_required(JUROR)
def save(session_id: int):
    form = MinutesForm()
    if not form.validate():  # the CSRF token
        return _juror_page(juror_state(current_user, session_id), form, 400)
    try:
        operations.save(current_user, session_id, MinutesFields(
            form.observations.data, form.opened_at.data, form.closed_at.data, form.place.data))
    except FieldError as error:
        getattr(form, error.field).errors = [error.message]
        return _juror_page(juror_state(current_user, session_id), form, 400)
    flash("Procès-verbal enregistré.", "info")
    return redirect_after_write(url_for(".juror_minutes", session_id=session_id))


@bp.post("/jury/sessions/<id:session_id>/proces-verbal/signature")
@role_required(JUROR)
def sign(session_id: int):
    juror_state(current_user, session_id)  # 404 before reading the mark
    minutes = operations.sign(current_user, session_id, mark_from_form(request.form),
                              request.form.get("content_sha256"))
    if minutes.signed_at is not None:
        flash("Procès-verbal signé par tous les jurés : le responsable d'organisation peut "
              "apposer son visa.", "info")
    else:
        flash("Votre signature est enregistrée. Les notes de la session sont désormais "
              "verrouillées.", "info")
    return redirect_after_write(url_for(".juror_minutes", session_id=session_id))


@bp.get("/sessions/<id:session_id>/proces-verbal")
@role_required(ORGANISER)
def organiser_minutes(session_id: int):
    state = minutes_state(session_id)
    return render_template("minutes/organiser.html", state=state, c=state.content, when=parse_time)


@bp.post("/sessions/<id:session_id>/proces-verbal/visa")
@role_required(ORGANISER)
def visa(session_id: int):
    minutes_state(session_id)  # 404 for an unknown session
    operations.visa(current_user, session_id, mark_from_form(request.form),
                    request.form.get("content_sha256"))
    flash("Visa apposé : le procès-verbal est scellé et archivé.", "info")
    return redirect_after_write(url_for(".organiser_minutes", session_id=session_id))


@bp.get("/sessions/<id:session_id>/proces-verbal.pdf")
@role_required(ORGANISER, JUROR)
def general_pdf(session_id: int):
    session = documents.session_for_viewer(current_user, session_id)
    filename, data = documents.general_document(session)
    return pdf_response(data, filename)


@bp.get("/examens/<id:exam_id>/proces-verbal.pdf")
@role_required(ORGANISER, JUROR)
def individual_pdf(exam_id: int):
    exam = documents.exam_for_viewer(current_user, exam_id)
    filename, data = documents.individual_document(exam)
    return pdf_response(data, filename)


@bp.get("/examens/<id:exam_id>/grille.pdf")
@role_required(ORGANISER, JUROR)
def grid_pdf(exam_id: int):
    exam = documents.exam_for_viewer(current_user, exam_id, grid=True)
    filename, data = documents.grid_document(exam)
    return pdf_response(data, filename)
