"""Conflict of interest (seed 000, I.C.1): each juror declares, once, before grading a
candidate, whether they know them; a declared conflict blocks their grading."""
from __future__ import annotations

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, InvalidInput
from ..examday.access import ExamAccess, exam_access
from ..extensions import db
from ..jurors.models import ConflictDeclaration
from ..sessions.models import GRADING
from ..text import clean_text
from .guards import require_may_write, require_phase
from .inputs import MAX_COMMENT

MSG_DECLARE_FIRST = ("Déclarez d'abord que vous ne connaissez pas ce candidat, personnellement "
                     "ou professionnellement, avant de l'évaluer.")
MSG_CONFLICT = ("Vous avez déclaré connaître ce candidat : vous ne pouvez pas l'évaluer. "
                "Le responsable d'organisation doit le confier à un autre jury.")
MSG_ALREADY_DECLARED = "Vous avez déjà déclaré pour ce candidat : la déclaration ne peut pas être modifiée."
DECLARATIONS = {"none": False, "conflict": True}


def require_no_conflict(access: ExamAccess) -> ConflictDeclaration:
    declaration = access.declaration
    if declaration is None:
        raise Conflict(MSG_DECLARE_FIRST)
    if declaration.has_conflict:
        raise Conflict(MSG_CONFLICT)
    return declaration


def declare(user, exam_id: int, raw_value: str | None, comment: str | None = None) -> ConflictDeclaration:
    """The juror says, once, whether they know the candidate; a conflict blocks their grading."""
    if raw_value not in DECLARATIONS:
        raise InvalidInput("Choisissez votre déclaration : vous connaissez ce candidat ou non.")
    has_conflict = DECLARATIONS[raw_value]
    comment = clean_text(comment) or None
    if comment and len(comment) > MAX_COMMENT:
        raise InvalidInput(f"Le commentaire ne doit pas dépasser {MAX_COMMENT} caractères.")
    with write_transaction():
        access = exam_access(user, exam_id, lock=True)
        if access.declaration is not None:
            raise Conflict(MSG_ALREADY_DECLARED)
        require_phase(access.exam, GRADING)
        require_may_write(access)
        declaration = ConflictDeclaration(exam_id=exam_id, juror_id=user.id,
                                          has_conflict=has_conflict,
                                          comment=comment if has_conflict else None)
        db.session.add(declaration)
        db.session.flush()
        record(user, "conflict.declare", "exam", exam_id, None,
               "conflit" if has_conflict else "aucun conflit",
               comment=declaration.comment, candidate_id=access.exam.candidate_id)
    return declaration
