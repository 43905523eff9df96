"""The demo's pathways and livrets (issue 14) for the RNCP session 2026-CM-01: Manon Faure in
training in the organisation with a full livret (every competency evaluated, every block
project validated), Yanis Mercier trained by a partner organisation whose CSV was imported,
and Rayan Bouzid, a VAE candidate without livret, placed in the session's next slot. Made
through the services, so every step is audited as the organiser's would be."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from ...database import write_transaction
from ...extensions import db
from ...referentials.models import Referential
from ..models import Candidate
from ..rules import CandidateData
from ..services import create
from . import writes
from .rules import EvaluationInput, ProjectInput

CODE = "RNCP-CM"
PARTNER = "Digital Campus Lyon"
TRAINERS = ("Nadia Roche", "Paul Vidal", "Inès Carpentier")
LEAD = "Sophie Marchal, référente pédagogique"
KINDS = ("quiz", "case_study", "practical", "project")
VAE = CandidateData(first_name="Rayan", last_name="Bouzid", birth_date=date(1987, 9, 14),
                    email="rayan.bouzid@exemple.fr", phone="06 00 00 00 00", city="Paris",
                    postal_code="75011", pathway="vae")


def _candidate(first_name: str, last_name: str) -> Candidate:
    return db.session.scalar(db.select(Candidate).filter_by(first_name=first_name,
                                                            last_name=last_name))


def load(today: date, place: Callable[[Candidate], object]) -> None:
    """`place(candidate)`: put the candidate in 2026-CM-01's jury (its next slot)."""
    ref = db.session.scalar(db.select(Referential).filter_by(code=CODE)
                            .order_by(Referential.version.desc()).limit(1))
    manon, yanis = _candidate("Manon", "Faure"), _candidate("Yanis", "Mercier")
    with write_transaction():
        manon.pathway = "training"
        yanis.pathway, yanis.partner_organisation = "partner", PARTNER
    _manon(manon, ref, today)
    _yanis(yanis, ref, today)
    place(create(None, VAE))


def _manon(manon: Candidate, ref: Referential, today: date) -> None:
    writes.open_livret(None, manon.id, ref.id)
    start = today - timedelta(days=200)
    for index, competency in enumerate(ref.competencies):
        day = start + timedelta(days=9 * index)
        if index == 4:  # a first attempt not acquired, acquired three weeks later
            writes.add_evaluation(None, manon.id, EvaluationInput(
                competency.code, day, "quiz", False, TRAINERS[0],
                "Veille sur les influenceurs incomplète : à reprendre."))
            day += timedelta(days=21)
        writes.add_evaluation(None, manon.id, EvaluationInput(
            competency.code, day, KINDS[index % len(KINDS)], True, TRAINERS[index % 3],
            "Objectifs atteints."))
    for index, block in enumerate(ref.blocks):
        writes.save_project(None, manon.id, ProjectInput(
            block.code, start + timedelta(days=45 + 50 * index), LEAD,
            f"Projet de fin de bloc {block.code} remis et validé."))


def _yanis(yanis: Candidate, ref: Referential, today: date) -> None:
    """The partner's file, imported as the organiser would import it."""
    writes.open_livret(None, yanis.id, ref.id)
    start = today - timedelta(days=180)
    lines = ["bloc;compétence;date;type;résultat;évaluateur;commentaire"]
    for index, competency in enumerate(c for c in ref.competencies if c.block.code != "BC03"):
        day = start + timedelta(days=8 * index)
        result = "non acquis" if index == 2 else "acquis"
        lines.append(f"{competency.block.code};{competency.code};{day:%d/%m/%Y};"
                     f"{('Quiz', 'Étude de cas', 'Travaux pratiques')[index % 3]};{result};"
                     f"Marc Lenoir ({PARTNER});")
    for index, block in enumerate(b for b in ref.blocks if b.code != "BC03"):
        lines.append(f"{block.code};;{start + timedelta(days=60 + 40 * index):%d/%m/%Y};"
                     f"projet de bloc;validé;Claire Dumas, référente pédagogique ({PARTNER});")
    outcome = writes.import_csv(None, yanis.id, "livret-digital-campus.csv",
                                "\r\n".join(lines).encode())
    if outcome.errors:
        raise RuntimeError("; ".join(outcome.errors))
