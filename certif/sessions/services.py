"""Session operations shared by the organiser's screens.

Primitives here (lookups, placing a candidate in a jury, rescheduling a jury's
slots) are used by the session, exception and convocation services; each caller
runs them inside its own `write_transaction` and records the audit entry.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..auth.models import JUROR, User, UserRole
from ..candidates.models import Appeal, Candidate, RetakeRequest
from ..database import get_row, write_transaction
from ..errors import Conflict, FieldError, InvalidInput, NotFound
from ..extensions import db
from ..jurors.models import ConflictDeclaration
from ..jurors.services import habilitation_problem
from ..referentials.models import Referential
from ..text import clean_text
from ..timeutil import french_date, paris_to_utc, paris_today, to_paris, utcnow
from . import rules
from .convened import convocation_reader
from .guards import guard_problem
from .jurors import conflicts_for_exams
from .locks import grades_locked
from .models import (
    CANCELLED,
    CLOSED,
    CONVENED,
    DELIBERATED,
    DRAFT,
    FINISHED,
    GRADING,
    IN_PROGRESS,
    MODES,
    PLANNING,
    PREPARING,
    SCHEDULED,
    SESSION_CLOSED,
    SESSION_STATUSES,
    STOPPED,
    Exam,
    ExamSession,
    Jury,
    JuryMember,
)
from .references import CONVOCATIONS, DELIBERATION_MARKS, GRIDS, exam_has, exams_with


def sessions_overview(today: date | None = None) -> list[ExamSession]:
    """Every session with its juries and exams: those to come (today included) soonest
    first, then past ones most recent first."""
    today = today or paris_today()
    sessions = db.session.scalars(
        db.select(ExamSession)
        .options(db.selectinload(ExamSession.juries).selectinload(Jury.exams)
                 .joinedload(Exam.candidate),
                 db.joinedload(ExamSession.referential))
        .order_by(ExamSession.starts_at.desc())).unique().all()
    upcoming = [s for s in sessions if session_day(s) >= today]
    past = [s for s in sessions if session_day(s) < today]
    return upcoming[::-1] + past


def get_session(session_id: int, *, lock: bool = False) -> ExamSession:
    query = db.select(ExamSession).where(ExamSession.id == session_id)
    if lock:
        query = query.with_for_update(of=ExamSession).execution_options(populate_existing=True)
    session = db.session.scalar(query)
    if session is None:
        raise NotFound("Session introuvable.")
    return session


def session_for_page(session_id: int) -> ExamSession:
    """A session with what its page shows loaded in a fixed number of queries: juries,
    their slots and candidates, their jurors and the jurors' habilitation profiles."""
    juries = db.selectinload(ExamSession.juries)
    session = db.session.scalar(
        db.select(ExamSession).where(ExamSession.id == session_id)
        .options(db.joinedload(ExamSession.referential),
                 juries.selectinload(Jury.exams),
                 juries.selectinload(Jury.members).joinedload(JuryMember.juror)
                 .selectinload(User.juror_profile)))
    if session is None:
        raise NotFound("Session introuvable.")
    return session


def get_jury(jury_id: int, *, lock: bool = False) -> Jury:
    return get_row(Jury, jury_id, "Jury introuvable.", lock=lock)


def get_exam(exam_id: int, *, lock: bool = False) -> Exam:
    return get_row(Exam, exam_id, "Passage introuvable.", lock=lock)


def active_exams(jury: Jury) -> list[Exam]:
    """The candidates still to sit before this jury, in slot order."""
    return [e for e in jury.exams if e.status == SCHEDULED]


def reschedule(jury: Jury) -> None:
    """Recompute the slots of a jury's active exams, in position order, from the session's start.

    Each lasts the referential's duration plus the candidate's extra time.
    Positions are renumbered 1..n so that reordering stays simple."""
    exams = sorted(active_exams(jury), key=lambda e: (e.position, e.id))
    session = jury.session
    slots = rules.schedule(session.starts_at, session.referential.exam_minutes,
                           [e.candidate.extra_minutes or 0 for e in exams])
    for position, (exam, slot) in enumerate(zip(exams, slots, strict=True), start=1):
        exam.position = position
        exam.starts_at = slot.starts_at
        exam.duration_minutes = slot.minutes


