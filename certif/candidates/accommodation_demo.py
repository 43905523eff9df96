"""The demo's disability accommodation (seed 000, I.D.3): the record of a candidate of
today's session whose measures (extra time) the demo sets on the candidate, made through
the service (audited), with medical details that only the organiser reads."""
from __future__ import annotations

from datetime import date, timedelta

from ..extensions import db
from .accommodation import GRANTED
from .accommodation_inputs import AccommodationInput
from .accommodation_writes import save
from .models import Candidate


def load(name: tuple[str, str], today: date) -> None:
    first_name, last_name = name
    candidate = db.session.scalar(db.select(Candidate).filter_by(first_name=first_name,
                                                                 last_name=last_name))
    save(None, candidate.id, AccommodationInput(
        referent="Nadia Belkacem, référente handicap", requested_on=today - timedelta(days=45),
        decision=GRANTED, decided_on=today - timedelta(days=38),
        medical_details="Trouble dys attesté par un certificat médical du 12 du mois dernier "
                        "(pièce conservée par la référente)."))
