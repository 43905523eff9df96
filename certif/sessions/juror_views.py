"""Jurors: the organiser's list and pages, the juror's own profile, the CV, annex 7; the
habilitation is decided per certification (one card and one annex 7 each).

Organisers manage every juror; a juror reaches only their own profile, CV and form
(another juror's management pages are 403, their files 404). The pages show the juries a
juror sits on and refuse an unfavourable decision while they still grade, so they sit above
the sessions; the juror's data and rules stay in `certif.jurors`.
"""
from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from ..auth.invitations import send_invitation
from ..auth.models import JUROR, ORGANISER
from ..documents.pdf import pdf_response
from ..errors import Conflict, InvalidInput, NotFound
from ..jurors import habilitations, services, storage
from ..jurors.forms import CvForm, DecisionForm, JurorForm
from ..people import of
from ..text import slug
from ..web import error_response, is_htmx, redirect_after_write, role_required
from . import jurors

bp = Blueprint("jurors", __name__, url_prefix="/jures")


def _is_self(user_id: int) -> bool:
    return current_user.id == user_id and current_user.has_role(JUROR)


def _require_organiser_or_self(user_id: int) -> None:
    """A juror's own files; someone else's are not even said to exist."""
    if not (current_user.has_role(ORGANISER) or _is_self(user_id)):
        raise NotFound(services.MSG_NO_JUROR)


def _from_own_profile(user_id: int) -> bool:
    """The request came from "Mon profil" (an organiser may also be a juror)."""
    return _is_self(user_id) and (request.form.get("from") == "self"
                                  or not current_user.has_role(ORGANISER))


# --- Organiser ------------------------------------------------------------------------

@bp.get("/")
@role_required(ORGANISER)
def index():
    return render_template("jurors/index.html", rows=services.list_jurors())


@bp.route("/nouveau", methods=["GET", "POST"])
@role_required(ORGANISER)
def new():
    form = JurorForm()
    if form.validate_on_submit():
        try:
            user = services.create_juror(current_user, form.identity(), form.profile())
        except InvalidInput as exc:
            form.email.errors.append(exc.message)
        else:
            _flash_invitation(send_invitation(user, current_user), user)
            return redirect_after_write(url_for(".show", user_id=user.id))
    status = 400 if form.errors else 200
    return render_template("jurors/new.html", form=form), status


def _flash_invitation(mail, user) -> None:
    """The juror chooses their password through the emailed link: nobody else sees it."""
    if mail.status == "sent":
        flash(f"Compte de juré créé. Invitation envoyée à {user.email}.", "info")
    else:
        flash(f"Compte de juré créé, mais l'invitation à {user.email} n'a pas pu être envoyée "
              f"({mail.error}) : renvoyez-la depuis la page Comptes.", "error")


@bp.get("/<id:user_id>")
@role_required(ORGANISER, JUROR)
def show(user_id: int):
    if not current_user.has_role(ORGANISER):
        if _is_self(user_id):
            return redirect(url_for(".my_profile"))
        return error_response(403, "Vous n'avez pas accès à cette page.")
    return _show_page(user_id, CvForm())


def _prefix(code: str) -> str:
    """Each certification's decision form has its own field names and ids."""
    return slug(code, fallback="certification") + "-"


def _recorded_decision_form(entry) -> DecisionForm:
    """The decision form showing the recorded decision, whatever another form posted."""
    data = {}
    if entry.habilitation is not None:
        data = {"result": entry.habilitation.result, "comment": entry.habilitation.comment}
    return DecisionForm(formdata=None, data=data, prefix=_prefix(entry.code))


def _show_page(user_id: int, cv_form, status: int = 200, cv_error: str | None = None,
               failed: DecisionForm | None = None, failed_code: str | None = None):
    """The juror's page; `failed` is the failed decision form of the certification
    `failed_code` to re-show (the others show the recorded decision)."""
    user = services.get_juror(user_id)
    profile = user.juror_profile
    entries = habilitations.habilitations_for(user)
    forms = {e.code: (failed if e.code == failed_code and failed is not None
                      else _recorded_decision_form(e)) for e in entries}
    changes = {e.code: services.changes_since(profile, e.habilitation.decided_at
                                              if e.habilitation else None) for e in entries}
    return render_template(
        "jurors/show.html", juror=user, profile=profile, habilitations=entries, forms=forms,
        changes=changes, errors={},
        juries=jurors.juror_juries(user.id),
        cv_form=cv_form, cv_error=cv_error, cv_max=storage.max_size_label(),
        session_url=_session_url), status


def _session_url(session) -> str | None:
    """The session's page, when the sessions screens provide one."""
    try:
        return url_for("sessions.show", session_id=session.id)
    except BuildError:
        return None


