"""The exam-day reception (juror), the candidate's signing pages (no login), and the
organiser's attendance overview with annexes 1 and 2."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from ..auth.models import JUROR, ORGANISER
from ..documents.pdf import pdf_response
from ..errors import ServiceError
from ..extensions import db
from ..signatures.rules import SEEN_FIELD
from ..signatures.services import mark_from_form
from ..web import error_response, external_url, is_htmx, redirect_after_write, retry_headers, role_required
from . import attendance, identity, links, pages, pdfs
from .access import exam_access
from .models import CHECK_MODES, ID_DOCUMENTS
from .queries import candidate_version, juror_jury, jury_attendance_version, organiser_jury

bp = Blueprint("examday", __name__)

# The candidate's pages: no account, no staff navigation, nothing cached or leaked.
CANDIDATE_ENDPOINTS = {"examday.code_form", "examday.submit_code", "examday.open_link",
                       "examday.candidate_sign_page", "examday.candidate_sign",
                       "examday.candidate_done"}
LINK_KEY, VIA_KEY, SIGNED_KEY = "attendance_link_id", "attendance_link_via", "attendance_signed_id"


def seen_sha256() -> str | None:
    """The fingerprint of the content the signing form displayed (hidden field)."""
    return request.form.get(SEEN_FIELD)


@bp.after_request
def candidate_headers(response):
    if request.endpoint in CANDIDATE_ENDPOINTS:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(ServiceError)
def examday_error(exc: ServiceError):
    db.session.rollback()
    if request.endpoint in CANDIDATE_ENDPOINTS:
        return render_template("examday/candidate_error.html", status=exc.status,
                               message=exc.message), exc.status, retry_headers(exc)
    return error_response(exc.status, exc.message)


@bp.errorhandler(CSRFError)
def examday_csrf_error(exc: CSRFError):
    if request.endpoint in CANDIDATE_ENDPOINTS:
        return render_template("examday/candidate_error.html", status=400, message=(
            "Le formulaire a expiré : rechargez la page puis recommencez.")), 400
    return error_response(400, "Jeton de sécurité absent ou invalide : rechargez la page puis "
                               "recommencez.")


# --- Forms --------------------------------------------------------------------------------

def _one_of(choices: dict, message: str):
    def check(form, field):
        if field.data not in choices:
            raise ValidationError(message)
    return check


class IdentityForm(FlaskForm):
    """Shapes only (French messages); `identity.clean_identity` checks the same rules again."""

    document_type = SelectField(
        "Pièce d'identité présentée", validate_choice=False,
        choices=[SelectChoice("", "— Choisissez —")] + [SelectChoice(k, v) for k, v in ID_DOCUMENTS.items()],
        validators=[_one_of(ID_DOCUMENTS, identity.MSG_BAD_DOCUMENT)])
    document_detail = StringField("Précisez (pour « Autre pièce d'identité »)",
                                  validators=[Length(max=identity.MAX_DETAIL,
                                                     message=identity.MSG_DETAIL_LONG)])
    convocation_checked = BooleanField("Convocation vérifiée",
                                       validators=[DataRequired(identity.MSG_CONVOCATION)])
    mode = RadioField("Vérification de l'identité", validate_choice=False,
                      choices=[SelectChoice(k, v) for k, v in CHECK_MODES.items()],
                      validators=[_one_of(CHECK_MODES, identity.MSG_BAD_MODE)])
    notes = TextAreaField("Remarques (facultatif)",
                          validators=[Length(max=identity.MAX_NOTES, message=identity.MSG_NOTES_LONG)])

    def validate_document_detail(self, field):
        if self.document_type.data == "other" and not (field.data or "").strip():
            raise ValidationError(identity.MSG_DETAIL_NEEDED)

    def fields(self) -> identity.IdentityFields:
        return identity.IdentityFields(self.document_type.data, self.document_detail.data,
                                       bool(self.convocation_checked.data), self.mode.data,
                                       self.notes.data)


class CodeForm(FlaskForm):
    code = StringField("Code donné par le jury",
                       validators=[DataRequired("Tapez le code donné par le jury.")])


# --- The juror's reception page -----------------------------------------------------------

def _reception_page(exam_id: int, form: IdentityForm | None = None, status: int = 200):
    state = pages.reception(current_user, exam_id)
    if form is None:
        form = IdentityForm(formdata=None, mode=state.default_mode)
    return render_template("examday/reception.html", state=state, exam=state.exam,
                           access=state.access, form=form,
                           code_url=external_url("examday.code_form")), status


@bp.get("/jury/examens/<id:exam_id>/accueil")
@role_required(JUROR)
def reception(exam_id: int):
    return _reception_page(exam_id)


@bp.post("/jury/examens/<id:exam_id>/emargement-jure")
@role_required(JUROR)
def sign_jury_attendance(exam_id: int):
    attendance.sign_jury_attendance(current_user, exam_id, mark_from_form(request.form),
                                  seen_sha256=seen_sha256())
    flash("Votre émargement (feuille du jury) est enregistré.", "info")
    return redirect_after_write(url_for(".reception", exam_id=exam_id, _anchor="etape-jury"))


@bp.post("/jury/examens/<id:exam_id>/identite")
@role_required(JUROR)
def check_identity(exam_id: int):
    form = IdentityForm()
    if not form.validate():
        pages.reception(current_user, exam_id)  # 404 first for a juror not on the jury
        return _reception_page(exam_id, form, 400)
    identity.check_identity(current_user, exam_id, form.fields())
    flash("Identité et convocation vérifiées : le candidat peut émarger.", "info")
    return redirect_after_write(url_for(".reception", exam_id=exam_id, _anchor="etape-candidat"))


@bp.get("/jury/examens/<id:exam_id>/emargement-candidat")
@role_required(JUROR)
def candidate_attendance(exam_id: int):
    """The candidate-attendance block, polled by the reception page until the candidate signs."""
    if not is_htmx():
        return redirect(url_for(".reception", exam_id=exam_id, _anchor="etape-candidat"))
    version = candidate_version(current_user, exam_id)
    if request.args.get("version") == str(version):
        return "", 204  # nothing changed: nothing to swap
    state = pages.reception(current_user, exam_id)
    return render_template("examday/_candidate_attendance.html", state=state, exam=state.exam,
                           code_url=external_url("examday.code_form"), oob_opening=True)


@bp.get("/jury/examens/<id:exam_id>/emargements-jury")
@role_required(JUROR)
def jury_attendance(exam_id: int):
    """Who of the jury signed, polled by the reception page until both jurors have."""
    if not is_htmx():
        return redirect(url_for(".reception", exam_id=exam_id, _anchor="etape-jury"))
    exam_access(current_user, exam_id)  # 404 first for a juror not on the jury
    if request.args.get("version") == str(jury_attendance_version(exam_id)):
        return "", 204
    state = pages.reception(current_user, exam_id)
    return render_template("examday/_jury_attendance.html", state=state, exam=state.exam,
                           oob_opening=True)


@bp.post("/jury/examens/<id:exam_id>/emargement-candidat/impossible")
@role_required(JUROR)
def candidate_unsigned(exam_id: int):
    """The jury records why the candidate could not sign: the grid opens without it."""
    try:
        attendance.record_candidate_unsigned(current_user, exam_id, request.form.get("reason"))
    except ServiceError as exc:
        if is_htmx() or exc.status != 400:
            raise
        flash(exc.message, "error")  # back to the reception, the message on top
        return redirect(url_for(".reception", exam_id=exam_id, _anchor="etape-candidat"), 303)
    flash("Motif enregistré : le candidat n'a pas pu émarger ; le procès-verbal le mentionnera.",
          "info")
    return redirect_after_write(url_for(".reception", exam_id=exam_id, _anchor="etape-candidat"))


@bp.post("/jury/examens/<id:exam_id>/emargement-candidat")
@role_required(JUROR)
def sign_candidate_here(exam_id: int):
    attendance.sign_candidate_here(current_user, exam_id, mark_from_form(request.form),
                                 seen_sha256=seen_sha256())
    flash("L'émargement du candidat est enregistré.", "info")
    return redirect_after_write(url_for(".reception", exam_id=exam_id, _anchor="etape-candidat"))


@bp.post("/jury/examens/<id:exam_id>/lien-emargement")
@role_required(JUROR)
def create_link(exam_id: int):
    new = attendance.create_link(current_user, exam_id)
    if new.emailed_to and new.mail_error:
        flash(f"Code d'émargement {new.code} créé, mais le courriel n'a pas pu être envoyé : "
              "donnez le code au candidat.", "error")
    elif new.emailed_to:
        flash(f"Code d'émargement {new.code} créé ; le lien a été envoyé par courriel à "
              f"{new.emailed_to}.", "info")
    else:
        flash(f"Code d'émargement {new.code} créé (aucune adresse électronique connue : "
              "donnez le code au candidat).", "info")
    return redirect_after_write(url_for(".reception", exam_id=exam_id, _anchor="etape-candidat"))


@bp.get("/jury/examens/<id:exam_id>/emargement-candidat.pdf")
@role_required(JUROR)
def juror_candidate_pdf(exam_id: int):
    state = pages.reception(current_user, exam_id)
    data = pdfs.candidate_attendance_pdf([state.exam])
    return pdf_response(data, pdfs.filename("candidat", state.session.number,
                                            state.exam.candidate.last_name))


@bp.get("/jury/jurys/<id:jury_id>/emargement-jury.pdf")
@role_required(JUROR)
def juror_jury_pdf(jury_id: int):
    jury = juror_jury(current_user, jury_id)
    return pdf_response(pdfs.jury_attendance_pdf(jury),
                        pdfs.filename("jury", jury.session.number, jury.label))


# --- The candidate's side (no login) ------------------------------------------------------

@bp.get("/emargement")
def code_form():
    return render_template("examday/code_form.html", form=CodeForm())


@bp.post("/emargement")
def submit_code():
    form = CodeForm()
    if not form.validate():
        return render_template("examday/code_form.html", form=form), 400
    link = links.link_for_code(form.code.data)
    return _remember(link.id, "code")


@bp.get("/emargement/<token>")
def open_link(token: str):
    link = links.link_for_token(token)
    return _remember(link.id, "lien")


def _remember(link_id: int, via: str):
    # The link id lives in the (signed) session: the token leaves the address bar.
    session[LINK_KEY], session[VIA_KEY] = link_id, via
    return redirect(url_for(".candidate_sign_page"), 303)


@bp.get("/emargement/signer")
def candidate_sign_page():
    page = links.signing_page(session.get(LINK_KEY))
    return render_template("examday/candidate_sign.html", page=page, exam=page.exam,
                           content=page.content)


@bp.post("/emargement/signer")
def candidate_sign():
    link_id = session.get(LINK_KEY)
    mark = mark_from_form(request.form)
    signature = links.sign_by_link(link_id, session.get(VIA_KEY, "code"), mark,
                                      seen_sha256=seen_sha256())
    session.pop(LINK_KEY, None)
    session.pop(VIA_KEY, None)
    session[SIGNED_KEY] = signature.id
    return redirect(url_for(".candidate_done"), 303)


@bp.get("/emargement/merci")
def candidate_done():
    signature = links.signed_by_candidate(session.get(SIGNED_KEY))
    return render_template("examday/candidate_signed.html", signature=signature)


# --- The organiser ------------------------------------------------------------------------

@bp.get("/sessions/<id:session_id>/emargements")
@role_required(ORGANISER)
def session_attendance(session_id: int):
    exam_session, juries = pages.session_attendance(session_id)
    return render_template("examday/session_attendance.html", session=exam_session, juries=juries)


@bp.get("/sessions/<id:session_id>/emargement-candidats.pdf")
@role_required(ORGANISER)
def session_candidates_pdf(session_id: int):
    exam_session, exams = pages.session_sitting_exams(session_id)
    return pdf_response(pdfs.candidate_attendance_pdf(exams),
                        pdfs.filename("candidats", exam_session.number))


@bp.get("/jurys/<id:jury_id>/emargement-jury.pdf")
@role_required(ORGANISER)
def jury_attendance_pdf(jury_id: int):
    jury = organiser_jury(jury_id)
    return pdf_response(pdfs.jury_attendance_pdf(jury),
                        pdfs.filename("jury", jury.session.number, jury.label))
