from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/c")


@bp.get("/<token>")
def home(token: str):
    # Placeholder until the portal page is written (issue 3, convocations helper).
    from .tokens import candidate_from_token
    candidate = candidate_from_token(token)
    return candidate.full_name
