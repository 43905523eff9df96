"""Pages of the changes to the plan: juror absence (carence), candidate absence, retakes,
appeals. The blueprint keeps its name, `exceptions`, so endpoints stay as they were.

Organiser only. Thin views: read the form, call the change's module (carence, absences,
retakes, appeals, page), render or redirect. A refused form re-renders its page with the
French reason and status 400; a state that forbids the action answers 409.
"""
from flask import Blueprint, current_app, flash, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ...auth.models import ORGANISER
from ...errors import Conflict, InvalidInput
from ...timeutil import french_date, paris_today, to_paris
from ...web import redirect_after_write, role_required
from . import absences, appeals, moves, page, retakes
from . import carence as carences  # `carence` is also the name of its view below
from .forms import (
    AbsenceForm,
    AppealDecisionForm,
    AppealForm,
    CarenceForm,
    ReplacementForm,
    RetakeRequestForm,
    TargetForm,
    choices,
)

bp = Blueprint("exceptions", __name__, url_prefix="/sessions")


def url_if_exists(endpoint: str, **values) -> str | None:
    """A link to a page written elsewhere, or None while that page does not exist."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


@bp.context_processor
def helpers():
    return {"url_if_exists": url_if_exists}


def first_error(form) -> str | None:
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return None


def session_link(session_id: int) -> str:
    return url_if_exists("sessions.show", session_id=session_id) or url_for("sessions.index")


def flash_convene(message: str, session) -> None:
    """A flash that ends with the link to send the convocations of `session`."""
    url = url_if_exists("convocations.session", session_id=session.id)
    if url:
        message = Markup("{} <a href=\"{}\">Convocations de la session n° {}</a>").format(
            message, url, session.number)
    flash(message, "info")


# --- The sitting page -----------------------------------------------------------------

def _exam_page(exam_id: int, *, status: int = 200, error: str | None = None, **forms):
    state = page.sitting(exam_id)
    forms.setdefault("absence_form", AbsenceForm(formdata=None))
    forms.setdefault("appeal_form", AppealForm(formdata=None, filed_on=state.today))
    forms.setdefault("retake_form", RetakeRequestForm(formdata=None))
    decision_forms = {a.id: AppealDecisionForm(formdata=None, decided_on=state.today)
                      for a in state.appeals if a.outcome == "pending"}
    decision_forms.update(forms.pop("decision_forms", {}))
    return render_template("sessions/changes/exam.html", s=state, exam=state.exam,
                           error=error, decision_forms=decision_forms, **forms), status


@bp.get("/examens/<id:exam_id>")
@role_required(ORGANISER)
def exam(exam_id: int):
    return _exam_page(exam_id)


@bp.post("/examens/<id:exam_id>/absence")
@role_required(ORGANISER)
def mark_absent(exam_id: int):
    form = AbsenceForm()
    if not form.validate():
        return _exam_page(exam_id, status=400, error=first_error(form), absence_form=form)
    try:
        exam = absences.mark_absent(current_user, exam_id, excused=form.excused.data == "yes",
                                       note=form.note.data)
    except InvalidInput as exc:
        return _exam_page(exam_id, status=400, error=exc.message, absence_form=form)
    flash(f"Absence enregistrée ({exam.status_label.lower()}). Vous pouvez reporter le "
          "candidat sur une autre session.", "info")
    return redirect_after_write(url_for(".exam", exam_id=exam_id))


# --- Moving a sitting to another session ----------------------------------------------

def _targets_page(exam_id: int, form: TargetForm, *, retake: bool, status: int = 200,
                  error: str | None = None):
    state = page.sitting(exam_id)
    targets = (retakes.retake_targets(state.exam) if retake else moves.open_targets(state.exam))
    return render_template("sessions/changes/targets.html", s=state, exam=state.exam,
                           form=form, targets=targets, retake=retake, error=error,
                           any_warning=any(t.warning for t in targets)), status


@bp.route("/examens/<id:exam_id>/report", methods=["GET", "POST"])
@role_required(ORGANISER)
def move(exam_id: int):
    return _place_on_target(exam_id, retake=False)


def _place_on_target(exam_id: int, *, retake: bool):
    """The target page (GET) or the move / retake it confirms (POST), then the new sitting."""
    form = TargetForm()
    if request.method == "GET":
        return _targets_page(exam_id, form, retake=retake)
    if not form.validate():
        return _targets_page(exam_id, form, retake=retake, status=400, error=first_error(form))
    place = retakes.schedule_retake if retake else absences.move_exam
    try:
        new = place(current_user, exam_id, form.jury_id.data, confirmed=form.confirm.data)
    except InvalidInput as exc:
        return _targets_page(exam_id, form, retake=retake, status=400, error=exc.message)
    number = new.jury.session.number
    flash_convene(f"Rattrapage planifié (passage n° {new.attempt}) dans la session n° {number} : "
                  "envoyez la nouvelle convocation." if retake else
                  f"Candidat reporté sur la session n° {number} : il doit recevoir une nouvelle "
                  "convocation.", new.jury.session)
    return redirect_after_write(url_for(".exam", exam_id=new.id))


# --- Retakes --------------------------------------------------------------------------

@bp.post("/examens/<id:exam_id>/rattrapage")
@role_required(ORGANISER)
def request_retake(exam_id: int):
    form = RetakeRequestForm()
    if not form.validate():
        return _exam_page(exam_id, status=400, error=first_error(form))
    retakes.request_retake(exam_id, actor=current_user, channel="organiser")
    flash("Demande de rattrapage enregistrée : choisissez maintenant la session du "
          "nouveau passage.", "info")
    return redirect_after_write(url_for(".schedule_retake", exam_id=exam_id))


@bp.route("/examens/<id:exam_id>/rattrapage/planifier", methods=["GET", "POST"])
@role_required(ORGANISER)
def schedule_retake(exam_id: int):
    return _place_on_target(exam_id, retake=True)


# --- Appeals --------------------------------------------------------------------------

@bp.post("/examens/<id:exam_id>/recours")
@role_required(ORGANISER)
def record_appeal(exam_id: int):
    form = AppealForm()
    if not form.validate():
        return _exam_page(exam_id, status=400, error=first_error(form), appeal_form=form)
    try:
        appeals.record_appeal(current_user, exam_id, filed_on=form.filed_on.data,
                                grounds=form.grounds.data)
    except InvalidInput as exc:
        return _exam_page(exam_id, status=400, error=exc.message, appeal_form=form)
    flash("Recours enregistré.", "info")
    return redirect_after_write(url_for(".exam", exam_id=exam_id, _anchor="recours"))


@bp.post("/recours/<id:appeal_id>")
@role_required(ORGANISER)
def decide_appeal(appeal_id: int):
    appeal = appeals.get_appeal(appeal_id)
    exam_id = appeal.exam_id
    if appeal.outcome != "pending":
        raise Conflict(f"Ce recours a déjà été tranché ({appeal.outcome_label.lower()}).")
    form = AppealDecisionForm()
    if not form.validate():
        return _exam_page(exam_id, status=400, error=first_error(form),
                          decision_forms={appeal_id: form})
    try:
        decided = appeals.decide_appeal(current_user, appeal_id, outcome=form.outcome.data,
                                        outcome_text=form.outcome_text.data,
                                        decided_on=form.decided_on.data)
    except InvalidInput as exc:
        return _exam_page(exam_id, status=400, error=exc.message,
                          decision_forms={appeal_id: form})
    sent = decided.answer_mail
    if sent is None:
        flash("Décision sur le recours enregistrée. Le candidat n'a pas d'adresse e-mail : "
              "informez-le de la réponse (elle figure aussi sur son espace personnel).", "info")
    elif sent.status == "sent":
        flash("Décision sur le recours enregistrée et envoyée au candidat par e-mail.", "info")
    else:
        flash("Décision sur le recours enregistrée, mais l'e-mail au candidat n'est pas parti : "
              "informez-le autrement (la réponse figure sur son espace personnel).", "error")
    return redirect_after_write(url_for(".exam", exam_id=exam_id, _anchor="recours"))


# --- Juror absence (carence) and the replacement session --------------------------------

@bp.route("/jurys/<id:jury_id>/carence", methods=["GET", "POST"])
@role_required(ORGANISER)
def carence(jury_id: int):
    jury, exams, day, deadline = carences.stopped_jury_context(jury_id)
    problem = carences.carence_problem(jury)
    form = CarenceForm()
    form.absent_juror.choices = choices((j.id, j.full_name) for j in jury.jurors)
    error, status = None, 200
    if request.method == "POST":
        if problem:
            raise Conflict(problem)
        if form.validate():
            try:
                carences.stop_jury(current_user, jury_id, form.absent_juror.data, form.reason.data)
            except InvalidInput as exc:
                error = exc.message
            else:
                flash(f"Carence constatée : le {jury.label.lower()} est arrêté. Organisez la "
                      f"session de remplacement au plus tard le {french_date(deadline)}.", "info")
                return redirect_after_write(url_for(".replacement", jury_id=jury_id))
        error, status = error or first_error(form), 400
    return render_template("sessions/changes/carence.html", jury=jury, exams=exams,
                           absence_day=day, deadline=deadline, problem=problem, form=form,
                           error=error, session_url=session_link(jury.session_id)), status


def _replacement_defaults(form: ReplacementForm, jury) -> None:
    original = jury.session
    form.number.data = carences.suggested_number(original)
    form.start.data = to_paris(original.starts_at).time().replace(tzinfo=None)
    form.mode.data = original.mode
    form.place.data = original.place
    form.video_link.data = original.video_link
    present = next((j for j in jury.jurors if j.id != jury.absent_juror_id), None)
    if present is not None:
        form.juror_1.data = present.id
        form.president.data = present.id


def _plan(form: ReplacementForm) -> carences.ReplacementPlan:
    return carences.ReplacementPlan(
        number=form.number.data, day=form.day.data, start=form.start.data, mode=form.mode.data,
        place=form.place.data, video_link=form.video_link.data,
        juror_ids=(form.juror_1.data, form.juror_2.data), president_id=form.president.data)


@bp.route("/jurys/<id:jury_id>/remplacement", methods=["GET", "POST"])
@role_required(ORGANISER)
def replacement(jury_id: int):
    jury, exams, day, deadline = carences.stopped_jury_context(jury_id)
    problem = carences.replacement_problem(jury)
    form = ReplacementForm()
    # The juror whose absence stopped the jury cannot sit on its replacement.
    habilitated = carences.habilitated_jurors(jury.session.referential.code)
    options = choices([("", "— Choisir —")]
                      + [(u.id, u.full_name) for u in habilitated if u.id != jury.absent_juror_id])
    for field in (form.juror_1, form.juror_2, form.president):
        field.choices = options
    error, status = None, 200
    if request.method == "POST":
        if problem:
            raise Conflict(problem)
        if form.validate():
            try:
                session = carences.create_replacement(current_user, jury_id, _plan(form))
            except InvalidInput as exc:
                error = exc.message
            else:
                flash_convene(f"Session de remplacement n° {session.number} créée : "
                              f"{len(exams)} candidat(s) y ont été reportés. Ils doivent être "
                              "convoqués à nouveau, ainsi que les jurés.", session)
                return redirect_after_write(session_link(session.id))
        error, status = error or first_error(form), 400
    elif not problem:
        _replacement_defaults(form, jury)
    return render_template("sessions/changes/replacement.html", jury=jury, exams=exams,
                           absence_day=day, deadline=deadline, problem=problem, form=form,
                           error=error, replacement=carences.replacement_session_of(jury.id),
                           today=paris_today(),
                           session_url=session_link(jury.session_id)), status
