"""Verification page for sealed PDFs, and a candidate's archive (ZIP)."""
from flask import Blueprint, make_response, render_template, request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField

from ..auth.models import COUNCIL, JUROR, ORGANISER
from ..web import role_required
from . import archive
from .seal import verify_pdf

bp = Blueprint("documents", __name__)

MSG_NO_FILE = "Choisissez le fichier PDF à vérifier."
MSG_NOT_PDF = ("Ce fichier n'est pas un PDF : "
               "seuls les documents PDF scellés par certif peuvent être vérifiés.")


class VerifyForm(FlaskForm):
    document = FileField("Document PDF à vérifier")


@bp.route("/documents/verifier", methods=["GET", "POST"])
@role_required(ORGANISER, JUROR, COUNCIL)
def verify():

    form = VerifyForm()
    if request.method == "GET":
        return render_template("documents/verify.html", form=form)
    # CSRF is checked by the app before the view runs.
    upload = request.files.get("document")
    data = upload.read() if upload and upload.filename else b""
    if not data:
        return render_template("documents/verify.html", form=form, error=MSG_NO_FILE), 400
    if not data.lstrip()[:5] == b"%PDF-":
        return render_template("documents/verify.html", form=form, error=MSG_NOT_PDF), 400
    return render_template("documents/verify.html", form=form, verdict=verify_pdf(data),
                           filename=upload.filename)


@bp.get("/candidats/<id:candidate_id>/dossier.zip")
@role_required(ORGANISER)
def candidate_archive(candidate_id: int):
    filename, data = archive.candidate_archive(candidate_id)
    response = make_response(data)
    response.mimetype = "application/zip"
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
