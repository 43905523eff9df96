"""Read-only lookups of the exam-conditions sheets: a jury's sheet and answers, who signs,
who may fill or read it, and the sheets not handed (the dashboard's reminder)."""
from __future__ import annotations

from datetime import date, time

from ...auth.models import COUNCIL, ORGANISER
from ...database import get_row
from ...errors import NotFound
from ...extensions import db
from ...sessions.models import CANCELLED, MOVED, Exam, ExamSession, Jury
from ...sessions.queries import get_jury, session_day
from ...timeutil import french_date, paris_to_utc, paris_today
from ..models import ConditionsSheet

MSG_TOO_EARLY = ("La fiche des conditions d'examen se remplit le jour de l'examen, "
                 "le {day}.")
MSG_CANCELLED = "La session n° {number} est annulée : la fiche des conditions d'examen n'a pas lieu d'être."
MSG_ABSENT = ("Vous êtes déclaré absent (carence) pour ce jury : la fiche est remplie et signée "
              "par le juré présent.")

MSG_NO_JURY = "Jury introuvable parmi vos jurys."
MSG_NO_SHEET = "Fiche des conditions d'examen introuvable."


def sheet_answers(sheet: ConditionsSheet | None) -> dict[int, bool | None]:
    """{position: True, False, or None for "sans objet"} of the answers given."""
    return {a.position: None if a.not_applicable else a.respected
            for a in sheet.answers} if sheet else {}


def sheet_of(jury: Jury) -> ConditionsSheet | None:
    """The jury's sheet for its session's day (None before the first save)."""
    return db.session.scalar(db.select(ConditionsSheet).filter_by(
        jury_id=jury.id, day=session_day(jury.session)))


def sheets_for_jury(jury_id: int) -> list[ConditionsSheet]:
    """Every sheet of a jury, by day (one per day the jury sat)."""
    return list(db.session.scalars(
        db.select(ConditionsSheet).where(ConditionsSheet.jury_id == jury_id)
        .order_by(ConditionsSheet.day)))


def signers(jury: Jury) -> list:
    """The jurors who sign: both, or the one present when the jury was stopped (carence)."""
    return [j for j in jury.jurors if j.id != jury.absent_juror_id]


def _is_juror_of(user, jury: Jury) -> bool:
    return any(j.id == user.id for j in jury.jurors)


def juror_jury(user, jury_id: int, *, lock: bool = False) -> Jury:
    """The jury if `user` sits on it; NotFound otherwise, as if it did not exist."""
    if lock:
        jury = get_jury(jury_id, lock=True)
    else:
        jury = db.session.get(Jury, jury_id)
    if jury is None or not _is_juror_of(user, jury):
        raise NotFound(MSG_NO_JURY)
    return jury


def write_refusal(user, jury: Jury, today: date) -> str | None:
    """Why `user` may not fill the sheet now (French), signatures apart; or None."""
    session = jury.session
    if session.status == CANCELLED:
        return MSG_CANCELLED.format(number=session.number)
    day = session_day(session)
    if today < day:
        return MSG_TOO_EARLY.format(day=french_date(day))
    if jury.absent_juror_id == user.id:
        return MSG_ABSENT
    return None


def visible_sheet(viewer, sheet_id: int) -> ConditionsSheet:
    """The sheet if `viewer` may read it (organiser, council, a juror of its jury); else 404."""
    sheet = get_row(ConditionsSheet, sheet_id, MSG_NO_SHEET)
    if viewer.has_role(ORGANISER, COUNCIL) or _is_juror_of(viewer, sheet.jury):
        return sheet
    raise NotFound(MSG_NO_SHEET)


def sheets_not_handed(today: date | None = None) -> list[tuple[Jury, ExamSession]]:
    """Juries that sat before `today` whose sheet was not handed: the dashboard's reminder.

    A jury sat when its session's day is past, the session is not cancelled, the jury
    was not stopped (carence) and at least one of its candidates was not moved elsewhere.
    """
    today = today or paris_today()
    # Sessions that started before today's Paris midnight (the day is refined below).
    before = paris_to_utc(today, time(0, 0))
    rows = db.session.execute(
        db.select(Jury, ExamSession)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .where(ExamSession.status != CANCELLED, ExamSession.starts_at < before,
               Jury.sits,
               db.select(Exam.id).where(Exam.jury_id == Jury.id, Exam.status != MOVED).exists())
        .order_by(ExamSession.starts_at, Jury.position)).all()
    rows = [(jury, session) for jury, session in rows if session_day(session) < today]
    if not rows:
        return []
    handed = set(db.session.execute(
        db.select(ConditionsSheet.jury_id, ConditionsSheet.day)
        .where(ConditionsSheet.jury_id.in_([j.id for j, _ in rows]),
               ConditionsSheet.handed_at.is_not(None))).all())
    return [(jury, session) for jury, session in rows if (jury.id, session_day(session)) not in handed]
