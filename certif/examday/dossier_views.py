"""The jury's « Dossier du candidat » panel (reception and grid pages) and its routes: the
confidentiality attestation, each piece inline (Content-Disposition inline, nosniff) or
downloaded, the relevé des évaluations. Jurors of the candidate's jury only."""
from flask import Blueprint, flash, render_template, request, url_for
from flask_login import current_user

from ..auth.models import JUROR
from ..documents.pdf import pdf_response
from ..errors import ServiceError
from ..signatures.rules import SEEN_FIELD
from ..signatures.services import mark_from_form
from ..web import redirect_after_write, role_required
from . import dossier

bp = Blueprint("jury_dossier", __name__, url_prefix="/jury/examens/<id:exam_id>/dossier")


@bp.app_context_processor
def panel_helper():
    """`jury_dossier_panel(exam)` for the panel's include: None when the certification asks
    for no file or the viewer is not a juror of that jury."""
    def jury_dossier_panel(exam):
        if not current_user.is_authenticated or not current_user.has_role(JUROR):
            return None
        try:
            return dossier.jury_file(current_user, exam.id)
        except ServiceError:
            return None
    return {"jury_dossier_panel": jury_dossier_panel}


def _back(exam_id: int) -> str:
    target = request.form.get("retour")
    if target == "grille":
        return url_for("grading.grid", exam_id=exam_id, _anchor="dossier-candidat")
    return url_for("examday.reception", exam_id=exam_id, _anchor="dossier-candidat")


@bp.post("/confidentialite")
@role_required(JUROR)
def sign_confidentiality(exam_id: int):
    dossier.sign_confidentiality(current_user, exam_id, mark_from_form(request.form),
                                 seen_sha256=request.form.get(SEEN_FIELD))
    flash("Votre attestation de confidentialité est signée : les pièces du dossier sont ouvertes.",
          "info")
    return redirect_after_write(_back(exam_id))


@bp.get("/pieces/<id:entry_id>")
@role_required(JUROR)
def piece(exam_id: int, entry_id: int):
    download = request.args.get("telecharger") == "1"
    found, entry, data = dossier.open_piece(current_user, exam_id, entry_id, download=download)
    if data is not None:
        return pdf_response(data, entry.filename or "piece.pdf", attachment=download)
    return render_template("dossier/text_piece.html", view=found.view, entry=entry,
                           piece=found.view.deliverables.piece(entry.piece),
                           back=url_for("examday.reception", exam_id=exam_id, _anchor="dossier-candidat"))


@bp.get("/releve.pdf")
@role_required(JUROR)
def releve(exam_id: int):
    data, filename = dossier.releve(current_user, exam_id)
    return pdf_response(data, filename)
