"""The organiser's view of the candidates' files: per session (« Dossiers ») and per candidate
(each required piece présent / en retard / manquant, the summary's word count, the history,
the 8-point plan checklist ticked with htmx, the extension of the deadline), and the pieces."""
from datetime import date

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_login import current_user

from ...auth.models import ORGANISER
from ...candidates.dossier import rules
from ...database import get_row
from ...documents.pdf import pdf_response
from ...errors import FieldError, NotFound
from ...extensions import db
from ...web import is_htmx, redirect_after_write, role_required
from ..models import Exam, ExamSession
from . import operations
from .queries import file_view, session_files

bp = Blueprint("session_dossiers", __name__, url_prefix="/sessions/<id:session_id>/dossiers")
MSG_NO_SESSION = "Session introuvable."


@bp.app_template_filter("word_count")
def word_count_filter(text):
    return rules.word_count(text)


def _session(session_id: int) -> ExamSession:
    session = get_row(ExamSession, session_id, MSG_NO_SESSION)
    if not session.referential.deliverables.pieces:
        raise NotFound("La certification de cette session ne demande pas de dossier aux candidats.")
    return session


def _view(session_id: int, exam_id: int):
    session = _session(session_id)
    exam = db.session.get(Exam, exam_id)
    if exam is None or exam.jury.session_id != session.id:
        raise NotFound("Candidat introuvable dans cette session.")
    return file_view(exam)


@bp.get("")
@role_required(ORGANISER)
def index(session_id: int):
    session = _session(session_id)
    return render_template("dossier/session.html", session=session, views=session_files(session))


def _candidate_page(view, *, error: FieldError | None = None, status: int = 200):
    return render_template("dossier/organiser_file.html", view=view, error=error), status


@bp.route("/<id:exam_id>", methods=["GET", "POST"])
@role_required(ORGANISER)
def candidate(session_id: int, exam_id: int):
    """The candidate's file; its form grants an extension (new last day + reason)."""
    view = _view(session_id, exam_id)
    if request.method == "POST":
        try:
            until = date.fromisoformat(request.form.get("until") or "")
        except ValueError:
            until = None
        try:
            operations.grant_extension(current_user, exam_id, until, request.form.get("reason"))
        except FieldError as exc:
            return _candidate_page(_view(session_id, exam_id), error=exc, status=exc.status)
        flash("Délai accordé : la nouvelle date limite est enregistrée.", "info")
        return redirect_after_write(url_for(".candidate", session_id=session_id, exam_id=exam_id))
    return _candidate_page(view)


@bp.post("/<id:exam_id>/plan/<int:point>")
@role_required(ORGANISER)
def plan_point(session_id: int, exam_id: int, point: int):
    """Tick or untick one point of the plan: the checklist's fragment for htmx, else 303."""
    _view(session_id, exam_id)
    view = operations.set_plan_point(current_user, exam_id, point, request.form.get("checked") == "1")
    if is_htmx():
        return render_template("dossier/_plan_checklist.html", view=view)
    return redirect_after_write(url_for(".candidate", session_id=session_id, exam_id=exam_id,
                                        _anchor="plan"))


@bp.get("/<id:exam_id>/pieces/<id:entry_id>")
@role_required(ORGANISER)
def piece(session_id: int, exam_id: int, entry_id: int):
    view = _view(session_id, exam_id)
    download = request.args.get("telecharger") == "1"
    entry, data = operations.open_piece(view, entry_id, current_user, opened_by="organiser",
                                        download=download)
    if data is not None:
        return pdf_response(data, entry.filename or "piece.pdf", attachment=download)
    piece = view.deliverables.piece(entry.piece)
    if piece is None:
        abort(404)
    return render_template("dossier/text_piece.html", view=view, piece=piece, entry=entry,
                           back=url_for(".candidate", session_id=session_id, exam_id=exam_id))

