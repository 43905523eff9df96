"""Views of the certificates domain: a session's results and certificates (organiser), and
the public page where anyone checks a certificate with its number and code (no login).

Every form is a plain post; errors come back as French pages (400, 409, 502).
"""
from flask import Blueprint, current_app, flash, make_response, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField

from ..auth.models import ORGANISER
from ..candidates.models import Candidate
from ..database import get_row
from ..documents.pdf import pdf_response
from ..errors import Conflict, InvalidInput, TooManyRequests
from ..extensions import csrf
from ..people import of
from ..timeutil import paris_today
from ..web import is_htmx, redirect_after_write, retry_headers, role_required
from . import issuing, pages, queries, revocation, rules, sending, verification
from .blocks import downloads as block_downloads
from .blocks import pages as block_pages
from .content import issued_description

bp = Blueprint("certificates", __name__)


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token."""


class IssueForm(FlaskForm):
    channel = StringField("Mode de délivrance")
    issued_on = StringField("Date d'envoi")


class VerifyForm(FlaskForm):
    number = StringField("Numéro du certificat")
    code = StringField("Code de vérification")


def _results_url(session_id: int, anchor: str | None = None) -> str:
    return url_for(".session_results", session_id=session_id, _anchor=anchor)


def _render_results(session_id: int, *, issue_error: tuple[int, str] | None = None,
                    issue_form: IssueForm | None = None):
    return render_template("certificates/session.html",
                           overview=pages.session_results(session_id), confirm=ConfirmForm(),
                           issue_error=issue_error, issue_form=issue_form,
                           today=paris_today().isoformat(),
                           today_date=paris_today(),
                           format_code=rules.format_code, due=rules.delivery_due,
                           minutes_url=_endpoint_url("minutes.organiser_minutes",
                                                     session_id=session_id),
                           block_attestation_url=block_downloads.attestation_url)


def _endpoint_url(endpoint: str, **values) -> str | None:
    """A page of another domain, when it exists (built in parallel)."""
    if endpoint in current_app.view_functions:
        return url_for(endpoint, **values)
    return None


@bp.get("/sessions/<id:session_id>/resultats")
@role_required(ORGANISER)
def session_results(session_id: int):
    return _render_results(session_id)


@bp.post("/sessions/<id:session_id>/resultats/envoi")
@role_required(ORGANISER)
def send_results(session_id: int):
    batch = sending.send_all_results(current_user, session_id)
    _flash_batch(batch)
    return redirect_after_write(_results_url(session_id))


def _how() -> str:
    # Without an SMTP server the messages only reach the local outbox: say so.
    return "par e-mail" if current_app.config.get("MAIL_SERVER") else \
        "dans la boîte d'envoi locale (aucun serveur SMTP : le message ne part pas)"


def _flash_batch(batch: sending.ResultBatch) -> None:
    if batch.sent:
        n = len(batch.sent)
        flash(f"{n} résultat{'s' if n > 1 else ''} envoyé{'s' if n > 1 else ''} {_how()} : "
              f"{', '.join(batch.sent)}.", "info")
    if batch.to_hand_over:
        flash("Sans adresse e-mail, remettre le résultat en main propre à : "
              f"{', '.join(batch.to_hand_over)}.", "error")
    for name, why in batch.failed:
        flash(f"Résultat {of(name)} non envoyé : {why}.", "error")
    if not (batch.sent or batch.to_hand_over or batch.failed):
        flash("Tous les résultats étaient déjà envoyés.", "info")


@bp.post("/examens/<id:exam_id>/resultat/envoi")
@role_required(ORGANISER)
def send_result(exam_id: int):
    notice = sending.send_result(current_user, exam_id)
    exam = notice.exam
    flash(f"Résultat {of(exam.candidate.full_name)} envoyé {_how()}.", "info")
    return redirect_after_write(_results_url(exam.jury.session_id, f"resultat-{exam_id}"))


@bp.post("/sessions/<id:session_id>/certificats")
@role_required(ORGANISER)
def generate(session_id: int):
    done = issuing.generate_certificates(current_user, session_id)
    n = len(done.created)
    if n:
        flash(f"{n} certificat{'s' if n > 1 else ''} créé{'s' if n > 1 else ''} "
              f"({', '.join(c.number for c in done.created)}).", "info")
    if done.sealed:
        flash(f"{done.sealed} PDF scellé{'s' if done.sealed > 1 else ''} produit"
              f"{'s' if done.sealed > 1 else ''}.", "info")
    if not n and not done.sealed:
        flash("Tous les certificats étaient déjà produits.", "info")
    return redirect_after_write(_results_url(session_id, "certificats"))


@bp.get("/certificats/<id:certificate_id>.pdf")
@role_required(ORGANISER)
def certificate_pdf(certificate_id: int):
    filename, data = queries.sealed_certificate(certificate_id)
    return pdf_response(data, filename)


@bp.get("/candidats/<id:candidate_id>/blocs")
@role_required(ORGANISER)
def candidate_blocks(candidate_id: int):
    """The candidate's blocks across attempts (the candidate's page loads it; a page alone too)."""
    candidate = get_row(Candidate, candidate_id, "Candidat introuvable.")
    context = dict(candidate=candidate, certifications=block_pages.candidate_blocks(candidate.id),
                   attestation_url=block_downloads.attestation_url, format_code=rules.format_code)
    if is_htmx():
        return render_template("certificates/_candidate_blocks.html", **context)
    return render_template("certificates/candidate_blocks.html", **context)


@bp.get("/attestations-bloc/<id:attestation_id>.pdf")
@role_required(ORGANISER)
def block_attestation_pdf(attestation_id: int):
    filename, data = block_downloads.organiser_pdf(attestation_id)
    return pdf_response(data, filename)


@bp.post("/certificats/<id:certificate_id>/delivrance")
@role_required(ORGANISER)
def issue(certificate_id: int):
    certificate = queries.get_certificate(certificate_id)
    session_id = certificate.exam.jury.session_id
    form = IssueForm()
    if not form.validate():
        return _render_results(session_id, issue_error=(certificate_id, "Formulaire invalide : "
                               "rechargez la page puis recommencez."), issue_form=form), 400
    try:
        certificate = issuing.issue_certificate(current_user, certificate_id, form.channel.data,
                                                form.issued_on.data)
    except InvalidInput as exc:
        return _render_results(session_id, issue_error=(certificate_id, exc.message),
                               issue_form=form), 400
    flash(f"Certificat n° {certificate.number} {of(certificate.exam.candidate.full_name)} "
          f"{issued_description(certificate)}.", "info")
    return redirect_after_write(_results_url(session_id, f"resultat-{certificate.exam_id}"))


class RevokeForm(FlaskForm):
    reason = TextAreaField("Motif de la révocation")
    confirm = BooleanField("Je confirme la révocation")


@bp.route("/certificats/<id:certificate_id>/revocation", methods=["GET", "POST"])
@role_required(ORGANISER)
def revoke(certificate_id: int):
    """Revoking a certificate: its own page (what it means, a reason, a confirmation); a
    refused form comes back here with its message."""
    certificate = queries.get_certificate(certificate_id)
    form, error, status = RevokeForm(), None, 200
    if request.method == "POST":
        if not form.validate():
            error, status = MSG_CSRF, 400
        else:
            try:
                certificate = revocation.revoke_certificate(current_user, certificate_id,
                                                            form.reason.data, form.confirm.data)
            except (InvalidInput, Conflict) as exc:
                error, status = exc.message, exc.status
                certificate = queries.get_certificate(certificate_id)
            else:
                flash(f"Certificat n° {certificate.number} {of(certificate.exam.candidate.full_name)} "
                      "révoqué : la vérification publique l'indique désormais.", "info")
                return redirect_after_write(_results_url(certificate.exam.jury.session_id,
                                                         f"resultat-{certificate.exam_id}"))
    return render_template("certificates/revoke.html", certificate=certificate, form=form,
                           error=error, format_code=rules.format_code), status


# --- Public ---------------------------------------------------------------------------------

MSG_CSRF = "Jeton de sécurité absent ou invalide : rechargez la page puis recommencez."


@bp.route("/verifier-certificat", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself: an anonymous visitor gets this page, not the login
def verify_public():
    """The check; a GET with `number` and `code` (the certificate's QR code) checks at once."""
    form = VerifyForm()
    checked, error, status, headers = None, None, 200, {}
    prefilled = request.method == "GET" and bool(request.args.get("number") or request.args.get("code"))
    if prefilled:
        form.number.data, form.code.data = request.args.get("number"), request.args.get("code")
    if request.method == "POST" and not form.validate():
        error, status = MSG_CSRF, 400
    elif request.method == "POST" or prefilled:
        try:
            checked = verification.verify(form.number.data, form.code.data) or False
        except (InvalidInput, TooManyRequests) as exc:
            error, status, headers = exc.message, exc.status, retry_headers(exc)
    response = make_response(render_template("certificates/verify.html", form=form,
                                              checked=checked, error=error, today=paris_today()),
                             status, headers)
    # Numbers and codes typed here go nowhere else: no referrer, no cache.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
