"""Who a session's convocations go to, and for when: its sitting juries, the candidates
still expected, and each juror once, with their juries and their first slot."""
from __future__ import annotations

from datetime import datetime

from ..auth.models import User
from ..errors import NotFound
from ..extensions import db
from ..sessions.models import ExamSession, Jury
from ..sessions.queries import get_session, sitting_exams, sitting_juries


def session_jurors(session: ExamSession) -> list[User]:
    """Each juror of the session once, in jury and seat order."""
    jurors: dict[int, User] = {}
    for jury in sitting_juries(session):
        for juror in jury.jurors:
            jurors.setdefault(juror.id, juror)
    return list(jurors.values())


def juror_juries(session: ExamSession, juror_id: int) -> list[Jury]:
    return [j for j in sitting_juries(session) if any(m.juror_id == juror_id for m in j.members)]


def juror_start(session: ExamSession, juror_id: int) -> datetime:
    """What a juror's convocation announces, and must still hold to be current: the
    session's start (as the session's own guard reads it, `sessions.lifecycle`)."""
    return session.starts_at


def juror_first_slot(session: ExamSession, juror_id: int) -> datetime:
    """When the juror's first candidate sits (the session's start when they have none)."""
    starts = [e.starts_at for jury in juror_juries(session, juror_id) for e in sitting_exams(jury)]
    return min(starts, default=session.starts_at)


def juror_target(session_id: int, juror_id: int) -> tuple[ExamSession, User]:
    """The session and one of its jurors; 404 when the user sits on none of its juries."""
    session = get_session(session_id)
    juror = db.session.get(User, juror_id)
    if juror is None or not juror_juries(session, juror_id):
        raise NotFound("Ce juré ne siège dans aucun jury de cette session.")
    return session, juror
