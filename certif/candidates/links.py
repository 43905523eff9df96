"""Candidates' personal links: signed, expiring, revocable; no account needed.

The token carries the candidate's id and their link nonce, signed with the
app's secret key. It expires after CANDIDATE_LINK_DAYS; changing the nonce
revokes every link already sent. The portal (above every domain) serves the page the link
opens; the lower domains (convocations, certificates) put the link in their mails and PDFs.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..errors import NotFound, ServiceError
from ..extensions import db
from ..web import external_url
from .models import Candidate

SALT = "certif.candidate-link"


class LinkExpired(ServiceError):
    status = 410


def link_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(candidate: Candidate) -> str:
    return link_serializer().dumps({"c": candidate.id, "n": candidate.link_nonce})


def candidate_link(candidate: Candidate) -> str:
    """The absolute link to the candidate's page, for emails and PDFs."""
    return external_url("portal.home", token=make_token(candidate))


def candidate_from_token(token: str) -> Candidate:
    """The candidate a link belongs to; 404 for a forged or revoked link, 410 when expired."""
    max_age = current_app.config["CANDIDATE_LINK_DAYS"] * 86400
    try:
        data = link_serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkExpired("Ce lien a expiré. Demandez un nouveau lien au responsable "
                          "d'organisation de la certification.") from None
    except BadSignature:
        raise NotFound("Ce lien n'est pas valide.") from None
    candidate = db.session.get(Candidate, data.get("c")) if isinstance(data, dict) else None
    if candidate is None or candidate.link_nonce != data.get("n"):
        raise NotFound("Ce lien n'est pas valide ou a été remplacé par un lien plus récent.")
    return candidate
