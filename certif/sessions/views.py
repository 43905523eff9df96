"""The organiser's sessions: list, create/edit/cancel, status, juries and slots.

Organisers manage; council members read the list and the session page (no
actions, 403 on writes); jurors have their own screens. Reordering and placing
a candidate answer htmx with the jury's fragment and a plain post with a redirect.
"""
from flask import Blueprint, current_app, flash, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..auth.models import COUNCIL, ORGANISER
from ..errors import Conflict, InvalidInput
from ..timeutil import french_time
from ..web import is_htmx, redirect_after_write, role_required
from . import juries, lifecycle, picker, presenters, queries, services, slots
from .forms import CancelForm, JuryForm, SessionForm, int_or_none
from .models import CANCELLED, SESSION_STATUSES
from .queries import sessions_overview

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


@bp.get("/")
@role_required(ORGANISER, COUNCIL)
def index():
    return render_template("sessions/index.html", sessions=sessions_overview())


# --- Create, show, edit, cancel, status ---------------------------------------------------

@bp.route("/nouvelle", methods=["GET", "POST"])
@role_required(ORGANISER)
def new():
    form = SessionForm()
    form.referential_id.choices = _referential_choices()
    if form.validate_on_submit():
        try:
            session = services.create_session(current_user, form.fields())
        except (InvalidInput, Conflict) as exc:
            return _session_form(form, None, exc)
        flash(f"Session n° {session.number} créée. Ajoutez-lui maintenant un jury.", "info")
        return redirect_after_write(url_for(".show", session_id=session.id))
    return _session_form(form, None)


@bp.get("/<id:session_id>")
@role_required(ORGANISER, COUNCIL)
def show(session_id: int):
    page = presenters.session_page(queries.session_for_page(session_id))
    return render_template("sessions/show.html", **_page_context(page))


@bp.route("/<id:session_id>/modifier", methods=["GET", "POST"])
@role_required(ORGANISER)
def edit(session_id: int):
    session = queries.get_session(session_id)
    locked = services.edit_locked_reason(session)
    if locked:
        raise Conflict(locked)
    form = SessionForm() if request.method == "POST" else SessionForm.for_session(session)
    referential_locked = services.referential_locked_reason(session)
    if referential_locked:
        del form.referential_id  # shown as text: the pinned version stays
    else:
        form.referential_id.choices = _referential_choices(session.referential)
    if form.validate_on_submit():
        pinned = session.referential_id if referential_locked else None
        try:
            services.update_session(current_user, session.id, form.fields(pinned))
        except (InvalidInput, Conflict) as exc:
            return _session_form(form, session, exc, referential_locked=referential_locked)
        flash("Session modifiée.", "info")
        return redirect_after_write(url_for(".show", session_id=session.id))
    return _session_form(form, session, referential_locked=referential_locked)