def add_exam(jury: Jury, candidate, *, attempt: int = 1, retake_of: Exam | None = None) -> Exam:
    """Place `candidate` at the end of `jury`'s slots (caller audits and commits)."""
    last = max((e.position for e in jury.exams), default=0)
    exam = Exam(candidate=candidate, position=last + 1, attempt=attempt, retake_of=retake_of,
                starts_at=jury.session.starts_at,
                duration_minutes=jury.session.referential.exam_minutes)
    jury.exams.append(exam)
    db.session.flush()
    reschedule(jury)
    return exam


# --- The organiser's session workspace ---------------------------------------------------
#
# Every write below runs in one `write_transaction` and records its audit entry in it.
# Refusals raise InvalidInput (400: what was typed is wrong), Conflict (409: the state
# of the session forbids it) or NotFound (404), each with a French message.

MAX_TEXT = 2000
MSG_ABSENT_JUROR = ("{name} était absent(e) lors de la carence que cette session remplace : "
                    "choisissez un autre juré.")
MSG_CONTROL_CHARS = "{what} ne peut contenir ni retour à la ligne ni caractère de contrôle."
# Forward only, one step at a time; CANCELLED is reached by `cancel_session` instead.
NEXT_STATUS = {DRAFT: CONVENED, CONVENED: IN_PROGRESS, IN_PROGRESS: DELIBERATED,
               DELIBERATED: SESSION_CLOSED}
STEP_LABELS = {CONVENED: "Marquer la session comme convoquée",
               IN_PROGRESS: "Ouvrir la session (jour de l'épreuve)",
               DELIBERATED: "Marquer la session comme délibérée",
               SESSION_CLOSED: "Clôturer la session"}


