"""Which jurors may read a signature: those who sit on the jury of the document signed.

Signatures sit in the foundation and know nothing of exams, juries or minutes. Each domain
whose documents a jury signs registers, when its models are imported (as `certif.models`
does for every table), the query of the jurors a document of that kind belongs to: the exam
day for the attendance and conditions sheets, the minutes for the minutes. A document nobody
registered (the council's sheets) is read by no juror.
"""
from __future__ import annotations

from collections.abc import Callable

from ..extensions import db

# document kind -> subject id -> a SELECT of the ids of the jurors who sit on its jury
_jurors: dict[str, Callable] = {}


def register_jurors(document: str, query: Callable) -> None:
    """Called by the domain that owns `document` (its models module)."""
    _jurors[document] = query


def sits_on_jury_of(document: str, subject_id: int, user_id: int) -> bool:
    """Whether the user sits on the jury (or one of the juries) the signed document belongs to."""
    query = _jurors.get(document)
    if query is None:
        return False
    return user_id in set(db.session.scalars(query(subject_id)))