@bp.route("/<id:user_id>/modifier", methods=["GET", "POST"])
@role_required(ORGANISER)
def edit(user_id: int):
    user = services.get_juror(user_id)
    form = JurorForm()
    if request.method == "GET":
        form.fill_from(user, user.juror_profile)
    elif form.validate_on_submit():
        try:
            changed = services.update_juror(current_user, user_id, form.identity(), form.profile())
        except InvalidInput as exc:
            form.email.errors.append(exc.message)
        else:
            flash(f"Fiche {of(user.full_name)} enregistrée." if changed else "Aucune modification.",
                  "info")
            return redirect_after_write(url_for(".show", user_id=user_id))
    status = 400 if form.errors else 200
    return render_template("jurors/edit.html", form=form, juror=user), status


@bp.post("/<id:user_id>/habilitations/<code>")
@role_required(ORGANISER)
def decide(user_id: int, code: str):
    """The organiser's decision for one certification: the card again to htmx, a 303 to the
    page otherwise; refused, the message to htmx, the page with the form's errors otherwise."""
    user = services.get_juror(user_id)
    habilitations.certification(code)  # 404 for an unknown certification
    form = DecisionForm(prefix=_prefix(code))
    status = 400
    if form.validate_on_submit():
        try:
            habilitation = jurors.decide(current_user, user_id, code, form.result.data,
                                         form.comment.data)
        except InvalidInput as exc:
            form.comment.errors.append(exc.message)
        except Conflict as exc:
            # The juror still sits on a jury at work: the form says why, and what to do first.
            form.result.errors.append(exc.message)
            status = 409
        else:
            if is_htmx():
                entry = habilitations.habilitations_for(user, only=code)[0]
                return render_template("jurors/_habilitation_card.html", juror=user, entry=entry,
                                       form=_recorded_decision_form(entry), changes=())
            flash(f"Habilitation {code} enregistrée : avis {habilitation.label.lower()}.", "info")
            return redirect_after_write(url_for(".show", user_id=user_id,
                                                _anchor=f"habilitation-{code.lower()}"))
    if is_htmx():
        return error_response(status, next(iter(form.result.errors + form.comment.errors),
                                           "Décision invalide."))
    return _show_page(user_id, CvForm(), status=status, failed=form, failed_code=code)


# --- The juror themself ---------------------------------------------------------------

@bp.route("/mon-profil", methods=["GET", "POST"])
@role_required(JUROR)
def my_profile():
    form = JurorForm()
    del form.email  # the login: only the organiser changes it
    if request.method == "GET":
        form.fill_from(current_user, current_user.juror_profile)
    elif form.validate_on_submit():
        changed = services.update_juror(current_user, current_user.id, form.identity(), form.profile())
        flash("Votre fiche est enregistrée." if changed else "Aucune modification.", "info")
        return redirect_after_write(url_for(".my_profile"))
    status = 400 if form.errors else 200
    return _my_profile_page(form, CvForm(), status)


def _my_profile_page(form, cv_form, status: int = 200, cv_error: str | None = None):
    profile = current_user.juror_profile
    return render_template(
        "jurors/my_profile.html", form=form, cv_form=cv_form, cv_error=cv_error,
        profile=profile, habilitations=habilitations.habilitations_for(current_user),
        cv_max=storage.max_size_label()), status


# --- CV and annex 7 (organiser, or the juror themself) --------------------------------

@bp.post("/<id:user_id>/cv")
@role_required(ORGANISER, JUROR)
def upload_cv(user_id: int):
    _require_organiser_or_self(user_id)
    cv_form = CvForm()  # CSRF is checked by the app before the view runs
    upload = request.files.get("cv")
    error = None
    if upload is None or not upload.filename:
        error = "Choisissez le fichier du CV, au format PDF."
    else:
        # One byte more than allowed is enough to tell it is too big.
        data = upload.stream.read(storage.max_bytes() + 1)
        try:
            services.replace_cv(current_user, user_id, data, upload.filename)
        except InvalidInput as exc:
            error = exc.message
    own = _from_own_profile(user_id)
    if error is None:
        flash("CV enregistré.", "info")
        back = url_for(".my_profile") if own else url_for(".show", user_id=user_id)
        return redirect_after_write(back + "#cv")
    if not own:
        return _show_page(user_id, cv_form, status=400, cv_error=error)
    form = JurorForm()
    del form.email
    form.fill_from(current_user, current_user.juror_profile)
    return _my_profile_page(form, cv_form, status=400, cv_error=error)


@bp.get("/<id:user_id>/cv")
@role_required(ORGANISER, JUROR)
def cv(user_id: int):
    _require_organiser_or_self(user_id)
    path, download_name = services.cv_download(user_id)
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=download_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<id:user_id>/habilitations/<code>/fiche.pdf")
@role_required(ORGANISER, JUROR)
def habilitation_pdf(user_id: int, code: str):
    """Annex 7 for one certification."""
    _require_organiser_or_self(user_id)
    data, filename = services.habilitation_pdf(user_id, code)
    return pdf_response(data, filename)