class FieldConflict(Conflict):
    """A conflict (409) about one field's value, e.g. a session number already taken."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def session_day(session: ExamSession) -> date:
    return to_paris(session.starts_at).date()


def latest_referentials() -> list[Referential]:
    """The latest version of each certification: the ones a new session can pin."""
    latest = (db.select(Referential.code, func.max(Referential.version).label("version"))
              .group_by(Referential.code).subquery())
    return db.session.scalars(
        db.select(Referential).join(latest, (Referential.code == latest.c.code)
                                    & (Referential.version == latest.c.version))
        .order_by(Referential.code)).all()


# --- Create, edit, cancel -----------------------------------------------------------------

@dataclass(frozen=True)
class SessionFields:
    """What the organiser types for a session (Paris wall-clock date and time)."""

    number: str
    referential_id: int
    day: date
    start: time
    mode: str
    place: str | None = None
    video_link: str | None = None
    technical_requirements: str | None = None

    @property
    def starts_at(self) -> datetime:
        return paris_to_utc(self.day, self.start)


def _clean(text: str | None) -> str | None:
    """Trimmed, None when empty; line breaks as sent (the rules check them per field)."""
    return clean_text(text, breaks="keep") or None


def _checked(fields: SessionFields) -> SessionFields:
    """The fields trimmed, with what the mode does not use dropped; FieldError when wrong."""
    number = _clean(fields.number)
    if number is None:
        raise FieldError("number", "Indiquez le numéro de la session.")
    if len(number) > 40:
        raise FieldError("number", "Le numéro de session ne peut dépasser 40 caractères.")
    if rules.has_control_chars(number):
        raise FieldError("number", MSG_CONTROL_CHARS.format(what="Le numéro de session"))
    if fields.day is None:
        raise FieldError("day", "Indiquez la date de l'épreuve.")
    # Before anything computes the UTC start or a deadline from it (year 1 or 9999 overflow).
    day_problem = rules.session_day_problem(fields.day)
    if day_problem:
        raise FieldError("day", day_problem)
    if fields.start is None:
        raise FieldError("start", "Indiquez l'heure de début.")
    if fields.mode not in MODES:
        raise FieldError("mode", "Choisissez une modalité : à distance, en présentiel ou les deux.")
    on_site, remote = fields.mode in ("on_site", "both"), fields.mode in ("remote", "both")
    place = _clean(fields.place) if on_site else None
    link = _clean(fields.video_link) if remote else None
    if on_site and place is None:
        raise FieldError("place", "Indiquez le lieu de la session (épreuve en présentiel).")
    if remote and link is None:
        raise FieldError("video_link", "Indiquez le lien de visioconférence (épreuve à distance).")
    if place is not None and rules.has_control_chars(place):
        raise FieldError("place", MSG_CONTROL_CHARS.format(what="Le lieu"))
    if link is not None and rules.has_control_chars(link):
        raise FieldError("video_link", MSG_CONTROL_CHARS.format(what="Le lien de visioconférence"))
    if link is not None and not _is_https_url(link):
        raise FieldError("video_link", "Le lien de visioconférence doit être une adresse "
                                       "commençant par https://.")
    requirements = _clean(fields.technical_requirements)
    if requirements is not None and len(requirements) > MAX_TEXT:
        raise FieldError("technical_requirements",
                         f"Les prérequis techniques ne peuvent dépasser {MAX_TEXT} caractères.")
    if rules.has_control_chars(requirements, multiline=True):
        raise FieldError("technical_requirements", "Les prérequis techniques ne peuvent contenir "
                                                   "de caractère de contrôle.")
    return replace(fields, number=number, place=place, video_link=link,
                   technical_requirements=requirements)


def _is_https_url(link: str) -> bool:
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:  # e.g. "https://[" (an unclosed IPv6 address)
        return False
    return (parts.scheme == "https" and bool(host) and not any(c.isspace() for c in link)
            and len(link) <= 500)


def _require_future(fields: SessionFields, today: date) -> None:
    if fields.day < today:
        raise FieldError("day", "La date de la session est passée : choisissez une date à venir.")


def _require_free_number(number: str, session_id: int | None = None) -> None:
    query = db.select(ExamSession.id).where(ExamSession.number == number)
    if session_id is not None:
        query = query.where(ExamSession.id != session_id)
    if db.session.scalar(query) is not None:
        raise FieldConflict("number", f"Le numéro de session « {number} » est déjà utilisé : "
                                      "choisissez-en un autre.")


def _require_latest_referential(referential_id: int) -> Referential:
    referential = next((r for r in latest_referentials() if r.id == referential_id), None)
    if referential is None:
        raise FieldError("referential_id", "Choisissez une certification dans la liste.")
    return referential


def create_session(actor, fields: SessionFields, *, today: date | None = None) -> ExamSession:
    """A new session in draft, pinned to the latest version of its referential."""
    fields = _checked(fields)
    _require_future(fields, today or paris_today())
    with write_transaction():
        _require_free_number(fields.number)
        referential = _require_latest_referential(fields.referential_id)
        session = ExamSession(number=fields.number, referential=referential,
                              starts_at=fields.starts_at, mode=fields.mode, place=fields.place,
                              video_link=fields.video_link,
                              technical_requirements=fields.technical_requirements,
                              status=DRAFT)
        db.session.add(session)
        _flush_number(session.number)
        record(actor, "session.create", "session", session.id, new=session.number,
               referential=referential.label, starts_at=session.starts_at.isoformat(),
               mode=session.mode)
    return session


def referential_locked_reason(session: ExamSession) -> str | None:
    """Why the pinned referential can no longer change (None while it still can)."""
    if session.status != DRAFT:
        return "La certification ne peut plus changer une fois la session convoquée."
    if _session_exam_count(session.id):
        return ("La certification ne peut plus changer : des candidats sont déjà placés "
                "dans les jurys de cette session.")
    return None


def _session_exam_count(session_id: int) -> int:
    return db.session.scalar(db.select(func.count(Exam.id)).join(Jury, Exam.jury_id == Jury.id)
                             .where(Jury.session_id == session_id))


def edit_locked_reason(session: ExamSession) -> str | None:
    if session.status in FINISHED:
        return (f"La session est « {session.status_label.lower()} » : "
                "elle ne peut plus être modifiée.")
    return None


def update_session(actor, session_id: int, fields: SessionFields, *,
                   today: date | None = None) -> ExamSession:
    """Change a session's facts; a new date or time reschedules every jury's slots
    (the convocations already sent then show as to be sent again)."""
    fields = _checked(fields)
    with write_transaction():
        session = get_session(session_id, lock=True)
        locked = edit_locked_reason(session)
        if locked:
            raise Conflict(locked)
        _require_free_number(fields.number, session.id)
        moved = fields.starts_at != session.starts_at
        if moved:
            if session.status == IN_PROGRESS:
                raise Conflict("La session est en cours : sa date et son heure ne peuvent plus "
                               "changer.")
            _require_future(fields, today or paris_today())
            _require_replacement_window(session, fields.day)
        if fields.referential_id != session.referential_id:
            reason = referential_locked_reason(session)
            if reason:
                raise Conflict(reason)
            old_label = session.referential.label
            session.referential = _require_latest_referential(fields.referential_id)
            record(actor, "session.update", "session", session.id, old_label,
                   session.referential.label, field="referential")
        for name in ("number", "mode", "place", "video_link", "technical_requirements"):
            old, new = getattr(session, name), getattr(fields, name)
            if old != new:
                setattr(session, name, new)
                record(actor, "session.update", "session", session.id, old, new, field=name)
        if moved:
            record(actor, "session.update", "session", session.id,
                   session.starts_at.isoformat(), fields.starts_at.isoformat(), field="starts_at")
            session.starts_at = fields.starts_at
            for jury in session.juries:
                reschedule(jury)
        _flush_number(session.number)
    return session


def _require_replacement_window(session: ExamSession, day: date) -> None:
    """A replacement session (carence) stays within 30 days of the absence, edited or not."""
    if session.replaces_jury_id is None:
        return
    absence = session_day(session.replaces_jury.session)
    problem = rules.replacement_date_problem(absence, day)
    if problem:
        raise FieldError("day", problem)


def _flush_number(number: str) -> None:
    """Flush, turning a race on the unique number (another organiser, same instant) into a 409."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise FieldConflict("number", f"Le numéro de session « {number} » est déjà utilisé : "
                                      "choisissez-en un autre.") from exc


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
    waiting = stranded_exams(session)
    if waiting:
        names = ", ".join(e.candidate.full_name for e in waiting[:5])
        if len(waiting) > 5:
            names += " …"
        who = _count(len(waiting), "candidat est encore convoqué", "candidats sont encore convoqués")
        return (f"{who} dans cette session ({names}) : reportez-les sur une autre session ou "
                "déclarez-les absents avant de l'annuler.")
    return None


