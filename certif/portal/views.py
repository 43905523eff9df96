"""The candidate's page, reached through their signed, expiring link (no account).

The token is in the URL: every answer says `Referrer-Policy: no-referrer` (so no
link followed from the page leaks it) and `Cache-Control: private, no-store`.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from ..candidates.links import candidate_from_token
from ..certificates.blocks import downloads as block_downloads
from ..council.anomaly_forms import submission
from ..documents.pdf import pdf_response
from ..errors import InvalidInput
from ..web import candidate_pages
from . import services

bp = Blueprint("portal", __name__, url_prefix="/c")


@bp.before_request
def check_link():
    # Every page here starts with the link's token: a bad one counts against this client.
    token = (request.view_args or {}).get("token")
    if token is not None:
        services.check_link(token)


candidate_pages(bp)


@bp.get("/<token>")
def home(token: str):
    page = services.portal_page(token)
    return render_template("portal/home.html", page=page, token=token)


@bp.get("/<token>/convocations/<id:exam_id>.pdf")
def convocation_pdf(token: str, exam_id: int):
    data, filename = services.convocation_pdf(token, exam_id)
    return pdf_response(data, filename)


@bp.route("/<token>/anomalie", methods=["GET", "POST"])
def anomaly(token: str):
    """The anomaly sheet (annex 3), kept available to the candidate (seed 000, II.B.1)."""
    reporter = services.anomaly_reporter(token)
    result = submission(reporter)
    if result.sheet is not None:
        flash("Votre fiche anomalie est enregistrée et signée : elle est transmise au conseil "
              "de pilotage.", "info")
        return redirect(url_for(".home", token=token, _anchor="anomalies"), 303)
    return render_template("portal/anomaly.html", form=result.form, token=token,
                           reporter_name=reporter.name,
                           action=url_for(".anomaly", token=token)), result.status


@bp.get("/<token>/anomalies/<id:sheet_id>.pdf")
def anomaly_pdf(token: str, sheet_id: int):
    """A sheet the candidate filed, as a PDF (annex 3); 404 for anyone else's."""
    data, filename = services.anomaly_pdf(token, sheet_id)
    return pdf_response(data, filename)


@bp.post("/<token>/rattrapage/<id:exam_id>")
def request_retake(token: str, exam_id: int):
    services.request_retake(token, exam_id)
    flash("Votre demande pour repasser l'épreuve est enregistrée. Le responsable d'organisation "
          "vous enverra une nouvelle convocation.", "info")
    return redirect(url_for(".home", token=token, _anchor=f"passage-{exam_id}"), 303)


class AppealRequestForm(FlaskForm):
    """The candidate's appeal: its grounds (the service checks them, in French)."""

    grounds = TextAreaField("Motifs de votre recours")


@bp.route("/<token>/recours/<id:exam_id>", methods=["GET", "POST"])
def appeal(token: str, exam_id: int):
    """An appeal to the organisation's management against an unfavourable result (seed 000,
    I.D.7). A refused form comes back here, with the text typed and the reason (400)."""
    sitting = services.appeal_sitting(token, exam_id)
    form = AppealRequestForm()
    error, status = None, 200
    if request.method == "POST":
        try:
            services.request_appeal(token, exam_id, form.grounds.data)
        except InvalidInput as exc:
            error, status = exc.message, 400
        else:
            flash("Votre recours est enregistré et transmis à la direction. Sa réponse "
                  "s'affichera sur cette page et vous sera envoyée par e-mail.", "info")
            return redirect(url_for(".home", token=token, _anchor=f"passage-{exam_id}"), 303)
    return render_template("portal/appeal.html", form=form, sitting=sitting, token=token,
                           error=error), status


@bp.get("/<token>/attestations-bloc/<id:attestation_id>.pdf")
def block_attestation_pdf(token: str, attestation_id: int):
    """The candidate's own block attestation (404 for anyone else's, before it is sealed and
    once revoked); each download is audited."""
    filename, data = block_downloads.holder_pdf(candidate_from_token(token), attestation_id)
    return pdf_response(data, filename, attachment=True)


@bp.get("/<token>/certificats/<id:exam_id>.pdf")
def certificate_pdf(token: str, exam_id: int):
    """The candidate's sealed certificate (404 before it is produced and once revoked)."""
    filename, data = services.certificate_pdf(token, exam_id)
    return pdf_response(data, filename, attachment=True)
