"""The council's meetings: when each is due, and the record of each one held (with its PDF).

Council members record and correct meetings; the organiser reads everything (the forms
included, shown without their button) and gets 403 on a write."""
from flask import Blueprint, flash, render_template, request, url_for
from flask_login import current_user

from .. import timeutil
from ..auth.models import COUNCIL, ORGANISER
from ..documents.pdf import pdf_response
from ..errors import Forbidden
from ..sessions.forms import int_or_none
from ..timeutil import french_date
from ..web import redirect_after_write, role_required
from . import deadlines
from . import meetings as services
from .meeting_forms import MeetingForm
from .models import EXCEPTIONAL, MEETING_KINDS

bp = Blueprint("meetings", __name__, url_prefix="/conseil/reunions")

MSG_READ_ONLY = "Seuls les membres du conseil de pilotage consignent ses réunions."


@bp.get("/")
@role_required(COUNCIL, ORGANISER)
def index():
    return render_template("council/meetings/index.html", due=deadlines.due_meetings(),
                           rows=services.list_meetings(), can_write=_can_write())


@bp.route("/nouvelle", methods=["GET", "POST"])
@role_required(COUNCIL, ORGANISER)
def new():
    _refuse_readers()
    form = MeetingForm() if request.method == "POST" else _prefilled_form()
    if form.validate_on_submit():
        try:
            meeting = services.record_meeting(current_user, form.fields())
        except services.FieldError as exc:
            return _form_page(form, None, exc)
        flash(f"{meeting.kind_label} du {french_date(meeting.held_on)} consignée.", "info")
        return redirect_after_write(url_for(".show", meeting_id=meeting.id))
    return _form_page(form, None)


@bp.get("/<id:meeting_id>")
@role_required(COUNCIL, ORGANISER)
def show(meeting_id: int):
    meeting = services.get_meeting(meeting_id)
    late = services.late_sessions(meeting)
    return render_template("council/meetings/show.html", meeting=meeting,
                           sheets=services.reviewed_sheets(meeting), late=late,
                           late_ids={s.id for s, _ in late}, can_write=_can_write())


@bp.route("/<id:meeting_id>/modifier", methods=["GET", "POST"])
@role_required(COUNCIL, ORGANISER)
def edit(meeting_id: int):
    _refuse_readers()
    meeting = services.get_meeting(meeting_id)
    form = (MeetingForm() if request.method == "POST"
            else MeetingForm.for_meeting(meeting, services.review_ref))
    if form.validate_on_submit():
        try:
            services.edit_meeting(current_user, meeting.id, form.fields())
        except services.FieldError as exc:
            return _form_page(form, meeting, exc)
        flash("Compte rendu de la réunion modifié.", "info")
        return redirect_after_write(url_for(".show", meeting_id=meeting.id))
    return _form_page(form, meeting)


@bp.get("/<id:meeting_id>.pdf")
@role_required(COUNCIL, ORGANISER)
def pdf(meeting_id: int):
    meeting = services.get_meeting(meeting_id)
    return pdf_response(services.meeting_pdf(meeting), services.pdf_filename(meeting))


# --- Helpers ------------------------------------------------------------------------------

def _can_write() -> bool:
    return current_user.has_role(COUNCIL)


def _refuse_readers() -> None:
    if request.method == "POST" and not _can_write():
        raise Forbidden(MSG_READ_ONLY)


def _prefilled_form() -> MeetingForm:
    """From a due item: ?session=<id> (an exceptional meeting for it) or ?kind=annual."""
    session_id = int_or_none(request.args.get("session"))
    kind = request.args.get("kind")
    if session_id:
        return MeetingForm(formdata=None, kind=EXCEPTIONAL, session_ids=[session_id],
                           sheet_refs=[i.ref for i in services.sheet_choices(session_ids=[session_id])
                                       if i.session.id == session_id and not i.closed])
    return MeetingForm(formdata=None, kind=kind if kind in MEETING_KINDS else None)


def _form_page(form: MeetingForm, meeting, exc=None):
    if exc is not None:
        target = form[exc.field] if exc.field in form else None
        if target is not None:
            target.errors = [*target.errors, exc.message]
        else:
            form.form_errors.append(exc.message)
    status = 400 if exc is not None or form.errors else 200
    session_ids = [i for i in (form.session_ids.data or []) if i]
    return render_template(
        "council/meetings/form.html", form=form, meeting=meeting, can_write=_can_write(),
        members=services.member_choices(meeting), sessions=services.session_choices(meeting),
        sheets=services.sheet_choices(meeting, session_ids, form.sheet_refs.data or []),
        kinds=MEETING_KINDS, today=timeutil.paris_today()), status
