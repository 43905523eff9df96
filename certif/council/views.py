"""The council's pages: its home, the inbox of sheets, a sheet's review (opinion, corrective
actions, closing), the actions followed to verified.

Council members and the organiser read every page; only council members write (an
organiser without the council role gets 403). The owner of an action, whoever they are,
may start and apply it from the action's page.
"""
from flask import Blueprint, flash, render_template, request, send_file, session, url_for
from flask_login import current_user

from .. import timeutil
from ..auth.models import COUNCIL, JUROR, ORGANISER
from ..database import get_row
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..signatures.services import mark_from_form
from ..web import is_htmx, redirect_after_write, role_required, safe_path
from . import checks, deadlines, rules, storage
from .actions import operations as action_ops
from .actions import queries as action_queries
from .forms import ActionForm, CloseForm, OpinionForm
from .models import ACTION_STATUSES, VERIFIED, CouncilMeeting
from .reviews import inbox as review_inbox
from .reviews import operations as review_ops
from .reviews import page as review_page
from .reviews import sheets

bp = Blueprint("council", __name__, url_prefix="/conseil")
SHEET_KINDS = "<any(anomalie, conditions):slug>"
# A refused closing, kept for the review page it redirects to (a cookie: the note is bounded).
CLOSE_REFUSED_KEY = "council_close_refused"
MAX_KEPT_NOTE = 1000
MSG_NOTE_NOT_KEPT = "Votre note, trop longue pour être gardée, est à saisir de nouveau."


def _context() -> dict:
    return {"STATUSES": sheets.STATUSES, "ACTION_STATUSES": ACTION_STATUSES,
            "STEP_LABELS": action_ops.STEP_LABELS, "HISTORY_LABELS": action_queries.HISTORY_LABELS,
            "is_overdue": rules.is_overdue, "allowed_steps": action_ops.allowed_steps,
            "verify_problem": action_ops.verify_problem,
            "origin_link": action_queries.origin_link, "can_write": current_user.has_role(COUNCIL)}


# --- Home --------------------------------------------------------------------------------

@bp.get("/")
@role_required(COUNCIL, ORGANISER)
def index():
    today = timeutil.paris_today()
    rows = review_inbox.inbox_rows()
    return render_template(
        "council/index.html", today=today, **_context(),
        to_examine=[r for r in rows if r.status == sheets.TO_EXAMINE],
        overdue=action_queries.overdue_actions(today), awaiting=action_queries.awaiting_verification(),
        due_soon=action_queries.due_soon(today), due_soon_days=action_queries.DUE_SOON_DAYS,
        due=deadlines.due_meetings(today))


# --- Inbox -------------------------------------------------------------------------------

@bp.get("/fiches")
@role_required(COUNCIL, ORGANISER)
def inbox():
    filters = review_inbox.parse_filters(request.args)
    rows = review_inbox.inbox_rows()
    context = {"rows": review_inbox.filter_rows(rows, filters), "filters": filters,
               "sessions": review_inbox.sessions_of(rows), "STATUSES": sheets.STATUSES}
    # htmx asks for the rows only; a history restore needs the whole page.
    if is_htmx() and not request.headers.get("HX-History-Restore-Request"):
        return render_template("council/_inbox_rows.html", **context)
    return render_template("council/inbox.html", **context)


# --- A sheet's review --------------------------------------------------------------------

def _review_page(kind: str, sheet_id: int, *, opinion_form=None, action_form=None, close_form=None,
                 close_error: str | None = None, step_error: dict | None = None, status: int = 200):
    """The review page. The form that was posted (if any) comes back as the user typed it,
    with its errors; every other form shows what the database holds (the opinion's draft)."""
    state = review_page.review_state(kind, sheet_id)
    if opinion_form is None:
        opinion_form = OpinionForm(formdata=None)
        opinion_form.fill(state.review, review_ops.suggest_commission_number(state.today), state.today)
    action_form = action_form or ActionForm(formdata=None)
    action_form.set_owners(action_ops.owner_choices())
    return render_template("council/review.html", state=state, opinion_form=opinion_form,
                           action_form=action_form, close_form=close_form or CloseForm(formdata=None),
                           close_error=close_error, step_error=step_error, **_context()), status


def _review_url(kind: str, sheet_id: int, anchor: str | None = None) -> str:
    return url_for(sheets.REVIEW_ENDPOINTS[kind], sheet_id=sheet_id, _anchor=anchor)