@bp.route("/<id:session_id>/annulation", methods=["GET", "POST"])
@role_required(ORGANISER)
def cancel(session_id: int):
    session = queries.get_session(session_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_session(current_user, session.id, form.reason.data)
        except InvalidInput as exc:
            _attach(form, exc)
            return _cancel_page(form, session, 400)
        except Conflict as exc:  # e.g. candidates still to sit: the page lists them
            return _cancel_page(form, queries.get_session(session_id), exc.status, exc.message)
        flash(f"Session n° {session.number} annulée.", "info")
        return redirect_after_write(url_for(".show", session_id=session.id))
    return _cancel_page(form, session, 400 if form.errors else 200)


def _cancel_page(form, session, status: int, problem: str | None = None):
    problem = problem or lifecycle.cancel_problem(session)
    waiting = queries.active_exams(session) if session.status != CANCELLED else []
    return render_template("sessions/cancel.html", form=form, session=session, problem=problem,
                           waiting=waiting), status


@bp.post("/<id:session_id>/statut")
@role_required(ORGANISER)
def advance(session_id: int):
    session = lifecycle.advance_session(current_user, session_id, request.form.get("target"))
    flash(f"La session est maintenant « {session.status_label.lower()} ».", "info")
    return redirect_after_write(url_for(".show", session_id=session.id))


# --- Juries ----------------------------------------------------------------------------

@bp.route("/<id:session_id>/jurys", methods=["GET", "POST"])
@role_required(ORGANISER)
def add_jury(session_id: int):
    session = queries.get_session(session_id)
    form = _jury_form(JuryForm(), session)
    if form.validate_on_submit():
        try:
            jury = juries.add_jury(current_user, session.id, form.choice())
        except (InvalidInput, Conflict) as exc:
            return _jury_page(form, session, None, exc)
        flash(f"{jury.label} ajouté : placez-y maintenant des candidats.", "info")
        return redirect_after_write(url_for(".show", session_id=session.id,
                                            _anchor=f"jury-{jury.id}"))
    return _jury_page(form, session, None)


@bp.route("/jurys/<id:jury_id>", methods=["GET", "POST"])
@role_required(ORGANISER)
def edit_jury(jury_id: int):
    jury = queries.get_jury(jury_id)
    form = _jury_form(JuryForm() if request.method == "POST" else JuryForm.for_jury(jury), jury.session)
    if form.validate_on_submit():
        try:
            juries.edit_jury(current_user, jury.id, form.choice())
        except (InvalidInput, Conflict) as exc:
            return _jury_page(form, jury.session, jury, exc)
        flash(f"{jury.label} modifié.", "info")
        return redirect_after_write(url_for(".show", session_id=jury.session_id,
                                            _anchor=f"jury-{jury.id}"))
    return _jury_page(form, jury.session, jury)


@bp.post("/jurys/<id:jury_id>/suppression")
@role_required(ORGANISER)
def delete_jury(jury_id: int):
    label = queries.get_jury(jury_id).label
    session = juries.delete_jury(current_user, jury_id)
    flash(f"{label} supprimé.", "info")
    return redirect_after_write(url_for(".show", session_id=session.id))


# --- Candidates in slots ----------------------------------------------------------------

@bp.post("/jurys/<id:jury_id>/candidats")
@role_required(ORGANISER)
def assign(jury_id: int):
    placement = slots.assign_candidate(current_user, jury_id,
                                          int_or_none(request.form.get("candidate_id")))
    exam = placement.exam
    message = (f"{exam.candidate.full_name} placé dans le {exam.jury.label} à "
               f"{french_time(exam.starts_at)}.")
    return _after_slot_change(exam.jury.session_id, exam.jury_id, message, placement.warning)


@bp.post("/examens/<id:exam_id>/ordre")
@role_required(ORGANISER)
def move_slot(exam_id: int):
    exam = slots.move_slot(current_user, exam_id, request.form.get("direction"))
    message = f"{exam.candidate.full_name} passe maintenant à {french_time(exam.starts_at)}."
    return _after_slot_change(exam.jury.session_id, exam.jury_id, message)


@bp.post("/examens/<id:exam_id>/jury")
@role_required(ORGANISER)
def change_jury(exam_id: int):
    exam = slots.change_jury(current_user, exam_id, int_or_none(request.form.get("jury_id")))
    flash(f"{exam.candidate.full_name} est confié au {exam.jury.label}, à "
          f"{french_time(exam.starts_at)}. Envoyez-lui sa nouvelle convocation.", "info")
    return redirect_after_write(url_for(".show", session_id=exam.jury.session_id,
                                        _anchor=f"jury-{exam.jury_id}"))


@bp.post("/examens/<id:exam_id>/retrait")
@role_required(ORGANISER)
def unassign(exam_id: int):
    name = queries.get_exam(exam_id).candidate.full_name
    jury = slots.unassign(current_user, exam_id)
    flash(f"{name} est retiré du {jury.label}.", "info")
    return redirect_after_write(url_for(".show", session_id=jury.session_id,
                                        _anchor=f"jury-{jury.id}"))


# --- Helpers ------------------------------------------------------------------------------

def _referential_choices(current=None) -> list[SelectChoice]:
    referentials = queries.latest_referentials()
    choices = [SelectChoice("", "— Choisir —")]
    choices += [SelectChoice(r.id, f"{r.code} (version {r.version}) : {r.title}")
                for r in referentials]
    if current is not None and current.id not in {r.id for r in referentials}:
        choices.insert(1, SelectChoice(current.id, f"{current.code} (version {current.version}, "
                                                   f"conservée) : {current.title}"))
    return choices


def _attach(form, exc) -> None:
    """Show a service's refusal beside its field, or above the form."""
    name = getattr(exc, "field", None)
    if name and name in form:
        form[name].errors = [*form[name].errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def _session_form(form, session, exc=None, *, referential_locked=None):
    if exc is not None:
        _attach(form, exc)
    status = exc.status if exc is not None else (400 if form.errors else 200)
    return render_template("sessions/session_form.html", form=form, session=session,
                           referential_locked=referential_locked), status


def _jury_form(form: JuryForm, session) -> JuryForm:
    """The jury form, its jurors marked for the session's certification."""
    jurors = juries.juror_choices()
    form.set_jurors(jurors, juries.habilitation_problems(jurors, session.referential))
    return form


def _jury_page(form, session, jury, exc=None):
    if exc is not None:
        _attach(form, exc)
    status = exc.status if exc is not None else (400 if form.errors else 200)
    return render_template("sessions/jury_form.html", form=form, session=session,
                           jury=jury), status


def _page_context(page: presenters.SessionPage) -> dict:
    manage = current_user.has_role(ORGANISER)
    context = dict(page=page, session=page.session, can_manage=manage, statuses=SESSION_STATUSES,
                   candidates=[], jury_form=None, candidate_arg=_candidate_page_arg())
    if manage and page.preparing:
        context["candidates"] = picker.candidate_choices(page.session)
        context["jury_form"] = _jury_form(JuryForm(formdata=None), page.session)
    return context


def _candidate_page_arg() -> str | None:
    """The id argument of the candidate's page, if that page exists (written alongside)."""
    try:
        rules = list(current_app.url_map.iter_rules("candidates.show"))
    except KeyError:
        return None
    arguments = sorted(rules[0].arguments) if rules else []
    return arguments[0] if len(arguments) == 1 else None


def _after_slot_change(session_id: int, jury_id: int, message: str, warning: str | None = None):
    """htmx: the jury's fragment, with the message in it; a form post: back to the page."""
    if is_htmx():
        page = presenters.session_page(queries.session_for_page(session_id))
        return render_template("sessions/_jury_changed.html", view=page.jury(jury_id), notice=message,
                               warning=warning, **_page_context(page))
    flash(message, "info")
    if warning:
        flash(warning, "warning")
    return redirect_after_write(url_for(".show", session_id=session_id, _anchor=f"jury-{jury_id}"))
