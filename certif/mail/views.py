"""The outbox: every message certif sent (or kept, with no SMTP server), readable in the browser."""
from __future__ import annotations

import email
import email.policy
import io
from dataclasses import dataclass

from flask import Blueprint, render_template, request, send_file

from ..auth.models import ORGANISER
from ..database import get_row
from ..errors import NotFound
from ..extensions import db
from ..timeutil import french_timestamp
from ..web import role_required
from .models import OutgoingMail
from .services import PENDING_NOTE, read_eml

bp = Blueprint("mail", __name__, url_prefix="/courriels")

PER_PAGE = 50


@dataclass
class Part:
    index: int  # 1-based, as in the URL
    filename: str
    mimetype: str
    size: int


@bp.get("/")
@role_required(ORGANISER)
def index():
    total = db.session.scalar(db.select(db.func.count(OutgoingMail.id)))
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    # Clamped: a page past the last (or a huge number) shows the last page, never a 500.
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    mails = db.session.scalars(
        db.select(OutgoingMail).order_by(OutgoingMail.created_at.desc(), OutgoingMail.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return render_template("mail/index.html", mails=mails, page=page, pages=pages, total=total,
                           pending_note=PENDING_NOTE)


def _get_mail(mail_id: int) -> OutgoingMail:
    return get_row(OutgoingMail, mail_id, "Message introuvable.")


def _parsed(mail: OutgoingMail):
    """The message as filed, or None when its .eml file is gone."""
    try:
        raw = read_eml(mail)
    except FileNotFoundError:
        return None
    return email.message_from_bytes(raw, policy=email.policy.default)


def _header_text(value) -> str:
    """A header as shown: dates the French way (Paris time), the rest as written."""
    moment = getattr(value, "datetime", None)
    return french_timestamp(moment) if moment is not None else str(value)


def _attachments(message) -> list:
    return list(message.iter_attachments())


@bp.get("/<id:mail_id>")
@role_required(ORGANISER)
def show(mail_id: int):
    mail = _get_mail(mail_id)
    message = _parsed(mail)
    body, parts, headers = None, [], []
    if message is not None:
        text = message.get_body(preferencelist=("plain",))
        body = text.get_content() if text is not None else ""
        headers = [(label, _header_text(message[name])) for name, label in (
            ("From", "De"), ("To", "À"), ("Subject", "Objet"), ("Date", "Date"),
            ("Message-ID", "Identifiant"))
            if message[name]]
        parts = [Part(i, p.get_filename() or f"piece-{i}", p.get_content_type(),
                      len(p.get_payload(decode=True) or b""))
                 for i, p in enumerate(_attachments(message), start=1)]
    return render_template("mail/show.html", mail=mail, body=body, parts=parts, headers=headers,
                           missing=message is None, pending_note=PENDING_NOTE)


@bp.get("/<id:mail_id>/pieces/<id:index>")
@role_required(ORGANISER)
def attachment(mail_id: int, index: int):
    message = _parsed(_get_mail(mail_id))
    parts = _attachments(message) if message is not None else []
    if index > len(parts):
        raise NotFound("Pièce jointe introuvable.")
    part = parts[index - 1]
    response = send_file(io.BytesIO(part.get_payload(decode=True) or b""),
                         mimetype=part.get_content_type(), as_attachment=True,
                         download_name=part.get_filename() or f"piece-{index}")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<id:mail_id>.eml")
@role_required(ORGANISER)
def raw(mail_id: int):
    mail = _get_mail(mail_id)
    try:
        data = read_eml(mail)
    except FileNotFoundError:
        raise NotFound("Le fichier de ce message est introuvable.") from None
    response = send_file(io.BytesIO(data), mimetype="message/rfc822", as_attachment=True,
                         download_name=f"courriel-{mail.id}.eml")
    response.headers["Cache-Control"] = "private, no-store"
    return response
