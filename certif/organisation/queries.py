"""Read-only lookups of the organisation's insurance policies."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..database import get_row
from ..errors import NotFound
from ..extensions import db
from ..text import slug
from . import rules, storage
from .models import InsurancePolicy

MSG_NO_POLICY = "Police d'assurance introuvable."
MSG_NO_FILE = "L'attestation de cette police est introuvable : enregistrez-la à nouveau."


def policies() -> list[InsurancePolicy]:
    """Every policy recorded, the latest cover first (the history is kept)."""
    return list(db.session.scalars(db.select(InsurancePolicy).order_by(
        InsurancePolicy.ends_on.desc(), InsurancePolicy.id.desc())))


def cover_problem(day: date, number: str) -> str | None:
    """Why a session numbered `number` on `day` cannot be convened (French), or None."""
    return rules.cover_problem(policies(), day, number)


def certificate_download(policy_id: int) -> tuple[Path, str]:
    policy = get_row(InsurancePolicy, policy_id, MSG_NO_POLICY)
    if not policy.certificate_file:
        raise NotFound(MSG_NO_FILE)
    path = storage.path_of(policy.certificate_file)
    if not path.is_file():
        raise NotFound(MSG_NO_FILE)
    name = slug(f"attestation-assurance-{policy.insurer}-{policy.number}")
    return path, f"{name}.pdf"
