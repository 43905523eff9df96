"""The organiser's convocation screens: per session, per candidate, per juror, and the PDFs.

Every form is a plain post (no JavaScript needed); a form error re-renders the
sending page with status 400, a refused email re-renders it with status 502.
"""
from flask import Blueprint, current_app, flash, render_template, request, url_for
from flask_login import current_user

from ..auth.models import JUROR, ORGANISER
from ..documents.pdf import pdf_response
from ..errors import MailNotSent, NotFound
from ..people import of
from ..sessions.models import CONVENED, DRAFT
from ..sessions.queries import get_exam
from ..timeutil import paris_today
from ..web import redirect_after_write, role_required
from . import content, pages, sending
from .dossier_warning import dossier_deadline_warning
from .forms import ConfirmForm, SendForm
from .inputs import HAND
from .recipients import juror_target

bp = Blueprint("convocations", __name__, url_prefix="/convocations")


def _blank_form() -> SendForm:
    """The sending form as first shown: hand delivery today, by the organiser."""
    return SendForm(formdata=None, channel=HAND, handed_on=paris_today().isoformat(),
                    handed_by=current_user.full_name)


@bp.get("/sessions/<id:session_id>")
@role_required(ORGANISER)
def session(session_id: int):
    overview = pages.session_convocations(session_id)
    return render_template("convocations/session.html", overview=overview, form=_blank_form(),
                           confirm=ConfirmForm(), today=paris_today().isoformat())


@bp.get("/examens/<id:exam_id>.pdf")
@role_required(ORGANISER)
def candidate_pdf(exam_id: int):
    exam = get_exam(exam_id)
    return pdf_response(content.candidate_pdf(exam), content.candidate_filename(exam))


@bp.get("/sessions/<id:session_id>/jures/<id:juror_id>.pdf")
@role_required(ORGANISER, JUROR)
def juror_pdf(session_id: int, juror_id: int):
    # A juror reaches their own convocation only; another's does not exist for them.
    if not current_user.has_role(ORGANISER) and current_user.id != juror_id:
        raise NotFound("Convocation introuvable.")
    session, juror = juror_target(session_id, juror_id)
    return pdf_response(content.juror_pdf(session, juror), content.juror_filename(session, juror))


@bp.route("/examens/<id:exam_id>/envoyer", methods=["GET", "POST"])
@role_required(ORGANISER)
def send_candidate(exam_id: int):
    target = pages.candidate_target(exam_id)
    session = target.exam.jury.session
    back = url_for(".session", session_id=session.id, _anchor=f"candidat-{exam_id}")
    return _send_page(target, session, back, lambda form: sending.send_candidate(
        current_user, exam_id, form.channel.data, form.handed_on.data, form.handed_by.data))


@bp.route("/sessions/<id:session_id>/jures/<id:juror_id>/envoyer", methods=["GET", "POST"])
@role_required(ORGANISER)
def send_juror(session_id: int, juror_id: int):
    session, target = pages.juror_convocation_target(session_id, juror_id)
    back = url_for(".session", session_id=session.id, _anchor=f"jure-{juror_id}")
    return _send_page(target, session, back, lambda form: sending.send_juror(
        current_user, session_id, juror_id, form.channel.data, form.handed_on.data,
        form.handed_by.data))


def _send_page(target: pages.Target, session, back: str, send):
    """GET: the sending form; POST: send, then back to the session page."""
    if request.method == "GET":
        return _render_send(target, session, _blank_form())
    form = SendForm()
    if not form.validate():
        return _render_send(target, session, form), 400
    was_draft = session.status == DRAFT
    try:
        convocation = send(form)
    except MailNotSent as exc:
        return _render_send(target, session, form, failure=exc.message), 502
    flash(_sent_message(convocation, target.name), "info")
    if was_draft and convocation.session.status == CONVENED:
        flash(_CONVENED, "info")
    return redirect_after_write(back)


def _render_send(target, session, form, failure=None):
    return render_template("convocations/send.html", target=target, session=session, form=form,
                           failure=failure, today=paris_today().isoformat(),
                           dossier_warning=None if target.juror else dossier_deadline_warning(session))


_CONVENED = ("Tout le monde est convoqué : la session passe à l'état "
             "« Convocations envoyées ».")


def _sent_message(convocation, name: str) -> str:
    if convocation.channel == HAND:
        return f"Remise en main propre de la convocation {of(name)} enregistrée."
    if convocation.mail.transport == "outbox":
        return (f"Convocation {of(name)} déposée dans la boîte d'envoi locale pour "
                f"{convocation.recipient} (aucun serveur SMTP n'est configuré : le message ne "
                "part pas).")
    return f"Convocation envoyée par e-mail à {name} ({convocation.recipient})."


@bp.post("/sessions/<id:session_id>/envoyer-tout")
@role_required(ORGANISER)
def send_all(session_id: int):
    summary = sending.send_all_unsent(current_user, session_id)
    _flash_summary(summary)
    return redirect_after_write(url_for(".session", session_id=session_id))


def _flash_summary(summary: sending.BatchSummary) -> None:
    if summary.sent:
        n, s = len(summary.sent), "s" if len(summary.sent) > 1 else ""
        # Without an SMTP server the messages only reach the local outbox: say so.
        how = ("par e-mail" if current_app.config.get("MAIL_SERVER")
               else "dans la boîte d'envoi (aucun serveur SMTP)")
        verb = "envoyée" if current_app.config.get("MAIL_SERVER") else "déposée"
        flash(f"{n} convocation{s} {verb}{s} {how} : {', '.join(summary.sent)}.", "info")
    elif not summary.failed:
        flash("Aucune convocation à envoyer par e-mail.", "info")
    if summary.skipped:
        flash("Non envoyées : " + " ; ".join(f"{who} ({why})" for who, why in summary.skipped)
              + ".", "error")
    if summary.failed:
        flash("Échec de l'envoi, rien n'est enregistré comme envoyé pour : "
              + " ; ".join(f"{who} ({why})" for who, why in summary.failed)
              + ". Réessayez plus tard ; le détail est dans les courriels.", "error")
    if summary.convened:
        flash(_CONVENED, "info")
