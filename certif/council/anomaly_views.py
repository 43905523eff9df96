"""Anomaly sheets (annex 3): filed by a juror (a session they sit) or the organiser; read by
the council. The candidate's form is on their portal (certif/portal/views.py)."""
from flask import Blueprint, flash, render_template, url_for
from flask_login import current_user

from ..auth.models import COUNCIL, JUROR, ORGANISER
from ..documents.pdf import pdf_response
from ..web import redirect_after_write, role_required
from . import anomalies as services
from .anomaly_forms import submission

bp = Blueprint("anomalies", __name__, url_prefix="/anomalies")


@bp.app_template_global("anomaly_sheet_view")
def anomaly_sheet_view(sheet):
    """For templates/council/anomalies/_sheet.html, which other pages include with `sheet`."""
    return services.sheet_view(sheet)


@bp.app_template_global("council_status_label")
def council_status_label(sheet) -> str:
    return services.council_status(sheet)


@bp.get("/")
@role_required(ORGANISER, JUROR, COUNCIL)
def index():
    sheets = services.visible_sheets(current_user)
    return render_template("council/anomalies/index.html", sheets=sheets,
                           reads_all=current_user.has_role(ORGANISER, COUNCIL),
                           can_file=current_user.has_role(ORGANISER, JUROR))


@bp.route("/nouvelle", methods=["GET", "POST"])
@role_required(ORGANISER, JUROR)
def new():
    result = submission(services.Reporter(user=current_user))
    if result.sheet is not None:
        flash("Fiche anomalie enregistrée et signée : elle est transmise au conseil de pilotage.",
              "info")
        return redirect_after_write(url_for(".show", sheet_id=result.sheet.id))
    return render_template("council/anomalies/new.html", form=result.form,
                           reporter_name=current_user.full_name,
                           action=url_for(".new")), result.status


@bp.get("/<id:sheet_id>")
@role_required(ORGANISER, JUROR, COUNCIL)
def show(sheet_id: int):
    sheet = services.visible_sheet(current_user, sheet_id)
    return render_template("council/anomalies/show.html", sheet=sheet,
                           view=services.sheet_view(sheet), review_url=_review_url(sheet))


@bp.get("/<id:sheet_id>.pdf")
@role_required(ORGANISER, JUROR, COUNCIL)
def pdf(sheet_id: int):
    sheet = services.visible_sheet(current_user, sheet_id)
    return pdf_response(services.anomaly_pdf(sheet), services.pdf_filename(sheet))


def _review_url(sheet) -> str | None:
    """The council's page for the sheet, for the council and the organiser."""
    if not current_user.has_role(ORGANISER, COUNCIL):
        return None
    return url_for("council.review_anomaly", sheet_id=sheet.id)
