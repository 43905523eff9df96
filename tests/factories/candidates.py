"""Candidates."""
from datetime import date
from itertools import count

from certif.candidates.accommodation import Accommodation
from certif.candidates.models import Candidate
from certif.extensions import db

_seq = count(1)


def make_candidate(first_name="Alex", last_name=None, **fields) -> Candidate:
    """A candidate with a name and an e-mail address of their own unless told."""
    n = next(_seq)
    values = {"last_name": last_name or f"Candidat{n}", "email": f"candidat{n}@test.fr", **fields}
    candidate = Candidate(first_name=first_name, **values)
    db.session.add(candidate)
    db.session.commit()
    return candidate


def make_accommodation(candidate, referent="Mme Référente", requested_on=None, decision="granted",
                       decided_on=None, medical_details=None, **fields):
    """A disability accommodation record (seed 000, I.D.3) for `candidate`; the measures stay
    on the candidate (`extra_minutes`, `accommodation`)."""
    row = Accommodation(candidate_id=candidate.id, referent=referent,
                        requested_on=requested_on or date(2026, 1, 5), decision=decision,
                        decided_on=decided_on or (None if decision == "pending" else date(2026, 1, 12)),
                        medical_details=medical_details, **fields)
    db.session.add(row)
    db.session.commit()
    return row
