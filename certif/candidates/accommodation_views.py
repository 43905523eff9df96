"""The organiser's accommodation page of a candidate (seed 000, I.D.3): the record's form,
posting to the page's own URL, so a refusal re-renders the page there with its status.

The medical details are read here only (organisers), and each read is audited. The measures
(extra minutes, other measures) stay on the candidate's own form: changing the extra minutes
retimes the candidate's slots."""
from flask import Blueprint, flash, render_template, request, url_for
from flask_login import current_user

from ..auth.models import ORGANISER
from ..timeutil import paris_today
from ..web import redirect_after_write, role_required
from . import accommodation_inputs, accommodation_writes
from .accommodation import DECISIONS, PENDING

bp = Blueprint("accommodations", __name__, url_prefix="/candidats")


def _values_of(row) -> dict:
    if row is None:
        return {"decision": PENDING}
    return {"referent": row.referent, "requested_on": row.requested_on.isoformat(),
            "decision": row.decision,
            "decided_on": row.decided_on.isoformat() if row.decided_on else ""}


def _page(candidate, row, values, errors, status=200):
    return render_template("candidates/accommodation.html", candidate=candidate, record=row,
                           values=values, errors=errors, decisions=DECISIONS,
                           today=paris_today()), status


@bp.route("/<id:candidate_id>/amenagement", methods=["GET", "POST"])
@role_required(ORGANISER)
def accommodation(candidate_id: int):
    candidate, row = accommodation_writes.accommodation_of(candidate_id)
    if request.method == "GET":
        values = _values_of(row)
        if row is not None:
            values["medical_details"] = accommodation_writes.read_medical_details(current_user, row) or ""
        return _page(candidate, row, values, {})
    values, errors = accommodation_inputs.parse_accommodation(request.form, paris_today())
    if errors:
        return _page(candidate, row, request.form, errors, 400)
    accommodation_writes.save(current_user, candidate_id, values)
    flash("Aménagement enregistré.", "info")
    return redirect_after_write(url_for("candidates.show", candidate_id=candidate_id,
                                        _anchor="amenagement"))
