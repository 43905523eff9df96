"""Where a candidate stands when the organiser places them in a session: already expected
in another session to come (told, not refused), or already holding the session's
certification (refused). The session page's picker and `slots.assign_candidate` read the
same facts, each in one query for any number of candidates.

"Holding the certification" is read from the sittings (`Exam.decision`, frozen when the
deliberation closes), which sessions own: a favourable closed sitting of any version of
the same referential code."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func

from ..candidates.models import Candidate
from ..extensions import db
from ..referentials.models import Referential
from ..timeutil import french_date, paris_day, paris_to_utc, paris_today
from .models import CLOSED, GRADING, STOPPED, Exam, ExamSession, Jury
from .queries import session_day
from .rules import FAVORABLE


@dataclass(frozen=True)
class Held:
    """A certification already obtained: its code and the day its deliberation closed."""
    code: str
    day: date

    @property
    def text(self) -> str:
        return f"{self.code} le {french_date(self.day)}"


@dataclass(frozen=True)
class CandidateChoice:
    candidate: Candidate
    elsewhere: tuple[ExamSession, ...]  # sessions to come where they are expected
    held: Held | None  # the session's certification, already obtained

    @property
    def selectable(self) -> bool:
        return self.held is None

    @property
    def label(self) -> str:
        name = f"{self.candidate.last_name.upper()} {self.candidate.first_name}"
        if self.candidate.extra_minutes:
            name += f" (+{self.candidate.extra_minutes} min)"
        if self.held is not None:
            return f"{name} — déjà certifié(e) : {self.held.text}"
        if self.elsewhere:
            return f"{name} — déjà prévu(e) : " + ", ".join(
                f"session n° {s.number} le {french_date(session_day(s))}" for s in self.elsewhere)
        return name


def expected_elsewhere(session: ExamSession,
                       candidate_ids: Iterable[int] | None = None) -> dict[int, list[ExamSession]]:
    """candidate id -> the other sessions to come (today included, neither cancelled nor
    closed) where they wait to sit, soonest first. All candidates unless `candidate_ids`."""
    query = (db.select(Exam.candidate_id, ExamSession)
             .join(Jury, Exam.jury_id == Jury.id)
             .join(ExamSession, Jury.session_id == ExamSession.id)
             .where(Exam.is_active, Exam.phase == GRADING,
                    ExamSession.id != session.id, ExamSession.status.not_in(STOPPED),
                    ExamSession.starts_at >= paris_to_utc(paris_today(), time.min))
             .order_by(ExamSession.starts_at, ExamSession.id))
    if candidate_ids is not None:
        query = query.where(Exam.candidate_id.in_(list(candidate_ids)))
    found: dict[int, list[ExamSession]] = defaultdict(list)
    for candidate_id, other in db.session.execute(query):
        if other not in found[candidate_id]:
            found[candidate_id].append(other)
    return dict(found)


def certification_held(session: ExamSession,
                       candidate_ids: Iterable[int] | None = None) -> dict[int, Held]:
    """candidate id -> the session's certification (same referential code, any version)
    obtained: a favourable closed deliberation, the first one."""
    code = session.referential.code
    query = (db.select(Exam.candidate_id, func.min(Exam.closed_at))
             .join(Jury, Exam.jury_id == Jury.id)
             .join(ExamSession, Jury.session_id == ExamSession.id)
             .join(Referential, ExamSession.referential_id == Referential.id)
             .where(Referential.code == code, Exam.is_active, Exam.phase == CLOSED,
                    Exam.decision == FAVORABLE, Exam.closed_at.is_not(None))
             .group_by(Exam.candidate_id))
    if candidate_ids is not None:
        query = query.where(Exam.candidate_id.in_(list(candidate_ids)))
    return {candidate_id: Held(code, paris_day(closed_at))
            for candidate_id, closed_at in db.session.execute(query)}


def candidate_choices(session: ExamSession) -> list[CandidateChoice]:
    """Candidates not already to sit in this session, by name, with where they stand."""
    placed = db.select(Exam.candidate_id).join(Jury, Exam.jury_id == Jury.id).where(
        Jury.session_id == session.id, Exam.is_active)
    candidates = db.session.scalars(
        db.select(Candidate).where(Candidate.id.not_in(placed))
        .order_by(Candidate.last_name, Candidate.first_name, Candidate.id)).all()
    elsewhere, held = expected_elsewhere(session), certification_held(session)
    return [CandidateChoice(c, tuple(elsewhere.get(c.id, ())), held.get(c.id))
            for c in candidates]


def scheduled_elsewhere_warning(session: ExamSession, candidate_id: int) -> str | None:
    """Told, not refused: the candidate already waits to sit in another session to come."""
    upcoming = expected_elsewhere(session, [candidate_id]).get(candidate_id)
    if not upcoming:
        return None
    return "; ".join(f"Déjà prévu(e) dans la session n° {s.number} le "
                     f"{french_date(session_day(s))}" for s in upcoming) + "."


def certified_problem(session: ExamSession, candidate: Candidate) -> str | None:
    """Why the candidate cannot be placed: they already hold the session's certification."""
    held = certification_held(session, [candidate.id]).get(candidate.id)
    if held is None:
        return None
    return (f"{candidate.full_name} a déjà obtenu la certification {held.text} : "
            "un candidat certifié ne la repasse pas.")