def stranded_exams(session: ExamSession) -> list[Exam]:
    """The sittings an annulation would leave behind: still scheduled, in any jury
    (a jury stopped by a carence included, while its replacement is not organised)."""
    return [e for jury in session.juries
            for e in sorted(jury.exams, key=lambda e: (e.position, e.id)) if e.status == SCHEDULED]


def cancel_session(actor, session_id: int, reason: str | None) -> ExamSession:
    reason = _clean(reason)
    if reason is None:
        raise FieldError("reason", "Indiquez le motif de l'annulation.")
    if len(reason) > MAX_TEXT:
        raise FieldError("reason", f"Le motif ne peut dépasser {MAX_TEXT} caractères.")
    with write_transaction():
        session = get_session(session_id, lock=True)
        problem = cancel_problem(session)
        if problem:
            raise Conflict(problem)
        old = session.status
        session.status = CANCELLED
        session.cancelled_at = utcnow()
        session.cancel_reason = reason
        record(actor, "session.cancel", "session", session.id, old, CANCELLED, reason=reason)
    return session


# --- What the session page and the status guards need, loaded once ------------------------

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

    @property
    def sitting_juries(self) -> list[Jury]:
        """The juries that sit: not stopped by a juror's absence (carence)."""
        return [j for j in self.session.juries if j.stopped_at is None]

    def active_exams(self) -> list[Exam]:
        return [e for j in self.session.juries for e in active_exams(j)]

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
    stopped = [j.id for j in session.juries if j.stopped_at is not None]
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
        habilitation={juror_id: habilitation_problem(juror) for juror_id, juror in jurors.items()},
        replacements=replacements)


def jury_problem(jury: Jury) -> str | None:
    """Why a jury cannot sit as composed: two distinct jurors, one of them presiding."""
    ids = [m.juror_id for m in jury.members]
    if len(ids) != 2 or len(set(ids)) != 2:
        return f"{jury.label} est incomplet : il faut deux jurés."
    if jury.president_id not in ids:
        return f"{jury.label} n'a pas de président : nommez l'un de ses deux jurés."
    return None


