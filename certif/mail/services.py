"""Send an email: through SMTP when MAIL_SERVER is configured, else into the outbox.

Either way the exact message is kept as an .eml file under instance/outbox/ and
recorded as an OutgoingMail row, so every sending can be read back later.

Sending takes three steps, so that a slow or silent SMTP server never holds the
database's write lock (which would freeze every other save meanwhile):

1. `record_pending`, inside a write transaction: the message is recorded as not
   yet confirmed (the caller re-checks and records whatever else it needs there);
2. `deliver`, outside any transaction, once step 1 is committed: the .eml file is
   written and the message handed to the SMTP server;
3. `record_outcome`, inside a second write transaction: sent, or failed and why.

If the process stops between the steps, the row stays "unconfirmed" (see
`PENDING_NOTE`): the trace of a message that may have left is never lost.
`send` runs the three steps for a caller with nothing else to record.
"""
from __future__ import annotations

import re
import secrets
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

from flask import current_app

from ..database import write_transaction
from ..extensions import db
from ..files import private_dir, write_private
from .models import OutgoingMail


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mimetype: str = "application/pdf"


# The schema knows two states (sent, failed): a message whose outcome is not recorded
# yet is filed as failed with this note, which the outbox shows as "unconfirmed".
PENDING_NOTE = ("Envoi non confirmé : le message était en cours d'envoi et son résultat n'a pas "
                "été enregistré (le destinataire l'a peut-être reçu).")

# Line breaks (including U+0085, U+2028, U+2029) and other control characters: in a
# header they could end it and start another one (Bcc: …), or break the message.
_UNSAFE_IN_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_safe(value: str) -> str:
    """A header value on one line: each run of control characters becomes one space."""
    return _UNSAFE_IN_HEADER.sub(" ", value or "").strip()


def is_unconfirmed(mail: OutgoingMail) -> bool:
    return mail.status == "failed" and mail.error == PENDING_NOTE


def outbox_dir() -> Path:
    return private_dir(Path(current_app.config["FILES_DIR"]) / "outbox")


def build_message(to: list[str], subject: str, body: str,
                  attachments: tuple[Attachment, ...] = ()) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = formataddr((header_safe(config["MAIL_SENDER_NAME"]),
                                  header_safe(config["MAIL_SENDER"])))
    message["To"] = ", ".join(header_safe(address) for address in to)
    message["Subject"] = header_safe(subject)
    message["Date"] = formatdate(usegmt=True)  # required by RFC 5322; shown in the outbox
    message["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2] or None)
    message.set_content(body)
    for attachment in attachments:
        maintype, _, subtype = attachment.mimetype.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                               filename=header_safe(attachment.filename))
    return message


@dataclass(frozen=True)
class Pending:
    """A message recorded by step 1, to deliver (step 2) then confirm (step 3)."""

    mail_id: int
    eml_file: str
    transport: str
    message: EmailMessage
    data: bytes  # the message as it is filed and sent


def record_pending(to: list[str], subject: str, body: str,
                   attachments: tuple[Attachment, ...] = ()) -> Pending:
    """Step 1, inside the caller's write transaction: record the message, unconfirmed."""
    if not db.session.info.get("in_write_transaction"):
        raise RuntimeError("record_pending() runs inside write_transaction()")
    config = current_app.config
    message = build_message(to, subject, body, attachments)
    data = bytes(message)  # serialise now: a message that cannot be built is never recorded
    mail = OutgoingMail(sender=config["MAIL_SENDER"],
                        recipients=", ".join(header_safe(address) for address in to),
                        subject=header_safe(subject), message_id=str(message["Message-ID"]),
                        eml_file=f"{secrets.token_hex(12)}.eml",
                        attachments=[a.filename for a in attachments],
                        transport="smtp" if config.get("MAIL_SERVER") else "outbox",
                        status="failed", error=PENDING_NOTE)
    db.session.add(mail)
    db.session.flush()
    return Pending(mail_id=mail.id, eml_file=mail.eml_file, transport=mail.transport,
                   message=message, data=data)


def deliver(pending: Pending) -> str | None:
    """Step 2, outside any write transaction: file the .eml, then hand it to SMTP.

    Returns why it failed, or None. Never raises: whatever happens, step 3 can
    record the outcome."""
    if db.session.info.get("in_write_transaction"):
        raise RuntimeError("deliver() must run outside write_transaction()")
    try:
        write_private(outbox_dir() / pending.eml_file, pending.data)
        if pending.transport == "smtp":
            _smtp_send(pending.message)
    except (OSError, smtplib.SMTPException) as exc:
        return _describe(exc)
    except Exception as exc:  # noqa: BLE001 — a bug must not leave the message unconfirmed
        current_app.logger.exception("Unexpected error while sending mail %s", pending.mail_id)
        return _describe(exc)
    return None


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def record_outcome(pending: Pending, error: str | None) -> OutgoingMail:
    """Step 3, inside a write transaction: the message went, or failed and why."""
    mail = db.session.get(OutgoingMail, pending.mail_id)
    mail.status, mail.error = ("failed", error) if error else ("sent", None)
    db.session.flush()
    return mail


def send(to: list[str], subject: str, body: str,
         attachments: tuple[Attachment, ...] = ()) -> OutgoingMail:
    """Send (or file in the outbox) and record the message; call OUTSIDE a write transaction.

    A failed SMTP delivery is recorded as failed, not raised: the caller decides
    what to tell the user (the sending can be retried)."""
    with write_transaction():
        pending = record_pending(to, subject, body, attachments)
    error = deliver(pending)
    with write_transaction():
        return record_outcome(pending, error)


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
