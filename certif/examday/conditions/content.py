"""What each juror signs on the exam-conditions sheet: its content, frozen at the first
signature, as its fingerprint covers it."""
from __future__ import annotations

from ...sessions.models import Jury
from ..models import ConditionsSheet
from .proposals import origin
from .queries import sheet_answers
from .rules import POSITIONS, answer_value, condition_label

DOCUMENT = "annexe 4 — fiche de validation des conditions d'examen"


def sheet_content(sheet: ConditionsSheet, jury: Jury) -> dict:
    """What each juror signs: the same for both, since the sheet is frozen at the first signature."""
    session = jury.session
    answers = sheet_answers(sheet)
    given = {a.position: a for a in sheet.answers}
    return {
        "document": DOCUMENT,
        "certification": session.referential.document_title,
        "session": session.number,
        "jury": jury.label,
        "date": sheet.day.isoformat(),
        # Each answer says whether certif proposed it (and the facts it showed) and whether the
        # jury confirmed or changed it.
        "conditions": [_condition(n, answers, given.get(n)) for n in POSITIONS],
        "observations": sheet.observations or "",
        "jurors": [j.full_name for j in jury.jurors],
    }


def _condition(n: int, answers: dict, answer) -> dict:
    value = answers.get(n, "unset")
    proposed = answer.proposed if answer is not None else None
    return {"n": n, "label": condition_label(n),
            "respectee": "sans objet" if value is None else (None if value == "unset" else value),
            "origine": origin(None if value == "unset" else answer_value(value), proposed),
            "faits": answer.proposed_facts if answer is not None else None}