def convene_problem(facts: SessionFacts) -> str | None:
    """Why the session cannot be marked as convened yet."""
    juries = facts.sitting_juries
    if not juries:
        return "Aucun jury n'est constitué : ajoutez au moins un jury."
    for jury in juries:
        problem = jury_problem(jury)
        if problem:
            return problem
        for juror in jury.jurors:
            if facts.habilitation.get(juror.id):
                return f"{jury.label} – {facts.habilitation[juror.id]}"
    exams = facts.active_exams()
    if not exams:
        return "Aucun candidat n'est placé dans les jurys de cette session."
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
    still_open = [e for jury in facts.sitting_juries for e in active_exams(jury)
                  if e.phase != CLOSED]
    if not still_open:
        return guard_problem(DELIBERATED, facts.session)  # the minutes' signatures
    names = ", ".join(e.candidate.full_name for e in still_open[:5])
    if len(still_open) > 5:
        names += " …"
    if len(still_open) == 1:
        return f"La délibération de {names} n'est pas encore close."
    return f"{len(still_open)} délibérations ne sont pas encore closes : {names}."


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


# --- Juries --------------------------------------------------------------------------------

def habilitation_problems(users) -> dict:
    """user id -> why they cannot sit on a jury (None when they can)."""
    return {user.id: habilitation_problem(user) for user in users}


@dataclass(frozen=True)
class JuryChoice:
    juror_1_id: int | None
    juror_2_id: int | None
    president_id: int | None


def juror_choices() -> list[User]:
    """Active users with the juror role, by name (habilitated or not: the page says which)."""
    return db.session.scalars(
        db.select(User).join(UserRole).where(UserRole.role == JUROR, User.active.is_(True))
        .options(db.selectinload(User.juror_profile))  # read by habilitation_problem
        .order_by(User.last_name, User.first_name)).unique().all()


def _chosen_jurors(session: ExamSession, choice: JuryChoice, jury: Jury | None = None) -> list[User]:
    if not choice.juror_1_id or not choice.juror_2_id:
        raise FieldError("juror_1_id" if not choice.juror_1_id else "juror_2_id",
                         "Choisissez les deux jurés du jury.")
    if choice.juror_1_id == choice.juror_2_id:
        raise FieldError("juror_2_id", "Les deux jurés doivent être deux personnes différentes.")
    if choice.president_id not in (choice.juror_1_id, choice.juror_2_id):
        raise FieldError("president_id", "Le président doit être l'un des deux jurés du jury.")
    jurors = []
    for field, user_id in (("juror_1_id", choice.juror_1_id), ("juror_2_id", choice.juror_2_id)):
        user = db.session.get(User, user_id)
        if user is None:
            raise FieldError(field, "Juré introuvable.")
        problem = habilitation_problem(user)
        if problem:
            raise FieldError(field, problem)
        if session.replaces_jury is not None and user.id == session.replaces_jury.absent_juror_id:
            raise FieldError(field, MSG_ABSENT_JUROR.format(name=user.full_name))
        jurors.append(user)
    for other in session.juries:
        if other is jury or other.stopped_at is not None:
            continue
        for juror in jurors:
            if any(m.juror_id == juror.id for m in other.members):
                raise Conflict(f"{juror.full_name} siège déjà dans le {other.label} de cette "
                               "session : un juré ne peut siéger que dans un jury par session.")
    return jurors


def _require_preparing(session: ExamSession) -> None:
    if session.status not in PREPARING:
        raise Conflict(f"La session est « {session.status_label.lower()} » : ses jurys ne "
                       "peuvent plus être composés ni modifiés ici.")


def _seat(jury: Jury, jurors: list[User], president_id: int) -> None:
    jury.members = [JuryMember(juror=juror, seat=seat) for seat, juror in enumerate(jurors, 1)]
    jury.president_id = president_id


def _jury_text(jury: Jury) -> str:
    names = [m.juror.full_name + (" (président)" if m.juror_id == jury.president_id else "")
             for m in jury.members]
    return ", ".join(names)


