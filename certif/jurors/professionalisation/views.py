"""Professionalisation sessions' pages: the organiser plans, invites and records attendance;
the juror who attended signs annex 7's attestation.

Every form posts to the URL of the page that shows it, so a refused post re-renders that
page, at its own URL, with the message and the error's status (400, 403, 404, 409).
"""
from flask import Blueprint, flash, render_template, request, url_for
from flask_login import current_user

from ...auth.models import JUROR, ORGANISER
from ...errors import InvalidInput, ServiceError
from ...people import of
from ...signatures.rules import SEEN_FIELD
from ...signatures.services import mark_from_form
from ...timeutil import paris_today
from ...web import redirect_after_write, role_required
from . import inputs, operations, pages, queries, rules
from .models import MODES

bp = Blueprint("professionalisation", __name__, url_prefix="/jures/professionnalisation")

MSG_UNKNOWN_FORM = "Formulaire inconnu : rechargez la page puis recommencez."


# --- Organiser ------------------------------------------------------------------------

@bp.get("/")
@role_required(ORGANISER)
def index():
    return render_template("jurors/professionalisation/index.html", sessions=queries.list_sessions(),
                           today=paris_today())


@bp.route("/nouvelle", methods=["GET", "POST"])
@role_required(ORGANISER)
def new():
    choices = queries.referential_choices()
    errors, status = {}, 200
    values = request.form
    if request.method == "POST":
        parsed, errors = inputs.parse_session(request.form, [r.id for r in choices], paris_today())
        if not errors:
            session = operations.create_session(current_user, parsed)
            flash("Session de professionnalisation planifiée : invitez maintenant les jurés.", "info")
            return redirect_after_write(url_for(".show", session_id=session.id))
        status = 400
    else:
        default = next((r for r in choices if r.code == "RS6240"), choices[0] if choices else None)
        values = {"content": rules.DEFAULT_CONTENT, "start": "14:00", "mode": "remote",
                  "referential_id": str(default.id) if default else ""}
    return render_template("jurors/professionalisation/new.html", choices=choices, values=values,
                           errors=errors, modes=MODES), status


@bp.route("/<id:session_id>", methods=["GET", "POST"])
@role_required(ORGANISER)
def show(session_id: int):
    """The session's page; its two forms (invite, attendance) post here."""
    error, status = None, 200
    if request.method == "POST":
        page = pages.session_page(session_id)  # 404 before anything else
        try:
            message = _post(session_id, page)
        except ServiceError as exc:
            error, status = exc.message, exc.status
        else:
            for text, category in message:
                flash(text, category)
            return redirect_after_write(url_for(".show", session_id=session_id))
    return render_template("jurors/professionalisation/show.html", page=pages.session_page(session_id),
                           error=error, posted=request.form.get("form")), status


def _post(session_id: int, page: pages.SessionPage) -> list[tuple[str, str]]:
    form = request.form.get("form")
    if form == "invite":
        ids = inputs.chosen_ids(request.form, "juror", [u.id for u in page.invitable])
        batch = operations.invite(current_user, session_id, ids)
        return _invitation_messages(batch)
    if form == "attendance":
        ids = inputs.chosen_ids(request.form, "present", [r.invitation.id for r in page.rows])
        change = operations.record_attendance(current_user, session_id, ids)
        if not (change.present or change.absent):
            return [("Aucune modification des présences.", "info")]
        messages = []
        if change.present:
            messages.append((f"Présence enregistrée : {', '.join(change.present)} (date de "
                             "professionnalisation reportée sur la fiche d'habilitation).", "info"))
        if change.absent:
            messages.append((f"Absence enregistrée : {', '.join(change.absent)}.", "info"))
        return messages
    raise InvalidInput(MSG_UNKNOWN_FORM)


def _invitation_messages(batch: operations.InvitationBatch) -> list[tuple[str, str]]:
    messages = []
    if batch.emailed:
        messages.append((f"Invitation envoyée par e-mail à : {', '.join(batch.emailed)}.", "info"))
    if batch.listed:
        messages.append((f"Session passée : {', '.join(batch.listed)} ajouté(s) à la liste, sans "
                         "e-mail.", "info"))
    for name, why in batch.failed:
        messages.append((f"Invitation {of(name)} non envoyée ({why}) : elle figure dans la boîte "
                         "d'envoi.", "error"))
    return messages


# --- The juror ------------------------------------------------------------------------

@bp.get("/mes-sessions")
@role_required(JUROR)
def mine():
    invitations = queries.juror_invitations(current_user.id)
    return render_template("jurors/professionalisation/mine.html", invitations=invitations,
                           signed=queries.signatures_of(i.id for i in invitations),
                           today=paris_today())


@bp.route("/<id:session_id>/attestation", methods=["GET", "POST"])
@role_required(JUROR)
def attestation(session_id: int):
    """The juror's attestation (annex 7): read it, sign it. Only the invited juror reaches it
    (404 otherwise); only one whose presence is recorded signs (403 otherwise)."""
    error, status = None, 200
    if request.method == "POST":
        pages.attestation_page(current_user, session_id)  # 404 before a 400
        try:
            mark = mark_from_form(request.form)
            operations.sign_attestation(current_user, session_id, mark,
                                        seen_sha256=request.form.get(SEEN_FIELD))
        except ServiceError as exc:
            error, status = exc.message, exc.status
        else:
            flash("Attestation signée : elle figure sur votre fiche d'habilitation (annexe 7).", "info")
            return redirect_after_write(url_for(".attestation", session_id=session_id))
    page = pages.attestation_page(current_user, session_id)
    return render_template("jurors/professionalisation/attestation.html", page=page, error=error,
                           seen_field=SEEN_FIELD), status
