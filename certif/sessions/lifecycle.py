"""A session's status: the facts its page and its guards read (loaded once), why it cannot
take the next step or be cancelled yet, and taking that step (draft → convened → in
progress → deliberated → closed), in one `write_transaction` with its audit entry."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..jurors.habilitations import habilitation_problem
from ..organisation.queries import cover_problem
from ..people import of
from ..timeutil import french_date, paris_today
from .convened import convocation_reader
from .guards import guard_problem
from .juries import jury_problem
from .jurors import conflicts_for_exams
from .models import (
    CANCELLED,
    CLOSED,
    CONVENED,
    DELIBERATED,
    DRAFT,
    IN_PROGRESS,
    PREPARING,
    SESSION_CLOSED,
    SESSION_STATUSES,
    Exam,
    ExamSession,
    Jury,
)
from .queries import active_exams, get_session, session_day, sitting_exams, sitting_juries
from .references import GRIDS, exams_with

# Forward only, one step at a time; CANCELLED is reached by `services.cancel_session` instead.
NEXT_STATUS = {DRAFT: CONVENED, CONVENED: IN_PROGRESS, IN_PROGRESS: DELIBERATED,
               DELIBERATED: SESSION_CLOSED}
STEP_LABELS = {CONVENED: "Marquer la session comme convoquée",
               IN_PROGRESS: "Ouvrir la session (jour de l'épreuve)",
               DELIBERATED: "Marquer la session comme délibérée",
               SESSION_CLOSED: "Clôturer la session"}


@dataclass
class SessionFacts:
    session: ExamSession
    candidate_convocations: dict  # exam id -> latest Convocation
    juror_convocations: dict  # juror id -> latest Convocation
    conflicts: dict  # exam id -> [ConflictDeclaration] of jurors sitting on its jury now
    graded: set  # ids of exams that have at least one grid
    habilitation: dict  # juror id -> French reason they cannot sit, or None
    replacements: dict  # stopped jury id -> its replacement session (or None)

    @property
    def juries(self) -> list[Jury]:
        return list(self.session.juries)

    def candidate_convened(self, exam: Exam) -> bool:
        return convocation_reader().candidate_convocation_current(
            exam, self.candidate_convocations.get(exam.id))

    def juror_convened(self, juror) -> bool:
        return convocation_reader().juror_convocation_current(
            self.session, juror, self.juror_convocations.get(juror.id))


def session_facts(session: ExamSession) -> SessionFacts:
    exams = [e for j in session.juries for e in j.exams]
    active_ids = [e.id for e in exams if e.is_active]
    graded = exams_with(GRIDS, [e.id for e in exams])
    jurors = {m.juror.id: m.juror for j in session.juries for m in j.members}
    stopped = [j.id for j in session.juries if not j.sits]
    replacements = {jury_id: None for jury_id in stopped}
    if stopped:
        for replacement in db.session.scalars(
                db.select(ExamSession).where(ExamSession.replaces_jury_id.in_(stopped))):
            replacements[replacement.replaces_jury_id] = replacement
    reader = convocation_reader()
    return SessionFacts(
        session=session,
        candidate_convocations=reader.latest_candidate_convocations(active_ids) if active_ids else {},
        juror_convocations=reader.latest_juror_convocations(session.id),
        # Only the jurors who sit on the exam's jury now: moving the candidate resolves it.
        conflicts=conflicts_for_exams(active_ids) if active_ids else {},
        graded=graded,
        habilitation={juror_id: habilitation_problem(juror, session.referential)
                      for juror_id, juror in jurors.items()},
        replacements=replacements)


def convene_problem(facts: SessionFacts) -> str | None:
    """Why the session cannot be marked as convened yet."""
    juries = sitting_juries(facts.session)
    if not juries:
        return "Aucun jury n'est constitué : ajoutez au moins un jury."
    for jury in juries:
        problem = jury_problem(jury)
        if problem:
            return problem
        for juror in jury.jurors:
            if facts.habilitation.get(juror.id):
                return f"{jury.label} – {facts.habilitation[juror.id]}"
    exams = active_exams(facts.session)
    if not exams:
        return "Aucun candidat n'est placé dans les jurys de cette session."
    uninsured = cover_problem(session_day(facts.session), facts.session.number)
    if uninsured:
        return uninsured
    unsent = [e for e in exams if not facts.candidate_convened(e)]
    if unsent:
        who = _count(len(unsent), "candidat n'a", "candidats n'ont")
        return f"{who} pas reçu de convocation à jour : envoyez les convocations d'abord."
    jurors = [j for jury in juries for j in jury.jurors if not facts.juror_convened(j)]
    if jurors:
        who = _count(len(jurors), "juré n'a", "jurés n'ont")
        return f"{who} pas reçu de convocation à jour : envoyez les convocations d'abord."
    return None


def start_problem(session: ExamSession, today: date) -> str | None:
    day = session_day(session)
    if today < day:
        return f"La session ne peut être ouverte qu'à partir du jour de l'épreuve, le {french_date(day)}."
    return None


def deliberate_problem(facts: SessionFacts) -> str | None:
    """Every candidate who sits (before a jury that sits) must have a closed deliberation."""
    still_open = [e for e in sitting_exams(facts.session) if e.phase != CLOSED]
    if not still_open:
        return guard_problem(DELIBERATED, facts.session)  # the minutes' signatures
    names = ", ".join(e.candidate.full_name for e in still_open[:5])
    if len(still_open) > 5:
        names += " …"
    if len(still_open) == 1:
        return f"La délibération {of(names)} n'est pas encore close."
    return f"{len(still_open)} délibérations ne sont pas encore closes : {names}."


def cancel_problem(session: ExamSession) -> str | None:
    """Why the session cannot be cancelled now (409), or None.

    Candidates still to sit would be stranded in a cancelled session (nobody would
    see them any more): they must be moved to another session or marked absent first."""
    if session.status == CANCELLED:
        return "Cette session est déjà annulée."
    if session.status not in PREPARING:
        return (f"La session est « {session.status_label.lower()} » : elle ne peut plus être "
                "annulée. Pour un candidat qui ne peut pas venir, déclarez son absence ou "
                "reportez-le.")
    waiting = active_exams(session)
    if waiting:
        names = ", ".join(e.candidate.full_name for e in waiting[:5])
        if len(waiting) > 5:
            names += " …"
        who = _count(len(waiting), "candidat est encore convoqué", "candidats sont encore convoqués")
        return (f"{who} dans cette session ({names}) : reportez-les sur une autre session ou "
                "déclarez-les absents avant de l'annuler.")
    return None


def _count(n: int, one: str, many: str) -> str:
    return f"1 {one}" if n == 1 else f"{n} {many}"


@dataclass(frozen=True)
class NextStep:
    target: str
    label: str
    problem: str | None  # why it cannot be taken now; None when it can

    @property
    def target_label(self) -> str:
        return SESSION_STATUSES[self.target]


def next_step(facts: SessionFacts, today: date | None = None) -> NextStep | None:
    session = facts.session
    target = NEXT_STATUS.get(session.status)
    if target is None:
        return None
    today = today or paris_today()
    problem = {CONVENED: lambda: convene_problem(facts),
               IN_PROGRESS: lambda: start_problem(session, today),
               DELIBERATED: lambda: deliberate_problem(facts),
               SESSION_CLOSED: lambda: guard_problem(SESSION_CLOSED, session)}[target]()  # the visa
    return NextStep(target, STEP_LABELS[target], problem)


def advance_session(actor, session_id: int, target: str | None, *,
                    today: date | None = None) -> ExamSession:
    """Move the session one step forward, if its guard allows it; repeating is harmless."""
    if target not in NEXT_STATUS.values():
        raise InvalidInput("Étape demandée inconnue.")
    with write_transaction():
        session = get_session(session_id, lock=True)
        if session.status == target:
            return session  # a repeated click: already done
        step = next_step(session_facts(session), today)
        if step is None or step.target != target:
            raise Conflict(f"La session est « {session.status_label.lower()} » : elle ne peut pas "
                           f"passer à « {SESSION_STATUSES[target].lower()} ».")
        if step.problem:
            raise Conflict(step.problem)
        old = session.status
        session.status = target
        record(actor, "session.status", "session", session.id, old, target)
    return session
