"""A juror's absence (carence): the jury stops, and a replacement session takes over its
candidates. Every write runs in one `write_transaction` and records its audit entries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from ...audit.services import record
from ...auth.models import JUROR, User, UserRole
from ...database import write_transaction
from ...errors import Conflict, InvalidInput
from ...extensions import db
from ...jurors.habilitations import habilitation_problem
from ...jurors.models import FAVOURABLE, JurorHabilitation
from ...referentials.registration import session_day_problem
from ...timeutil import french_date, paris_day, paris_to_utc, paris_today, utcnow
from .. import rules
from ..models import (
    CANCELLED,
    DRAFT,
    GRADING,
    MODES,
    STOPPED,
    Exam,
    ExamSession,
    Jury,
    JuryMember,
)
from ..queries import get_jury, session_day
from .common import checked_text
from .moves import move_sitting

# --- Juror absence (carence) ---------------------------------------------------------

def pending_exams(jury: Jury) -> list[Exam]:
    """The sittings a carence stops: still to be graded (deliberations under way or closed stay)."""
    return [e for e in jury.exams if e.is_active and e.phase == GRADING]


def replacement_session_of(jury_id: int) -> ExamSession | None:
    """The replacement session organised for a stopped jury (a cancelled one does not count)."""
    return db.session.scalar(
        db.select(ExamSession).where(ExamSession.replaces_jury_id == jury_id,
                                     ExamSession.status != CANCELLED)
        .order_by(ExamSession.id))


def carence_too_early(jury: Jury, today: date | None = None) -> bool:
    """A juror's absence is only noted on the day of the exam or later: before, the
    organiser changes the jury instead."""
    return (today or paris_today()) < session_day(jury.session)


def carence_problem(jury: Jury, today: date | None = None) -> str | None:
    """Why a carence cannot be recorded for this jury (409), or None."""
    if not jury.sits:
        return (f"La carence de ce jury a déjà été constatée le "
                f"{french_date(paris_day(jury.stopped_at))}.")
    if jury.session.status in STOPPED:
        state = "annulée" if jury.session.status == CANCELLED else "clôturée"
        return f"Cette session est {state} : il n'y a pas de carence à constater."
    if carence_too_early(jury, today):
        return (f"La carence se constate le jour de l'épreuve (le "
                f"{french_date(session_day(jury.session))}) : avant, modifiez le jury.")
    if not pending_exams(jury):
        return ("Aucun candidat ne reste à évaluer par ce jury (délibérations en cours ou "
                "closes) : la carence ne peut plus être constatée.")
    return None


def replacement_problem(jury: Jury) -> str | None:
    """Why a replacement session cannot be created for this jury (409), or None."""
    if jury.sits:
        return "Ce jury n'est pas arrêté : constatez d'abord la carence d'un juré."
    existing = replacement_session_of(jury.id)
    if existing is not None:
        return (f"Une session de remplacement existe déjà pour ce jury : "
                f"session n° {existing.number}.")
    return None


def stop_jury(actor, jury_id: int, absent_juror_id: int | None, reason: str | None) -> Jury:
    """Record the absence of one of the two jurors: the jury cannot sit any more."""
    with write_transaction():
        jury = get_jury(jury_id, lock=True)
        problem = carence_problem(jury)
        if problem:
            raise Conflict(problem)
        exams = pending_exams(jury)
        if absent_juror_id not in {j.id for j in jury.jurors}:
            raise InvalidInput("Choisissez le juré absent parmi les deux membres du jury.")
        reason = checked_text(reason, required="Indiquez le motif de la carence.")
        jury.stopped_at = utcnow()
        jury.absent_juror_id = absent_juror_id
        jury.stop_reason = reason
        record(actor, "jury.stop", "jury", jury.id, None, "stopped",
               absent_juror_id=absent_juror_id, reason=reason,
               session_id=jury.session_id, exam_ids=[e.id for e in exams])
    return jury


def stopped_jury_context(jury_id: int) -> tuple[Jury, list[Exam], date, date]:
    """A jury with what its carence stops, the absence day and the replacement deadline."""
    jury = get_jury(jury_id)
    day = absence_day(jury)
    return jury, pending_exams(jury), day, rules.replacement_deadline(day)


# --- Replacement session -------------------------------------------------------------

@dataclass
class ReplacementPlan:
    """What the organiser chose for the replacement session."""

    number: str
    day: date
    start: time
    mode: str
    place: str | None
    video_link: str | None
    juror_ids: tuple[int | None, int | None]
    president_id: int | None


def habilitated_jurors(code: str) -> list[User]:
    """Active accounts with the juror role and a favourable habilitation for the
    certification `code`, by name."""
    return db.session.scalars(
        db.select(User)
        .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == JUROR))
        .join(JurorHabilitation, JurorHabilitation.juror_id == User.id)
        .where(JurorHabilitation.referential_code == code,
               JurorHabilitation.result == FAVOURABLE, User.active.is_(True))
        .order_by(User.last_name, User.first_name)).unique().all()


def suggested_number(session: ExamSession) -> str:
    """`<number>-R`, then -R2, -R3… while the number is taken."""
    base = f"{session.number}-R"
    candidate, n = base, 1
    while db.session.scalar(db.select(ExamSession.id).filter_by(number=candidate)) is not None:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def absence_day(jury: Jury) -> date:
    """The day the jury could not sit: the original session's date (Paris)."""
    return session_day(jury.session)


