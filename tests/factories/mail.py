"""What certif sent: the outbox's messages to an address and the links they carry."""
import re
from email import message_from_bytes, policy

from certif.extensions import db
from certif.mail.models import OutgoingMail
from certif.mail.services import read_eml


def mails_to(address: str):
    """Messages certif sent to `address`, oldest first (outbox rows)."""
    return db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.recipients.contains(address))
                              .order_by(OutgoingMail.id)).all()


def last_link_to(address: str, path_part: str) -> str:
    """The last link containing `path_part` in the latest message sent to `address`."""
    mails = mails_to(address)
    assert mails, f"no message sent to {address}"
    message = message_from_bytes(read_eml(mails[-1]), policy=policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    links = [link for link in re.findall(r"https?://\S+", body) if path_part in link]
    assert links, f"no link with {path_part!r} in: {body}"
    return links[-1]
