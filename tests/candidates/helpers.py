"""Helpers of the candidate tests: CSV files, the candidate form, Jeanne Martin's fields."""
from datetime import date

from certif.candidates.models import Candidate
from certif.extensions import db

# The candidate most tests make (make_candidate(**JEANNE)).
JEANNE = {"first_name": "Jeanne", "last_name": "Martin", "birth_date": date(1990, 5, 17),
          "email": "jeanne.martin@exemple.fr"}
HEADER = ("nom;prénom;date_naissance;email;téléphone;adresse;code_postal;ville;fin_formation;"
          "parcours;aménagement;minutes_supplementaires")


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8",
              newline: str = "\r\n") -> bytes:
    return newline.join([header, *lines, ""]).encode(encoding)


def candidate_count() -> int:
    return db.session.scalar(db.select(db.func.count(Candidate.id)))


FORM = {
    "last_name": "Dupont", "first_name": "Jean", "birth_date": "1985-03-02",
    "email": "Jean.Dupont@Exemple.fr", "phone": "06 00 00 00 00", "address": "3 rue Basse",
    "postal_code": "69001", "city": "Lyon", "training_end_date": "2026-04-30",
    "pathway": "vae", "accommodation": "", "extra_minutes": "0",
}
