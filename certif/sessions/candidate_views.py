"""The organiser's candidate screens: list and search, form, record, CSV import.

They show and move the candidates' sittings, so they sit above the sessions; the candidate
rules, the duplicate check and the import stay in `certif.candidates`.
"""
from pathlib import Path

from flask import Blueprint, flash, render_template, request, send_file, url_for
from flask_login import current_user

from ..auth.models import ORGANISER
from ..candidates import csv_import, holder, services
from ..candidates.forms import CandidateForm, ImportForm
from ..candidates.links import candidate_link
from ..candidates.livret.queries import summary as livret_summary
from ..web import error_response, is_htmx, redirect_after_write, role_required
from . import candidates
from .rules import sitting_deadline

bp = Blueprint("candidates", __name__, url_prefix="/candidats")

TEMPLATE_CSV = Path(csv_import.__file__).parent / "data" / "modele-import-candidats.csv"
SHOWN_ERRORS = 200


@bp.get("/")
@role_required(ORGANISER)
def index():
    page = candidates.search(request.args.get("q"), request.args.get("page", 1, type=int))
    # htmx asks for the results only; a history restore needs the whole page.
    if is_htmx() and not request.headers.get("HX-History-Restore-Request"):
        return render_template("candidates/_results.html", page=page)
    return render_template("candidates/index.html", page=page)


@bp.route("/nouveau", methods=["GET", "POST"])
@role_required(ORGANISER)
def new():
    form = CandidateForm()
    if not form.validate_on_submit():
        return _form_page(form, None, 400 if form.is_submitted() else 200)
    try:
        candidate = services.create(current_user, form.cleaned)
    except services.DuplicateCandidate as duplicate:
        return _form_page(form, None, 409, duplicate)
    flash(f"Candidat {candidate.full_name} enregistré.", "info")
    return redirect_after_write(url_for(".show", candidate_id=candidate.id))


@bp.route("/<id:candidate_id>/modifier", methods=["GET", "POST"])
@role_required(ORGANISER)
def edit(candidate_id: int):
    candidate = services.get_candidate(candidate_id)
    form = CandidateForm.for_candidate(candidate)
    if not form.validate_on_submit():
        return _form_page(form, candidate, 400 if form.is_submitted() else 200)
    try:
        updated = candidates.update(current_user, candidate_id, form.cleaned)
    except services.DuplicateCandidate as duplicate:
        return _form_page(form, candidate, 409, duplicate)
    flash("Modifications enregistrées." if updated.changes else "Aucune modification.", "info")
    _flash_slots(updated)
    return redirect_after_write(url_for(".show", candidate_id=candidate_id))


def _flash_slots(updated: candidates.Updated) -> None:
    """What new extra minutes did to the candidate's slots, session by session."""
    for session in updated.rescheduled:
        flash(f"Les horaires du jury de la session n° {session.number} ont été recalculés : "
              "les convocations concernées sont à renvoyer.", "info")
    for session in updated.kept:
        flash(f"La session n° {session.number} est « {session.status_label.lower()} » : ses "
              "horaires ne sont pas modifiés. Prévenez le jury du temps supplémentaire "
              "accordé au candidat.", "warning")


def _form_page(form, candidate, status, duplicate=None):
    return render_template("candidates/form.html", form=form, candidate=candidate,
                           duplicate=duplicate), status


@bp.get("/<id:candidate_id>")
@role_required(ORGANISER)
def show(candidate_id: int):
    record = candidates.candidate_record(candidate_id)
    candidate = record.candidate
    deadline = sitting_deadline(candidate.training_end_date) if candidate.training_end_date else None
    return render_template("candidates/show.html", record=record, candidate=candidate,
                           deadline=deadline, link=candidate_link(candidate),
                           summary=holder.summary(candidate),
                           livret=livret_summary(candidate, [s.session.referential for s in record.sittings]))


@bp.post("/<id:candidate_id>/lien")
@role_required(ORGANISER)
def renew_link(candidate_id: int):
    services.renew_link(current_user, candidate_id)
    flash("Nouveau lien personnel créé : les liens envoyés auparavant ne fonctionnent plus.",
          "info")
    return redirect_after_write(url_for(".show", candidate_id=candidate_id, _anchor="lien"))


@bp.route("/import", methods=["GET", "POST"])
@role_required(ORGANISER)
def import_csv():
    form = ImportForm()
    if not form.is_submitted():
        batch_id = request.args.get("lot", type=int)
        batch = services.import_batch(batch_id) if batch_id else None
        return render_template("candidates/import.html", form=form, batch=batch, errors=[])
    if not form.validate():  # the CSRF token
        return _import_page(form, ["Jeton de sécurité absent ou invalide : rechargez la page."])
    filename, data = services.require_upload(form.file.data)
    outcome = services.import_csv(current_user, filename, data)
    if outcome.errors:
        return _import_page(form, outcome.errors)
    flash(f"{outcome.count} candidat{'s' if outcome.count > 1 else ''} "
          f"importé{'s' if outcome.count > 1 else ''}.", "info")
    return redirect_after_write(url_for(".import_csv", lot=outcome.batch_id))


def _import_page(form, errors):
    return render_template("candidates/import.html", form=form, batch=None,
                           errors=errors[:SHOWN_ERRORS], hidden=max(len(errors) - SHOWN_ERRORS, 0)), 400


@bp.errorhandler(413)
def upload_too_large(_error):
    # Beyond MAX_CONTENT_LENGTH the request is refused before the view reads it.
    return error_response(413, f"Le fichier est trop volumineux ({csv_import.MAX_BYTES // 1024} Ko "
                               "au plus) : découpez-le en plusieurs fichiers.")


@bp.get("/import/modele.csv")
@role_required(ORGANISER)
def import_template():
    return send_file(TEMPLATE_CSV, mimetype="text/csv", as_attachment=True,
                     download_name="modele-import-candidats.csv")
