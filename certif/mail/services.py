"""Send an email: through SMTP when MAIL_SERVER is configured, else into the outbox.

Either way the exact message is kept as an .eml file under instance/outbox/ and
recorded as an OutgoingMail row, so every sending can be read back later.
"""
from __future__ import annotations

import secrets
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

from flask import current_app

from ..extensions import db
from .models import OutgoingMail


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mimetype: str = "application/pdf"


def outbox_dir() -> Path:
    path = Path(current_app.config["FILES_DIR"]) / "outbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_message(to: list[str], subject: str, body: str,
                  attachments: tuple[Attachment, ...] = ()) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = formataddr((config["MAIL_SENDER_NAME"], config["MAIL_SENDER"]))
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)  # required by RFC 5322; shown in the outbox
    message["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2] or None)
    message.set_content(body)
    for attachment in attachments:
        maintype, _, subtype = attachment.mimetype.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                               filename=attachment.filename)
    return message


def send(to: list[str], subject: str, body: str,
         attachments: tuple[Attachment, ...] = ()) -> OutgoingMail:
    """Send (or file in the outbox) and record the message; call inside a write transaction.

    A failed SMTP delivery is recorded as failed, not raised: the caller decides
    what to tell the user (the sending can be retried)."""
    config = current_app.config
    message = build_message(to, subject, body, attachments)
    name = f"{secrets.token_hex(12)}.eml"
    (outbox_dir() / name).write_bytes(bytes(message))
    mail = OutgoingMail(sender=config["MAIL_SENDER"], recipients=", ".join(to), subject=subject,
                        message_id=message["Message-ID"], eml_file=name,
                        attachments=[a.filename for a in attachments],
                        transport="smtp" if config.get("MAIL_SERVER") else "outbox")
    if mail.transport == "smtp":
        try:
            _smtp_send(message)
        except (OSError, smtplib.SMTPException) as exc:
            mail.status, mail.error = "failed", f"{type(exc).__name__}: {exc}"[:1000]
    db.session.add(mail)
    db.session.flush()
    return mail


def _smtp_send(message: EmailMessage) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"],
                    timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def read_eml(mail: OutgoingMail) -> bytes:
    return (outbox_dir() / mail.eml_file).read_bytes()