def _check_plan(plan: ReplacementPlan, jury: Jury) -> list[User]:
    """Every reason the plan is refused (400), in form order; the jurors when it is fine."""
    number = (plan.number or "").strip()
    if not number:
        raise InvalidInput("Indiquez le numéro de la session de remplacement.")
    if len(number) > 40:
        raise InvalidInput("Le numéro de session ne doit pas dépasser 40 caractères.")
    if rules.has_control_chars(number):
        raise InvalidInput(rules.MSG_CONTROL_CHARS.format(what="Le numéro de session"))
    if db.session.scalar(db.select(ExamSession.id).filter_by(number=number)) is not None:
        raise InvalidInput(f"Le numéro de session « {number} » est déjà utilisé.")
    problem = rules.replacement_date_problem(absence_day(jury), plan.day)
    if problem:
        raise InvalidInput(problem)
    if plan.day < paris_today():
        raise InvalidInput("La date de la session de remplacement est déjà passée.")
    if plan.mode not in MODES:
        raise InvalidInput("Choisissez la modalité de la session.")
    if plan.mode in ("on_site", "both"):
        place = (plan.place or "").strip()
        if not place:
            raise InvalidInput("Indiquez le lieu de la session en présentiel.")
        if rules.has_control_chars(place):
            raise InvalidInput(rules.MSG_CONTROL_CHARS.format(what="Le lieu"))
    if plan.mode in ("remote", "both"):
        link = (plan.video_link or "").strip()
        if not link:
            raise InvalidInput("Indiquez le lien de la visioconférence.")
        if not link.startswith("https://") or " " in link:
            raise InvalidInput("Le lien de la visioconférence doit commencer par https://.")
        if rules.has_control_chars(link):
            raise InvalidInput(rules.MSG_CONTROL_CHARS.format(what="Le lien de la visioconférence"))
    first, second = plan.juror_ids
    if first is None or second is None:
        raise InvalidInput("Choisissez les deux jurés de la session de remplacement.")
    if first == second:
        raise InvalidInput("Les deux jurés doivent être deux personnes différentes.")
    if plan.president_id not in (first, second):
        raise InvalidInput("Le président doit être l'un des deux jurés.")
    jurors = [db.session.get(User, first), db.session.get(User, second)]
    for juror in jurors:
        problem = habilitation_problem(juror, jury.session.referential)
        if problem:
            raise InvalidInput(problem)
        if juror.id == jury.absent_juror_id:
            raise InvalidInput(f"{juror.full_name} était absent(e) lors de la carence : choisissez "
                               "un autre juré pour la session de remplacement.")
    return jurors


def create_replacement(actor, jury_id: int, plan: ReplacementPlan) -> ExamSession:
    """The replacement session of a stopped jury, its jury, and its candidates moved there."""
    with write_transaction():
        jury = get_jury(jury_id, lock=True)
        problem = replacement_problem(jury)
        if problem:
            raise Conflict(problem)
        jurors = _check_plan(plan, jury)
        original = jury.session
        late = session_day_problem(original.referential.registration_facts, plan.day)
        if late:
            raise InvalidInput(late)
        mode = plan.mode
        place = (plan.place or "").strip() if mode != "remote" else ""
        link = (plan.video_link or "").strip() if mode != "on_site" else ""
        session = ExamSession(
            number=plan.number.strip(), referential_id=original.referential_id,
            starts_at=paris_to_utc(plan.day, plan.start), mode=mode,
            place=place or None, video_link=link or None,
            technical_requirements=original.technical_requirements, status=DRAFT,
            replaces_jury_id=jury.id)
        new_jury = Jury(position=1, president_id=plan.president_id)
        new_jury.members = [JuryMember(juror=juror, seat=seat)
                            for seat, juror in enumerate(jurors, start=1)]
        session.juries.append(new_jury)
        db.session.add(session)
        db.session.flush()
        record(actor, "session.replacement", "session", session.id, None, session.number,
               replaces_jury_id=jury.id, original_session_id=original.id,
               day=plan.day.isoformat(), juror_ids=[j.id for j in jurors],
               president_id=plan.president_id)
        for exam in sorted(pending_exams(jury), key=lambda e: (e.position, e.id)):
            move_sitting(actor, exam, new_jury, reason="carence", warning=None)
    return session