def add_jury(actor, session_id: int, choice: JuryChoice) -> Jury:
    with write_transaction():
        session = get_session(session_id, lock=True)
        _require_preparing(session)
        jurors = _chosen_jurors(session, choice)
        jury = Jury(position=max((j.position for j in session.juries), default=0) + 1)
        _seat(jury, jurors, choice.president_id)
        session.juries.append(jury)
        db.session.flush()
        record(actor, "jury.create", "jury", jury.id, new=_jury_text(jury), session_id=session.id,
               position=jury.position)
    return jury


def _graded_exam_ids(exam_ids) -> set[int]:
    return exams_with(GRIDS, exam_ids)


def edit_jury(actor, jury_id: int, choice: JuryChoice) -> Jury:
    with write_transaction():
        jury = get_jury(jury_id)
        session = get_session(jury.session_id, lock=True)
        _require_preparing(session)
        if jury.stopped_at is not None:
            raise Conflict(f"{jury.label} a été arrêté (carence) : il ne peut plus être modifié.")
        if _graded_exam_ids(e.id for e in jury.exams):
            raise Conflict(f"Un juré du {jury.label} a déjà commencé à évaluer : sa composition "
                           "ne peut plus changer.")
        jurors = _chosen_jurors(session, choice, jury)
        old = _jury_text(jury)
        if [m.juror_id for m in jury.members] != [j.id for j in jurors]:
            jury.members = []
            db.session.flush()  # free the seats before they are taken again
            _seat(jury, jurors, choice.president_id)
        jury.president_id = choice.president_id
        db.session.flush()
        new = _jury_text(jury)
        if old != new:
            record(actor, "jury.update", "jury", jury.id, old, new, session_id=session.id)
    return jury


def delete_jury(actor, jury_id: int) -> ExamSession:
    with write_transaction():
        jury = get_jury(jury_id)
        session = get_session(jury.session_id, lock=True)
        _require_preparing(session)
        if jury.exams:
            raise Conflict(f"{jury.label} a des candidats : retirez-les ou déplacez-les vers un "
                           "autre jury avant de le supprimer.")
        record(actor, "jury.delete", "jury", jury.id, _jury_text(jury), None,
               session_id=session.id, position=jury.position)
        session.juries.remove(jury)
        db.session.flush()
        # Keep the labels consecutive: Jury 1, Jury 2 …
        for position, other in enumerate(session.juries, start=1):
            other.position = position
    return session


# --- Candidates in slots ------------------------------------------------------------------

def candidate_choices(session: ExamSession) -> list[Candidate]:
    """Candidates who can still be placed: not already to sit in this session."""
    placed = db.select(Exam.candidate_id).join(Jury, Exam.jury_id == Jury.id).where(
        Jury.session_id == session.id, Exam.status == SCHEDULED)
    return db.session.scalars(
        db.select(Candidate).where(Candidate.id.not_in(placed))
        .order_by(Candidate.last_name, Candidate.first_name, Candidate.id)).all()


def _active_exam_in_session(session: ExamSession, candidate_id: int) -> Exam | None:
    return db.session.scalar(
        db.select(Exam).join(Jury, Exam.jury_id == Jury.id)
        .where(Jury.session_id == session.id, Exam.candidate_id == candidate_id,
               Exam.status == SCHEDULED))


def _require_sitting(jury: Jury) -> None:
    if jury.stopped_at is not None:
        raise Conflict(f"{jury.label} a été arrêté (carence) : il ne reçoit plus de candidats.")


@dataclass(frozen=True)
class Placement:
    exam: Exam
    warning: str | None  # the 3-month rule: told, not refused


