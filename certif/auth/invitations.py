"""Links to choose a password: the invitation email (staff accounts and jurors alike) and
the first account's link printed by the command line.

The link is issued (and audited) in a write transaction; the email is sent after it,
outside any transaction, so that a slow mail server never holds the write lock.
"""
from __future__ import annotations

from flask import current_app

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, NotFound
from ..extensions import db
from ..mail import services as mail
from ..mail.models import OutgoingMail
from ..people import of
from ..web import external_url
from . import tokens
from .accounts import role_labels
from .models import User

MSG_INACTIVE = "Ce compte est désactivé : réactivez-le avant d'envoyer une invitation."
MSG_HAS_PASSWORD = ("Ce compte a déjà un mot de passe : pour le réinitialiser, la personne "
                    "utilise « Mot de passe oublié ? » sur la page de connexion.")


def hours(purpose: str) -> int:
    return int(tokens.LIFETIMES[purpose].total_seconds() // 3600)


def send_invitation(user: User, actor) -> OutgoingMail:
    """Email `user` a new invitation link (72 hours, single use); earlier links stop working.

    Only for an active account that has no password yet. Call outside a write
    transaction. A failed delivery is recorded on the returned mail, not raised."""
    with write_transaction():
        user = db.session.get(User, user.id, populate_existing=True)
        if user is None:
            raise NotFound("Compte introuvable.")
        if not user.active:
            raise Conflict(MSG_INACTIVE)
        if user.has_password:
            raise Conflict(MSG_HAS_PASSWORD)
        token = tokens.issue(user, tokens.INVITATION, actor)
        record(actor, "user.invite", "user", user.id, new=user.email)
    subject, body = invitation_message(user, actor, external_url("passwords.choose", token=token))
    return mail.send([user.email], subject, body)


def invitation_message(user: User, actor, link: str) -> tuple[str, str]:
    organisation = current_app.config["ORGANISATION_NAME"]
    inviter = actor.full_name if actor is not None else "L'administrateur de certif"
    ask = actor.full_name if actor is not None else "votre responsable d'organisation"
    roles = ", ".join(label.lower() for label in role_labels(user.roles)) or "–"
    subject = f"Invitation à certif ({organisation}) : choisissez votre mot de passe"
    body = f"""Bonjour {user.first_name},

{inviter} vous invite à rejoindre certif, l'outil des examens de certification {of(organisation)}.
Rôle : {roles}.
Identifiant de connexion : {user.email}

Pour activer votre compte, choisissez votre mot de passe en ouvrant ce lien :
{link}

Ce lien est valable {hours(tokens.INVITATION)} heures et ne sert qu'une seule fois.
S'il a expiré, demandez une nouvelle invitation à {ask}.
Ensuite, connectez-vous ici : {external_url("auth.login")}

Si vous n'attendiez pas ce message, ignorez-le : sans ce lien, personne ne peut
utiliser ce compte.

{organisation}
"""
    return subject, body


def setup_link(user: User) -> str:
    """A link (24 hours, single use) to choose the password, for the command line.

    Issued by nobody (actor None), audited; earlier links of the account stop working."""
    with write_transaction():
        user = db.session.get(User, user.id, populate_existing=True)
        if not user.active:
            raise Conflict("Ce compte est désactivé : réactivez-le d'abord.")
        token = tokens.issue(user, tokens.SETUP)
        record(None, "user.setup_link", "user", user.id, new=user.email)
    return external_url("passwords.choose", token=token)