@bp.get("/fiches/anomalie/<id:sheet_id>")
@role_required(COUNCIL, ORGANISER)
def review_anomaly(sheet_id: int):
    return _review_page(sheets.ANOMALY, sheet_id, **_close_refusal(sheets.ANOMALY, sheet_id))


@bp.get("/fiches/conditions/<id:sheet_id>")
@role_required(COUNCIL, ORGANISER)
def review_conditions(sheet_id: int):
    kind = sheets.CONDITIONS_KIND
    return _review_page(kind, sheet_id, **_close_refusal(kind, sheet_id))


def _close_refusal(kind: str, sheet_id: int) -> dict:
    """A closing refused just before (kept in the session by `close_review`): its reason beside
    the closing form and the note as typed. Read once."""
    kept = session.pop(CLOSE_REFUSED_KEY, None)
    if not isinstance(kept, dict) or kept.get("sheet") != f"{kind}/{sheet_id}":
        return {}
    return {"close_form": CloseForm(formdata=None, data={"note": kept.get("note") or ""}),
            "close_error": kept.get("message")}


@bp.post(f"/fiches/{SHEET_KINDS}/<id:sheet_id>/avis")
@role_required(COUNCIL)
def save_opinion(slug: str, sheet_id: int):
    kind = sheets.kind_of_slug(slug)
    state = review_page.review_state(kind, sheet_id)  # 404 before the form
    sheets.require_open(state.review)
    if state.signed:
        raise Conflict(review_ops.MSG_SIGNED)
    form = OpinionForm()
    if not form.validate_with(state.today):
        return _review_page(kind, sheet_id, opinion_form=form, status=400)
    review_ops.save_opinion(current_user, kind, sheet_id, form.fields())
    flash("Avis enregistré (brouillon) : il reste à le signer.", "info")
    return redirect_after_write(_review_url(kind, sheet_id, "avis"))


@bp.post(f"/fiches/{SHEET_KINDS}/<id:sheet_id>/avis/signature")
@role_required(COUNCIL)
def sign_opinion(slug: str, sheet_id: int):
    kind = sheets.kind_of_slug(slug)
    mark = mark_from_form(request.form)
    review_ops.sign_opinion(current_user, kind, sheet_id, mark, request.form.get("content_sha256"))
    flash("Avis du comité de pilotage signé : il ne peut plus être modifié.", "info")
    return redirect_after_write(_review_url(kind, sheet_id, "avis"))


@bp.post(f"/fiches/{SHEET_KINDS}/<id:sheet_id>/actions")
@role_required(COUNCIL)
def propose_action(slug: str, sheet_id: int):
    kind = sheets.kind_of_slug(slug)
    state = review_page.review_state(kind, sheet_id)
    sheets.require_open(state.review)
    form = ActionForm()
    form.set_owners(action_ops.owner_choices())
    if not form.validate_with(state.today):
        return _review_page(kind, sheet_id, action_form=form, status=400)
    action = action_ops.propose(current_user, form.fields(), sheet=(kind, sheet_id))
    flash(f"Action « {action.title} » proposée : adoptez-la pour la rendre obligatoire.", "info")
    return redirect_after_write(_review_url(kind, sheet_id, "actions"))


@bp.post(f"/fiches/{SHEET_KINDS}/<id:sheet_id>/cloture")
@role_required(COUNCIL)
def close_review(slug: str, sheet_id: int):
    kind = sheets.kind_of_slug(slug)
    note = request.form.get("note") or ""
    try:
        review_ops.close(current_user, kind, sheet_id, note)
    except (Conflict, InvalidInput) as exc:
        db.session.rollback()
        if is_htmx():
            raise
        # Back on the sheet's own page (never a page answered at this POST-only address): the
        # reason beside the closing form, the note as typed when it fits in the session cookie.
        message = exc.message
        if len(note) > MAX_KEPT_NOTE:
            message, note = f"{message} {MSG_NOTE_NOT_KEPT}", ""
        session[CLOSE_REFUSED_KEY] = {"sheet": f"{kind}/{sheet_id}", "message": message, "note": note}
        return redirect_after_write(_review_url(kind, sheet_id, "cloture"))
    flash("Fiche clôturée.", "info")
    return redirect_after_write(_review_url(kind, sheet_id))


# --- Actions -----------------------------------------------------------------------------

# The agreed endpoint name is "council.actions" (the function may not shadow the module).
@bp.get("/actions", endpoint="actions")
@role_required(COUNCIL, ORGANISER)
def actions_list():
    today = timeutil.paris_today()
    filters = action_queries.parse_filters(request.args)
    return render_template("council/actions.html", items=action_queries.list_actions(filters, today),
                           filters=filters, owners=action_queries.owner_names(), today=today, **_context())


