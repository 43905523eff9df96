"""The parts' routes on the grid page: the panel (polled by both jurors), the president's
« Partie suivante », and the coverage marks. An htmx request gets the fragment, a plain form
a 303 back to the grid; a refusal its status and French message."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from ...auth.models import JUROR
from ...examday.access import exam_access
from ...web import is_htmx, role_required
from . import operations
from .pages import coverage_marks, parts_panel, poll_seconds

bp = Blueprint("exam_parts", __name__, url_prefix="/jury")

def _grid_url(exam_id: int, anchor: str | None = None) -> str:
    return url_for("grading.grid", exam_id=exam_id, _anchor=anchor)


def _panel_fragment(access):
    return render_template("grading/_parts_panel.html", exam=access.exam,
                           exam_parts=parts_panel(current_user, access),
                           parts_poll_seconds=poll_seconds())


@bp.get("/examens/<id:exam_id>/parties")
@role_required(JUROR)
def panel(exam_id: int):
    """The panel again, for the poll: 204 while the current part is the one shown."""
    if not is_htmx():
        return redirect(_grid_url(exam_id, "parties"))
    access = exam_access(current_user, exam_id)
    panel_now = parts_panel(current_user, access)
    if panel_now is not None and request.args.get("version") == panel_now.version:
        return "", 204
    return _panel_fragment(access)


@bp.post("/examens/<id:exam_id>/parties/suivante")
@role_required(JUROR)
def next_part(exam_id: int):
    access = operations.advance(current_user, exam_id, request.form.get("position"))
    if not is_htmx():
        return redirect(_grid_url(exam_id, "parties"), 303)
    return _panel_fragment(exam_access(current_user, access.exam.id))


@bp.post("/examens/<id:exam_id>/couverture")
@role_required(JUROR)
def set_coverage(exam_id: int):
    access, code = operations.set_coverage(current_user, exam_id, request.form.get("competency"),
                                           request.form.get("kind"), request.form.get("value"))
    if not is_htmx():
        return redirect(_grid_url(exam_id, "couverture-" + code.replace(".", "-")), 303)
    return render_template("grading/_coverage_saved.html", exam=access.exam,
                           comp=access.layout.competencies[code],
                           coverage=coverage_marks(exam_access(current_user, exam_id)))
