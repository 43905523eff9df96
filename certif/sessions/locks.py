"""Whether a session's grades are locked: the minutes say so, and they sit above this layer.

The first juror's signature on a session's minutes locks its grades (`Minutes.locked_at`).
Sessions, the exam day and grading must refuse writes from then on, but they sit below the
minutes and never import them: the minutes register, when their models are imported (as
`certif.models` does for every table), the SQL expression that reads the lock.
"""
from __future__ import annotations

from collections.abc import Callable

from ..extensions import db

# session id (a value or a column) -> a scalar SQL expression: when its grades were locked, or NULL
_locked_at: Callable | None = None


def register_locked_at(resolver: Callable) -> None:
    """Called once by `certif.minutes.models`."""
    global _locked_at
    _locked_at = resolver


def locked_at_of(session_id):
    """A scalar SQL expression (a correlated subquery when `session_id` is a column): the
    moment the session's grades were locked, or NULL while they are not."""
    if _locked_at is None:
        raise RuntimeError("certif.minutes.models is not imported: nobody told sessions how to read "
                           "the grades' lock")
    return _locked_at(session_id)


def grades_locked(session_id: int) -> bool:
    """The session's minutes carry a signature: its grades are locked."""
    return db.session.scalar(db.select(locked_at_of(session_id))) is not None
