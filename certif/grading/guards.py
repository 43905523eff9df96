"""What every grading write checks first: the grades' lock, the exam's phase, and whether
this juror may write on this exam at all (session, habilitation, candidate still sitting)."""
from __future__ import annotations

from ..errors import Conflict
from ..examday.access import MSG_MINUTES_SIGNED, ExamAccess
from ..sessions.models import CLOSED, DELIBERATION, Exam

MSG_GRID_LOCKED = ("La délibération est ouverte : les grilles individuelles sont verrouillées ; "
                   "les modifications se font désormais en délibération.")
MSG_CLOSED = "La délibération est close : les notes sont verrouillées et ne peuvent plus être modifiées."


def require_may_write(access: ExamAccess) -> None:
    """Nothing is written in a cancelled or closed session, by a juror without habilitation,
    nor, while grading, for a candidate absent or moved or on a stopped jury (carence)."""
    refusal = access.write_refusal
    if refusal is not None:
        raise Conflict(refusal)


def require_unlocked(access: ExamAccess) -> None:
    """Signed minutes lock the session's grades: say so before anything about phases."""
    if access.minutes_locked:
        raise Conflict(MSG_MINUTES_SIGNED.format(number=access.session_number))


def require_phase(exam: Exam, phase: str) -> None:
    if exam.phase == phase:
        return
    if exam.phase == CLOSED:
        raise Conflict(MSG_CLOSED)
    if exam.phase == DELIBERATION:
        raise Conflict(MSG_GRID_LOCKED)
    raise Conflict("La délibération n'est pas encore ouverte pour ce candidat.")
