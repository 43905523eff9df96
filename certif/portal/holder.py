"""The candidate completes or corrects their civil status from their personal link (issue 15).

What the certificate prints and the CDC declaration carries comes from these fields
(`candidates.holder`). The candidate may change them until the day of their last session;
after it the organiser alone corrects them (the candidate form). Every change is audited,
without the link itself.
"""
from __future__ import annotations

from datetime import date

from ..audit.services import record
from ..candidates.models import Candidate
from ..database import write_transaction
from ..errors import Conflict
from ..extensions import db
from ..sessions.models import CANCELLED, Exam, ExamSession, Jury
from ..timeutil import french_date, paris_day, utcnow

# What the candidate may change: their names, first names, birth date and place (the access
# mode is the organiser's: the confirmation page shows it).
CANDIDATE_FIELDS = ("birth_name", "usage_name", "first_name", "first_name_2", "first_name_3",
                    "birth_date", "sex", "birth_insee_code", "birth_postal_code", "birth_commune",
                    "birth_country_code", "birth_country_name")


def last_session_day(candidate: Candidate) -> date | None:
    """The day of the candidate's last sitting in a session not cancelled (None: none yet)."""
    starts = db.session.scalars(
        db.select(Exam.starts_at).join(Jury, Exam.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .where(Exam.candidate_id == candidate.id, Exam.is_active,
               ExamSession.status != CANCELLED)).all()
    return max((paris_day(s) for s in starts), default=None)


def closed_message(candidate: Candidate, today: date, contact: str) -> str | None:
    """Why the candidate can no longer change their civil status (None: they can)."""
    last = last_session_day(candidate)
    if last is None or today <= last:
        return None
    return (f"Votre session du {french_date(last)} est passée : votre état civil ne peut plus "
            "être modifié depuis ce lien. Pour toute correction, écrivez au responsable "
            f"d'organisation ({contact}).")


def update_from_link(candidate_id: int, values: dict, today: date, contact: str) -> dict:
    """Store what the candidate sent; the changed fields {name: [old, new]} (audited)."""
    with write_transaction():
        candidate = db.session.get(Candidate, candidate_id)
        refusal = closed_message(candidate, today, contact)
        if refusal:
            raise Conflict(refusal)
        changes = {}
        for name in CANDIDATE_FIELDS:
            old, new = getattr(candidate, name), values.get(name)
            if old != new:
                changes[name] = [_plain(old), _plain(new)]
                setattr(candidate, name, new)
        candidate.holder_confirmed_at = utcnow()
        if changes:
            candidate.updated_at = utcnow()
        record(None, "candidate.holder_confirm", "candidate", candidate.id,
               new=", ".join(changes) or "aucune modification", channel="candidate",
               changes=changes)
    return changes


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value