def assign_candidate(actor, jury_id: int, candidate_id: int | None) -> Placement:
    """Place a candidate at the end of a jury's slots; the slots are timed again."""
    if not candidate_id:
        raise FieldError("candidate_id", "Choisissez un candidat.")
    with write_transaction():
        jury = get_jury(jury_id)
        session = get_session(jury.session_id, lock=True)
        _require_preparing(session)
        _require_sitting(jury)
        candidate = db.session.get(Candidate, candidate_id)
        if candidate is None:
            raise FieldError("candidate_id", "Candidat introuvable.")
        already = _active_exam_in_session(session, candidate.id)
        if already is not None:
            raise Conflict(f"{candidate.full_name} est déjà placé dans cette session "
                           f"({already.jury.label}).")
        exam = add_exam(jury, candidate)
        record(actor, "exam.assign", "exam", exam.id, None, f"{jury.label}, {exam.position}",
               session_id=session.id, jury_id=jury.id, candidate_id=candidate.id,
               starts_at=exam.starts_at.isoformat())
    warnings = [rules.sitting_warning(candidate.training_end_date, session_day(session)),
                _scheduled_elsewhere_warning(session, candidate.id)]
    return Placement(exam, " ".join(w for w in warnings if w) or None)


def _scheduled_elsewhere_warning(session: ExamSession, candidate_id: int) -> str | None:
    """Told, not refused: the candidate already waits to sit in another session to come."""
    others = db.session.scalars(
        db.select(Exam).join(Jury, Exam.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .where(Exam.candidate_id == candidate_id, Exam.status == SCHEDULED,
               Exam.phase == GRADING, ExamSession.id != session.id,
               ExamSession.status.not_in(STOPPED))
        .order_by(ExamSession.starts_at)).all()
    today = paris_today()
    upcoming = [e.jury.session for e in others if session_day(e.jury.session) >= today]
    if not upcoming:
        return None
    return "; ".join(f"Déjà prévu(e) dans la session n° {s.number} le "
                     f"{french_date(session_day(s))}" for s in upcoming) + "."


def _require_movable(exam: Exam, graded: set[int]) -> None:
    if not exam.is_active:
        raise Conflict(f"{exam.candidate.full_name} est « {exam.status_label.lower()} » : "
                       "son passage ne peut plus être déplacé.")
    if exam.phase != GRADING or exam.id in graded:
        raise Conflict(f"L'évaluation de {exam.candidate.full_name} a commencé : son passage ne "
                       "peut plus être déplacé.")


def _planning_session(exam: Exam) -> ExamSession:
    session = get_session(exam.jury.session_id, lock=True)
    if session.status not in PLANNING:
        raise Conflict(f"La session est « {session.status_label.lower()} » : les passages ne "
                       "peuvent plus être déplacés.")
    if grades_locked(session.id):  # the minutes are signed: sittings and grades are final
        raise Conflict("Le procès-verbal de la session est signé : les passages ne peuvent "
                       "plus être déplacés.")
    return session


def move_slot(actor, exam_id: int, direction: str | None) -> Exam:
    """Swap a candidate with the one before (up) or after (down) them; times follow."""
    if direction not in ("up", "down"):
        raise InvalidInput("Sens de déplacement inconnu : « monter » ou « descendre ».")
    with write_transaction():
        exam = get_exam(exam_id)
        session = _planning_session(exam)
        jury = exam.jury
        _require_sitting(jury)
        slots = sorted(active_exams(jury), key=lambda e: (e.position, e.id))
        graded = _graded_exam_ids(e.id for e in slots)
        _require_movable(exam, graded)
        index = slots.index(exam)
        other_index = index - 1 if direction == "up" else index + 1
        if not 0 <= other_index < len(slots):
            raise Conflict(f"{exam.candidate.full_name} est déjà "
                           f"{'le premier' if direction == 'up' else 'le dernier'} de son jury.")
        other = slots[other_index]
        _require_movable(other, graded)
        slots[index], slots[other_index] = other, exam
        for position, each in enumerate(slots, start=1):
            each.position = position
        old_start = exam.starts_at
        reschedule(jury)
        record(actor, "exam.reorder", "exam", exam.id, old_start.isoformat(),
               exam.starts_at.isoformat(), session_id=session.id, jury_id=jury.id,
               direction=direction)
    return exam


def conflict_with(jury: Jury, candidate_id: int) -> ConflictDeclaration | None:
    """A conflict declared by a juror of `jury` about this candidate (on any sitting)."""
    members = [m.juror_id for m in jury.members]
    if not members:
        return None
    return db.session.scalar(
        db.select(ConflictDeclaration).join(Exam, ConflictDeclaration.exam_id == Exam.id)
        .where(Exam.candidate_id == candidate_id, ConflictDeclaration.has_conflict.is_(True),
               ConflictDeclaration.juror_id.in_(members)).limit(1))


def change_jury(actor, exam_id: int, target_jury_id: int | None) -> Exam:
    """Move a candidate to another jury of the same session, at the end of its slots.
    This is how a declared conflict of interest is resolved."""
    if not target_jury_id:
        raise FieldError("jury_id", "Choisissez le jury qui recevra le candidat.")
    with write_transaction():
        exam = get_exam(exam_id)
        session = _planning_session(exam)
        source = exam.jury
        target = db.session.get(Jury, target_jury_id)
        if target is None or target.session_id != session.id:
            raise FieldError("jury_id", "Choisissez un jury de cette session.")
        if target.id == source.id:
            raise FieldError("jury_id", f"{exam.candidate.full_name} est déjà dans le {source.label}.")
        _require_sitting(source)
        _require_sitting(target)
        _require_movable(exam, _graded_exam_ids([exam.id]))
        if jury_problem(target):
            raise Conflict(jury_problem(target))
        conflict = conflict_with(target, exam.candidate_id)
        if conflict is not None:
            raise Conflict(f"{conflict.juror.full_name} ({target.label}) a déclaré connaître "
                           f"{exam.candidate.full_name} : choisissez un autre jury.")
        exam.position = max((e.position for e in target.exams), default=0) + 1
        exam.jury = target  # leaves source.exams, joins target.exams
        db.session.flush()
        reschedule(source)
        reschedule(target)
        record(actor, "exam.change_jury", "exam", exam.id, source.label, target.label,
               session_id=session.id, from_jury_id=source.id, to_jury_id=target.id,
               starts_at=exam.starts_at.isoformat())
    return exam


def unassign(actor, exam_id: int) -> Jury:
    """Take a candidate out of a jury before anything was sent or graded for them."""
    with write_transaction():
        exam = get_exam(exam_id)
        jury = exam.jury
        session = get_session(jury.session_id, lock=True)
        name = exam.candidate.full_name
        if session.status not in PREPARING:
            raise Conflict(f"La session est « {session.status_label.lower()} » : déclarez "
                           f"l'absence de {name} ou reportez-le plutôt.")
        if not exam.is_active:
            raise Conflict(f"{name} est « {exam.status_label.lower()} » : son passage est "
                           "conservé dans l'historique.")
        if _graded_exam_ids([exam.id]) or exam.phase != GRADING:
            raise Conflict(f"L'évaluation de {name} a commencé : il ne peut plus être retiré.")
        if exam_has(CONVOCATIONS, exam.id):
            raise Conflict(f"Une convocation a déjà été envoyée à {name} : il ne peut plus être "
                           "simplement retiré. Déplacez-le vers un autre jury, ou déclarez son "
                           "absence ou son report depuis la page de son passage.")
        if _exam_is_referenced(exam):
            raise Conflict(f"Le passage de {name} est lié à un report, une reprise ou un recours : "
                           "il ne peut pas être retiré.")
        declarations = db.session.scalars(
            db.select(ConflictDeclaration).where(ConflictDeclaration.exam_id == exam.id)).all()
        for declaration in declarations:
            db.session.delete(declaration)
        record(actor, "exam.unassign", "exam", exam.id, f"{jury.label}, {exam.position}", None,
               session_id=session.id, jury_id=jury.id, candidate_id=exam.candidate_id,
               declarations_deleted=len(declarations))
        jury.exams.remove(exam)
        db.session.delete(exam)
        db.session.flush()
        reschedule(jury)
    return jury


def _exam_is_referenced(exam: Exam) -> bool:
    """Whether other records point to this sitting (moves, retakes, appeals)."""
    checks = (
        db.select(Exam.id).where((Exam.moved_to_id == exam.id) | (Exam.retake_of_id == exam.id)),
        db.select(RetakeRequest.id).where((RetakeRequest.exam_id == exam.id)
                                          | (RetakeRequest.new_exam_id == exam.id)),
        db.select(Appeal.id).where(Appeal.exam_id == exam.id),
    )
    return (exam.moved_to_id is not None or exam.retake_of_id is not None
            or any(db.session.scalar(q.limit(1)) is not None for q in checks)
            or exam_has(DELIBERATION_MARKS, exam.id))
