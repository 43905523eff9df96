"""The organisation's insurance page (organisers): the policies recorded, the form to add
one (it posts to the page's own URL, so a refusal re-renders the page there, with its
status) and each certificate's download."""
from flask import Blueprint, flash, render_template, request, send_file, url_for
from flask_login import current_user

from ..auth.models import ORGANISER
from ..errors import FieldError
from ..timeutil import paris_today
from ..web import redirect_after_write, role_required
from . import inputs, operations, queries, rules, storage

bp = Blueprint("organisation", __name__, url_prefix="/organisation")


def _page(values, errors, status=200):
    today = paris_today()
    policies = queries.policies()
    return render_template("organisation/insurance.html", policies=policies, values=values,
                           errors=errors, today=today, current=rules.covering(policies, today),
                           notice=rules.expiry_notice(policies, today),
                           max_size=storage.max_size_label()), status


@bp.route("/assurance", methods=["GET", "POST"])
@role_required(ORGANISER)
def insurance():
    if request.method == "GET":
        return _page({}, {})
    values, errors = inputs.parse_policy(request.form)
    upload = request.files.get("certificate")
    data = upload.stream.read(storage.max_bytes() + 1) if upload and upload.filename else None
    if not errors:
        try:
            operations.record_policy(current_user, values, data, upload.filename if upload else None)
        except FieldError as exc:
            errors = {exc.field: exc.message}
    elif data is None:
        errors.setdefault("certificate", storage.MSG_MISSING)
    if errors:
        return _page(request.form, errors, 400)
    flash("Police d'assurance enregistrée.", "info")
    return redirect_after_write(url_for(".insurance"))


@bp.get("/assurance/<id:policy_id>/attestation.pdf")
@role_required(ORGANISER)
def certificate(policy_id: int):
    path, name = queries.certificate_download(policy_id)
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
