"""The Déclarations CDC page (organiser): every certificate's line, the « Générer le fichier »
button, the files' downloads, the CDC's answers by hand or from its processing report.

Every form is a plain post: a success ends with a 303 to the page; a refusal shows the page
again with its message and status (400 bad input, 409 nothing to do)."""
from flask import Blueprint, flash, make_response, render_template, request, url_for
from flask_login import current_user

from ..auth.models import ORGANISER
from ..errors import ServiceError
from ..people import of
from ..web import redirect_after_write, role_required
from . import inputs, operations, pages
from .models import ACCEPTED, REJECTED

bp = Blueprint("cdc", __name__, url_prefix="/declarations-cdc")


def _page(error: str | None = None, status: int = 200, answer_for: int | None = None):
    return render_template("cdc/declarations.html", page=pages.declarations_page(),
                           error=error, answer_for=answer_for,
                           ACCEPTED=ACCEPTED, REJECTED=REJECTED), status


@bp.get("")
@role_required(ORGANISER)
def index():
    return _page()


@bp.post("/fichiers")
@role_required(ORGANISER)
def generate():
    try:
        cdc_file = operations.generate_file(current_user)
    except ServiceError as exc:
        return _page(exc.message, exc.status)
    n = cdc_file.line_count
    flash(f"Fichier n° {cdc_file.number} produit ({n} passage{'s' if n > 1 else ''}), conforme au "
          "schéma de la Caisse des Dépôts : téléchargez-le puis déposez-le sur le portail des "
          "certificateurs.", "info")
    return redirect_after_write(url_for(".index", _anchor="fichiers"))


@bp.get("/fichiers/<id:file_id>.xml")
@role_required(ORGANISER)
def download(file_id: int):
    filename, data = operations.download_file(current_user, file_id)
    response = make_response(data)
    response.headers["Content-Type"] = "application/xml; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/lignes/<id:declaration_id>/reponse")
@role_required(ORGANISER)
def answer(declaration_id: int):
    try:
        declaration = operations.record_answer(current_user, declaration_id,
                                               request.form.get("outcome"),
                                               request.form.get("reason"))
    except ServiceError as exc:
        return _page(exc.message, exc.status, answer_for=declaration_id)
    name = of(declaration.certificate.exam.candidate.full_name)
    said = "acceptée" if declaration.status == ACCEPTED else "rejetée"
    flash(f"Déclaration {name} (certificat n° {declaration.certificate.number}) {said} par la "
          "Caisse des Dépôts : réponse enregistrée.", "info")
    return redirect_after_write(url_for(".index", _anchor=f"ligne-{declaration.certificate_id}"))


@bp.post("/rapport")
@role_required(ORGANISER)
def import_report():
    upload = request.files.get("report")
    raw = upload.read(inputs.REPORT_MAX_BYTES + 1) if upload else None
    try:
        done = operations.import_report(current_user, raw, upload.filename if upload else None)
    except ServiceError as exc:
        return _page(exc.message, exc.status)
    accepted = sum(1 for d in done if d.status == ACCEPTED)
    flash(f"Rapport de traitement importé : {accepted} passage{'s' if accepted > 1 else ''} "
          f"accepté{'s' if accepted > 1 else ''}, {len(done) - accepted} rejeté"
          f"{'s' if len(done) - accepted > 1 else ''}.", "info")
    return redirect_after_write(url_for(".index"))