@bp.get("/actions/<id:action_id>")
@role_required(COUNCIL, ORGANISER, JUROR)
def action(action_id: int):
    item = action_queries.visible_action(current_user, action_id)
    return render_template("council/action.html", action=item, history=action_queries.history(item),
                           today=timeutil.paris_today(), **_context())


@bp.post("/actions/<id:action_id>/statut")
@role_required(COUNCIL, ORGANISER, JUROR)
def move_action(action_id: int):
    item = action_queries.visible_action(current_user, action_id)
    target = action_ops.parse_target(request.form.get("target"))
    evidence_file = None
    upload = request.files.get("evidence_file")
    if target == VERIFIED and upload is not None and upload.filename:
        # One byte more than allowed is enough to tell it is too big.
        evidence_file = (upload.stream.read(storage.max_bytes() + 1), upload.filename)
    typed = {name: request.form.get(name) for name in ("note", "evidence_text", "reason")}
    step = action_ops.step_of(item.status, target)
    back = safe_path(request.form.get("next"))
    try:
        moved = action_ops.move(item, target, current_user, evidence_file=evidence_file, **typed)
    except InvalidInput as exc:
        # A missing evidence or reason, a refused file: the page again, with what was typed.
        db.session.rollback()
        step_error = {"action_id": action_id, "step": step, "message": exc.message, **typed}
        return _step_refused(action_id, back, step_error, exc.status)
    flash(f"Action « {moved.title} » : {moved.status_label.lower()}.", "info")
    return redirect_after_write(back or url_for(".action", action_id=action_id))


def _step_refused(action_id: int, back: str | None, step_error: dict, status: int):
    """The page the step was posted from (the sheet's review page, or the action's page)."""
    item = action_queries.get_action(action_id)
    review = item.review
    if back and review is not None:
        kind, sheet_id = sheets.review_kind(review), sheets.review_sheet_id(review)
        if back.split("#")[0] == _review_url(kind, sheet_id):
            return _review_page(kind, sheet_id, step_error=step_error, status=status)
    return render_template("council/action.html", action=item, history=action_queries.history(item),
                           today=timeutil.paris_today(), step_error=step_error,
                           **_context()), status


@bp.get("/actions/<id:action_id>/preuve")
@role_required(COUNCIL, ORGANISER)
def action_evidence(action_id: int):
    path, name, mime = action_queries.evidence_download(action_id)
    response = send_file(path, mimetype=mime or "application/octet-stream", as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/actions/nouvelle", methods=["GET", "POST"])
@role_required(COUNCIL, ORGANISER)
def new_action():
    if request.method == "POST":
        checks.require_council(current_user)  # 403 before reading the link's ids
    origin = _new_action_origin()
    today = timeutil.paris_today()
    form = ActionForm()
    form.set_owners(action_ops.owner_choices())
    if request.method == "GET" or not form.validate_with(today):
        status = 400 if request.method == "POST" else 200
        return render_template("council/new_action.html", form=form, origin=origin,
                               **_context()), status
    action = action_ops.propose(current_user, form.fields(), review_id=origin.get("review_id"),
                             meeting_id=origin.get("meeting_id"))
    flash(f"Action « {action.title} » proposée : adoptez-la pour la rendre obligatoire.", "info")
    return redirect_after_write(url_for(".action", action_id=action.id))


def _new_action_origin() -> dict:
    """?review=<id> or ?meeting=<id>: what the new action is attached to (400/404/409)."""
    origin = {}
    for name in ("review", "meeting"):
        raw = request.args.get(name, "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= 2**31 - 1:
            raise InvalidInput("Lien invalide : indiquez la fiche ou la réunion de l'action.")
        origin[f"{name}_id"] = int(raw)
    if not origin:
        raise InvalidInput(action_ops.MSG_NO_ORIGIN)
    if "review_id" in origin:
        origin["review"] = sheets.get_review(origin["review_id"])
        sheets.require_open(origin["review"])
        origin["review_title"] = sheets.sheet_title(origin["review"])
        origin["review_url"] = _review_url(sheets.review_kind(origin["review"]),
                                           sheets.review_sheet_id(origin["review"]))
    if "meeting_id" in origin:
        origin["meeting"] = get_row(CouncilMeeting, origin["meeting_id"], action_ops.MSG_MEETING_NOT_FOUND)
    return origin
