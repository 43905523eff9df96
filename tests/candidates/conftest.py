"""Helpers for the candidate tests: an organiser's client, candidates, CSV files."""
from datetime import date

import pytest

from certif.candidates.models import Candidate
from certif.extensions import db

from ..factories import ORGANISER, make_user

HEADER = ("nom;prénom;date_naissance;email;téléphone;adresse;code_postal;ville;fin_formation;"
          "parcours;aménagement;minutes_supplementaires")


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8",
              newline: str = "\r\n") -> bytes:
    return newline.join([header, *lines, ""]).encode(encoding)


def make_candidate(**fields) -> Candidate:
    values = {"first_name": "Jeanne", "last_name": "Martin", "birth_date": date(1990, 5, 17),
              "email": "jeanne.martin@exemple.fr", **fields}
    candidate = Candidate(**values)
    db.session.add(candidate)
    db.session.commit()
    return candidate


def candidate_count() -> int:
    return db.session.scalar(db.select(db.func.count(Candidate.id)))


@pytest.fixture
def organiser(app):
    return make_user(ORGANISER, first_name="Olivia", last_name="Organisatrice")


@pytest.fixture
def org(organiser, make_web):
    return make_web(organiser)
