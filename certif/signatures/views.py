"""A signature's image (for the jury's screen) and its evidence as JSON."""
import json

from flask import Blueprint, make_response
from flask_login import current_user

from ..auth.models import COUNCIL, JUROR, ORGANISER
from ..web import role_required
from . import services

bp = Blueprint("signatures", __name__, url_prefix="/signatures")


@bp.get("/<id:signature_id>/image.png")
@role_required(ORGANISER, JUROR, COUNCIL)
def image(signature_id: int):
    signature = services.visible_signature(current_user, signature_id)
    if signature.image_png is None:
        return "", 404
    response = make_response(signature.image_png)
    response.mimetype = "image/png"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/<id:signature_id>/preuve.json")
@role_required(ORGANISER, JUROR, COUNCIL)
def evidence(signature_id: int):
    signature = services.visible_signature(current_user, signature_id)
    body = json.dumps(services.evidence(signature), ensure_ascii=False, indent=2)
    response = make_response(body)
    response.mimetype = "application/json"
    response.headers.set("Content-Disposition", "attachment",
                         filename=f"signature-{signature.id}-preuve.json")
    response.headers["Cache-Control"] = "private, no-store"
    return response
