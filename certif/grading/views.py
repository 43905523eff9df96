"""The juror's screens: their juries, the live grid, and the deliberation.

Each write answers an htmx request with the fragments that changed and a plain
form post with a redirect to the whole page, so the grid also works without
JavaScript.
"""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.models import COUNCIL, JUROR, ORGANISER
from ..errors import ServiceError
from ..examday.queries import identity_checked_ids
from ..sessions.models import DELIBERATION, GRADING
from ..sessions.views import bp as sessions_bp
from ..web import error_response, is_htmx, redirect_after_write, role_required
from . import declarations, opening, services
from .history import exam_history
from .inputs import shown_result
from .juror_list import juror_sessions
from .parts import pages as parts_pages

bp = Blueprint("grading", __name__, url_prefix="/jury")


@bp.get("/")
@role_required(JUROR)
def index():
    sessions = juror_sessions(current_user)
    exam_ids = [row.exam.id for group in sessions for jury in group.juries for row in jury.rows]
    return render_template("grading/index.html", sessions=sessions,
                           identity_checked=identity_checked_ids(exam_ids))


@bp.get("/examens/<id:exam_id>/grille")
@role_required(JUROR)
def grid(exam_id: int):
    state = services.own_grid(current_user, exam_id)
    return render_template("grading/grid.html", state=state, access=state.access,
                           layout=state.access.layout, exam=state.access.exam,
                           progress=services.progress(current_user, state.access),
                           poll_seconds=current_app.config["PROGRESS_POLL_SECONDS"],
                           **parts_pages.grid_context(current_user, state.access))


@bp.post("/examens/<id:exam_id>/declaration")
@role_required(JUROR)
def declare(exam_id: int):
    declaration = declarations.declare(current_user, exam_id, request.form.get("value"),
                                       request.form.get("comment"))
    if declaration.has_conflict:
        flash("Votre déclaration est enregistrée : vous n'évaluerez pas ce candidat. "
              "Le responsable d'organisation en est informé.", "info")
    elif services.own_grid(current_user, exam_id).grid_closed_reason is None:
        flash("Déclaration enregistrée : vous pouvez commencer l'évaluation.", "info")
    else:
        flash("Déclaration enregistrée. L'évaluation s'ouvre une fois l'accueil du candidat "
              "terminé (émargements et identité).", "info")
    return redirect_after_write(url_for(".grid", exam_id=exam_id))


@bp.post("/examens/<id:exam_id>/grille/commencer")
@role_required(JUROR)
def start_early(exam_id: int):
    """The juror confirms grading before the slot's start (recorded and audited)."""
    if opening.start_early(current_user, exam_id) is not None:
        flash("Début anticipé de l'évaluation enregistré : la grille est ouverte.", "info")
    return redirect_after_write(url_for(".grid", exam_id=exam_id))


@bp.post("/examens/<id:exam_id>/grille/criteres/<id:criterion_id>")
@role_required(JUROR)
def set_mark(exam_id: int, criterion_id: int):
    state = services.set_mark(current_user, exam_id, criterion_id, request.form.get("value"))
    criterion = state.access.layout.criteria[criterion_id]
    if not is_htmx():
        return redirect(url_for(".grid", exam_id=exam_id, _anchor=f"critere-{criterion.code}"), 303)
    competency = state.access.layout.competencies[criterion.competency_code]
    body = render_template("grading/_mark_saved.html", state=state, exam=state.access.exam,
                           layout=state.access.layout, criterion=criterion,
                           competency=competency)
    # A complete grid may let the president open the deliberation: refresh progress now.
    headers = {"HX-Trigger": "grid-complete"} if state.result.complete else {}
    return body, 200, headers


@bp.get("/examens/<id:exam_id>/avancement")
@role_required(JUROR)
def progress(exam_id: int):
    if not is_htmx():  # the progress lives on the grid page
        return redirect(url_for(".grid", exam_id=exam_id))
    access = services.exam_access(current_user, exam_id)
    if request.args.get("phase", access.exam.phase) != access.exam.phase:
        # The deliberation opened or closed meanwhile: reload the page, which says so. The
        # president, who just opened it, goes there (a reload could overtake that redirect).
        if access.exam.phase == DELIBERATION and access.is_president(current_user):
            return "", 204, {"HX-Redirect": url_for(".deliberation", exam_id=exam_id)}
        return "", 204, {"HX-Refresh": "true"}
    return render_template("grading/_progress.html", access=access, exam=access.exam,
                           progress=services.progress(current_user, access),
                           poll_seconds=current_app.config["PROGRESS_POLL_SECONDS"])


@bp.get("/examens/<id:exam_id>/deliberation")
@role_required(JUROR)
def deliberation(exam_id: int):
    if not is_htmx() and services.exam_access(current_user, exam_id).exam.phase == GRADING:
        # A bookmark or the other juror arriving early: the grid says where things stand.
        flash("La délibération n'est pas encore ouverte : le président l'ouvre quand les deux "
              "grilles sont complètes.", "info")
        return redirect(url_for(".grid", exam_id=exam_id), 303)
    version = services.deliberation_version(current_user, exam_id)
    if is_htmx() and request.args.get("version") == str(version):
        return "", 204  # the member's page polls: nothing changed, nothing to swap
    state = services.deliberation(current_user, exam_id)
    return render_template("grading/deliberation.html", version=version,
                           coverage=parts_pages.coverage_marks(state.access),
                           **_deliberation_context(state))


@bp.post("/examens/<id:exam_id>/deliberation/ouvrir")
@role_required(JUROR)
def open_deliberation(exam_id: int):
    services.open_deliberation(current_user, exam_id)
    return redirect_after_write(url_for(".deliberation", exam_id=exam_id))


@bp.post("/examens/<id:exam_id>/deliberation/criteres/<id:criterion_id>")
@role_required(JUROR)
def record_jury_value(exam_id: int, criterion_id: int):
    state = services.record_jury_value(current_user, exam_id, criterion_id,
                                       request.form.get("value"))
    criterion = state.access.layout.criteria[criterion_id]
    if not is_htmx():
        return redirect(url_for(".deliberation", exam_id=exam_id,
                                _anchor=f"critere-{criterion.code}"), 303)
    return render_template("grading/_jury_value_saved.html", criterion=criterion,
                           **_deliberation_context(state))


@bp.post("/examens/<id:exam_id>/deliberation/commentaire")
@role_required(JUROR)
def save_comment(exam_id: int):
    services.save_comment(current_user, exam_id, request.form.get("comment"))
    if is_htmx():
        return render_template("grading/_comment_saved.html")
    flash("Commentaire enregistré.", "info")
    return redirect(url_for(".deliberation", exam_id=exam_id, _anchor="commentaire"), 303)


@bp.post("/examens/<id:exam_id>/deliberation/cloture")
@role_required(JUROR)
def close_deliberation(exam_id: int):
    try:
        services.close_deliberation(current_user, exam_id,
                                    confirmed=request.form.get("confirm") == "oui",
                                    comment=request.form.get("comment"),
                                    shown=shown_result(request.form))
    except ServiceError as exc:
        if is_htmx():
            return error_response(exc.status, exc.message)
        # Without JavaScript: the deliberation again, with the message by the confirmation
        # and the comment as typed (its forms all name their own addresses).
        state = services.deliberation(current_user, exam_id)
        version = services.deliberation_version(current_user, exam_id)
        return render_template("grading/deliberation.html", version=version,
                               close_error=exc.message, typed_comment=request.form.get("comment"),
                               **_deliberation_context(state)), exc.status
    return redirect_after_write(url_for(".deliberation", exam_id=exam_id))


def _deliberation_context(state: services.Deliberation) -> dict:
    access = state.access
    jury = access.exam.jury
    president = access.exam.president or jury.president
    other = next((j for j in jury.jurors if j.id != access.president_id), None)
    locked_reason = state.locked_reason(current_user)
    return dict(state=state, access=access, exam=access.exam, layout=access.layout,
                president=president, other=other, locked_reason=locked_reason,
                editable=locked_reason is None)


# The history of an exam's grades, opened from the session's pages by the organiser and the
# council: its address and endpoint are the sessions' (sessions.history), its knowledge (which
# grids belong to the exam) is grading's, so grading adds it to the sessions' blueprint.
@sessions_bp.get("/examens/<id:exam_id>/historique")
@role_required(ORGANISER, COUNCIL)
def history(exam_id: int):
    exam, entries = exam_history(current_user, exam_id)
    return render_template("sessions/history.html", exam=exam, entries=entries)
