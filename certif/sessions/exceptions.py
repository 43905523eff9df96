"""Exceptions to the plan (seed 000, I.C.4 and I.D.7–8): a juror's absence (carence)
and its replacement session, a candidate's absence and move to another session,
retakes after an unfavourable result, and appeals to the management.

Every write runs in one `write_transaction` and records its audit entries there.
The portal (candidate's link) calls `retake_status` and `request_retake`: keep
their signatures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from ..audit.models import AuditEntry
from ..audit.services import record
from ..auth.models import JUROR, User, UserRole
from ..candidates.models import RETAKE_CHANNELS, Appeal, RetakeRequest
from ..database import get_row, write_transaction
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..jurors.models import FAVOURABLE, JurorProfile
from ..jurors.services import habilitation_problem
from ..referentials.models import Referential
from ..text import clean_text
from ..timeutil import french_date, paris_day, paris_to_utc, paris_today, utcnow
from . import rules
from .convened import convocation_reader
from .locks import locked_at_of
from .models import (
    ABSENT_EXCUSED,
    ABSENT_UNEXCUSED,
    CANCELLED,
    CLOSED,
    DRAFT,
    GRADING,
    MODES,
    MOVED,
    PLANNING,
    SCHEDULED,
    STOPPED,
    Exam,
    ExamSession,
    Jury,
    JuryMember,
)
from .references import MARKS, exam_has
from .services import add_exam, get_exam, get_jury

ABSENT_STATUSES = (ABSENT_EXCUSED, ABSENT_UNEXCUSED)
MAX_TEXT = 2000

MSG_CONTROL_CHARS = "{what} ne peut contenir ni retour à la ligne ni caractère de contrôle."
MSG_HAS_MARKS = ("Un juré a déjà commencé à noter ce candidat : son passage ne peut plus "
                 "être modifié ainsi.")


def _clean_text(raw: str | None, *, required: str | None = None, limit: int = MAX_TEXT) -> str:
    """Trimmed text (browsers send CRLF); `required` is the message when it is empty."""
    text = clean_text(raw)
    if required and not text:
        raise InvalidInput(required)
    if len(text) > limit:
        raise InvalidInput(f"Le texte ne doit pas dépasser {limit} caractères.")
    return text


def has_marks(exam_id: int) -> bool:
    """Whether a juror has marked at least one criterion of this exam."""
    return exam_has(MARKS, exam_id)


def is_unfavourable(exam: Exam) -> bool:
    """A result that allows a retake: closed with an unfavourable decision (both rules)."""
    return exam.phase == CLOSED and exam.decision == rules.UNFAVORABLE and exam.closed_at is not None


def result_day(exam: Exam) -> date | None:
    """The day of the result: the Paris date the deliberation was closed."""
    return paris_day(exam.closed_at) if exam.closed_at is not None else None


def session_day(session: ExamSession) -> date:
    return paris_day(session.starts_at)


# --- Juror absence (carence) ---------------------------------------------------------

def pending_exams(jury: Jury) -> list[Exam]:
    """The sittings a carence stops: still to be graded (deliberations under way or closed stay)."""
    return [e for e in jury.exams if e.status == SCHEDULED and e.phase == GRADING]


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
    if jury.stopped_at is not None:
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
    if jury.stopped_at is None:
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
        reason = _clean_text(reason, required="Indiquez le motif de la carence.")
        jury.stopped_at = utcnow()
        jury.absent_juror_id = absent_juror_id
        jury.stop_reason = reason
        record(actor, "jury.stop", "jury", jury.id, None, "stopped",
               absent_juror_id=absent_juror_id, reason=reason,
               session_id=jury.session_id, exam_ids=[e.id for e in exams])
    return jury


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


def habilitated_jurors() -> list[User]:
    """Active accounts with the juror role and a favourable habilitation, by name."""
    return db.session.scalars(
        db.select(User)
        .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == JUROR))
        .join(JurorProfile, JurorProfile.user_id == User.id)
        .where(JurorProfile.habilitation_result == FAVOURABLE, User.active.is_(True))
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
        raise InvalidInput(MSG_CONTROL_CHARS.format(what="Le numéro de session"))
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
            raise InvalidInput(MSG_CONTROL_CHARS.format(what="Le lieu"))
    if plan.mode in ("remote", "both"):
        link = (plan.video_link or "").strip()
        if not link:
            raise InvalidInput("Indiquez le lien de la visioconférence.")
        if not link.startswith("https://") or " " in link:
            raise InvalidInput("Le lien de la visioconférence doit commencer par https://.")
        if rules.has_control_chars(link):
            raise InvalidInput(MSG_CONTROL_CHARS.format(what="Le lien de la visioconférence"))
    first, second = plan.juror_ids
    if first is None or second is None:
        raise InvalidInput("Choisissez les deux jurés de la session de remplacement.")
    if first == second:
        raise InvalidInput("Les deux jurés doivent être deux personnes différentes.")
    if plan.president_id not in (first, second):
        raise InvalidInput("Le président doit être l'un des deux jurés.")
    jurors = [db.session.get(User, first), db.session.get(User, second)]
    for juror in jurors:
        problem = habilitation_problem(juror)
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
            _move(actor, exam, new_jury, reason="carence", warning=None)
    return session


# --- Moving a sitting (absence, carence) ---------------------------------------------

def _move(actor, exam: Exam, target: Jury, *, reason: str, warning: str | None) -> Exam:
    """The sitting becomes `moved`, pointing to a new sitting (same attempt) in `target`."""
    old_status = exam.status
    new = add_exam(target, exam.candidate, attempt=exam.attempt, retake_of=exam.retake_of)
    exam.status = MOVED
    exam.moved_to = new
    # A retake that moves stays the retake the request led to.
    request = db.session.scalar(db.select(RetakeRequest).filter_by(new_exam_id=exam.id))
    if request is not None:
        request.new_exam = new
    details = dict(to_exam_id=new.id, to_session_id=target.session_id, reason=reason)
    if warning:  # only ever moved despite a warning once the organiser confirmed it
        details.update(warning=warning, confirmed=True)
    record(actor, "exam.move", "exam", exam.id, old_status, MOVED, **details)
    record(actor, "exam.create", "exam", new.id, None, SCHEDULED, moved_from_exam_id=exam.id,
           attempt=new.attempt, reason=reason)
    return new


def mark_absent(actor, exam_id: int, *, excused: bool | None, note: str | None) -> Exam:
    """The candidate did not come (excused or not); their slot stays as it was."""
    if excused is None:
        raise InvalidInput("Indiquez si l'absence est excusée ou non.")
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        if exam.status != SCHEDULED or exam.phase != GRADING:
            raise Conflict(f"Ce passage ne peut plus être déclaré absent "
                           f"(état : {exam.status_label.lower()}, {exam.phase_label.lower()}).")
        if has_marks(exam.id):
            raise Conflict(MSG_HAS_MARKS)
        note = _clean_text(note)
        exam.status = ABSENT_EXCUSED if excused else ABSENT_UNEXCUSED
        record(actor, "exam.absent", "exam", exam.id, SCHEDULED, exam.status, note=note or None)
    return exam


@dataclass
class Target:
    """A jury that can receive a candidate, with the 3-month warning for that day."""

    jury: Jury
    day: date
    warning: str | None = None

    @property
    def session(self) -> ExamSession:
        return self.jury.session


def _movable_problem(exam: Exam) -> str | None:
    if exam.status == MOVED:
        return "Ce passage a déjà été reporté sur une autre session."
    if exam.phase != GRADING:
        return "La délibération de ce passage est ouverte ou close : il ne peut plus être reporté."
    if exam.status not in (SCHEDULED, *ABSENT_STATUSES):
        return "Ce passage ne peut pas être reporté."
    if has_marks(exam.id):
        return MSG_HAS_MARKS
    return None


def open_targets(exam: Exam, today: date | None = None, *,
                 with_warning: bool = True) -> list[Target]:
    """Juries of the same certification that can take this candidate: sessions not
    cancelled or over (nor with signed minutes), from today on, juries not stopped,
    where they do not sit already."""
    today = today or paris_today()
    code = exam.jury.session.referential.code
    sessions = db.session.scalars(
        db.select(ExamSession).join(Referential, ExamSession.referential_id == Referential.id)
        # Sessions that can still receive a candidate (moved, replaced or retaking).
        .where(Referential.code == code, ExamSession.status.in_(PLANNING),
               ExamSession.starts_at >= paris_to_utc(today, time(0)),
               locked_at_of(ExamSession.id).is_(None))
        .options(db.selectinload(ExamSession.juries).selectinload(Jury.exams))
        .order_by(ExamSession.starts_at, ExamSession.number)).all()
    targets = []
    for session in sessions:
        if any(e.candidate_id == exam.candidate_id and e.status == SCHEDULED
               for jury in session.juries for e in jury.exams):
            continue
        day = session_day(session)
        warning = _late_warning(exam, day) if with_warning else None
        targets.extend(Target(jury, day, warning) for jury in session.juries
                       if jury.stopped_at is None and jury.id != exam.jury_id)
    return targets


def _late_warning(exam: Exam, day: date) -> str | None:
    """Why sitting on `day` would be late: a retake more than 2 months after the result it
    follows, any other sitting more than 3 months after the training (told, not refused)."""
    if exam.retake_of is not None and exam.retake_of.closed_at is not None:
        return rules.retake_sitting_warning(result_day(exam.retake_of), day)
    return rules.sitting_warning(exam.candidate.training_end_date, day)


def _target(targets: list[Target], jury_id: int | None) -> Target:
    target = next((t for t in targets if t.jury.id == jury_id), None)
    if target is None:
        raise InvalidInput("Choisissez une session et un jury parmi ceux proposés.")
    return target


def move_exam(actor, exam_id: int, jury_id: int | None, *, confirmed: bool = False,
              today: date | None = None) -> Exam:
    """Move a sitting (scheduled or absent, not graded) to a jury of another session.

    When the candidate would sit more than 3 months after their training, the
    organiser must confirm; the warning is kept in the audit entry."""
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        problem = _movable_problem(exam)
        if problem:
            raise Conflict(problem)
        target = _target(open_targets(exam, today), jury_id)
        if target.warning and not confirmed:
            raise InvalidInput(f"{target.warning} Cochez la case de confirmation pour reporter "
                               "le candidat malgré tout.")
        new = _move(actor, exam, target.jury, reason="absence" if exam.status in ABSENT_STATUSES
                    else "report", warning=target.warning)
    return new


# --- Retakes --------------------------------------------------------------------------

@dataclass
class RetakeStatus:
    can_request: bool
    deadline: date | None
    reason: str | None
    request: RetakeRequest | None = None


def retake_request_for(exam_id: int) -> RetakeRequest | None:
    return db.session.scalar(db.select(RetakeRequest).filter_by(exam_id=exam_id))


def retake_status(exam: Exam, today: date | None = None) -> RetakeStatus:
    """Whether a retake may be requested for this sitting now, until when, or why not."""
    today = today or paris_today()
    request = retake_request_for(exam.id)
    if not is_unfavourable(exam):
        return RetakeStatus(False, None, "Un rattrapage ne peut être demandé qu'après un "
                                         "résultat défavorable.", request)
    deadline = rules.retake_deadline(result_day(exam))
    if request is not None:
        return RetakeStatus(False, deadline, "Une demande de rattrapage a déjà été enregistrée "
                            f"le {french_date(paris_day(request.requested_at))}.", request)
    problem = rules.retake_request_problem(result_day(exam), today)
    if problem:
        return RetakeStatus(False, deadline, problem, None)
    return RetakeStatus(True, deadline, None, None)


def request_retake(exam_id: int, *, actor=None, channel: str = "candidate",
                   today: date | None = None) -> RetakeRequest:
    """Record a retake request (by the organiser, or by the candidate from their link)."""
    if channel not in RETAKE_CHANNELS:
        raise InvalidInput("Canal de demande inconnu.")
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        status = retake_status(exam, today)
        if not status.can_request:
            raise Conflict(status.reason)
        request = RetakeRequest(exam_id=exam.id, channel=channel,
                                requested_by_id=getattr(actor, "id", None))
        db.session.add(request)
        db.session.flush()
        record(actor, "retake.request", "exam", exam.id, None, "requested", channel=channel,
               retake_request_id=request.id, deadline=status.deadline.isoformat())
    return request


def retake_targets(exam: Exam, today: date | None = None) -> list[Target]:
    """Where a retake can be placed. No 3-month warning: the retake is to be sat within
    2 months of the result (seed 000, I.D.7), so a session after that is flagged instead."""
    targets = open_targets(exam, today, with_warning=False)
    if is_unfavourable(exam):
        for target in targets:
            target.warning = rules.retake_sitting_warning(result_day(exam), target.day)
    return targets


def schedule_retake(actor, exam_id: int, jury_id: int | None, *, confirmed: bool = False,
                    today: date | None = None) -> Exam:
    """The new attempt (attempt + 1) in the chosen jury; the failed one stays as it was.

    When the retake would be sat more than 2 months after the result, the organiser
    must confirm; the warning and the confirmation are kept in the audit entry."""
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        request = retake_request_for(exam.id)
        if request is None:
            raise Conflict("Aucune demande de rattrapage n'a été enregistrée pour ce passage.")
        if request.new_exam_id is not None:
            raise Conflict("Le rattrapage est déjà planifié.")
        deadline = rules.retake_deadline(result_day(exam))
        if paris_day(request.requested_at) > deadline:
            raise Conflict(f"La demande a été faite après la fin du délai de rattrapage "
                           f"(le {french_date(deadline)}).")
        target = _target(retake_targets(exam, today), jury_id)
        if target.warning and not confirmed:
            raise InvalidInput(f"{target.warning} Cochez la case de confirmation pour planifier "
                               "le rattrapage malgré tout.")
        new = add_exam(target.jury, exam.candidate, attempt=exam.attempt + 1, retake_of=exam)
        request.new_exam = new
        request.scheduled_at = utcnow()
        details = {"warning": target.warning, "confirmed": True} if target.warning else {}
        record(actor, "retake.schedule", "exam", exam.id, None, "scheduled",
               retake_request_id=request.id, new_exam_id=new.id,
               session_id=target.jury.session_id, **details)
        record(actor, "exam.create", "exam", new.id, None, SCHEDULED, retake_of_exam_id=exam.id,
               attempt=new.attempt, reason="retake")
    return new


# --- Appeals --------------------------------------------------------------------------

def record_appeal(actor, exam_id: int, *, filed_on: date | None, grounds: str | None,
                  today: date | None = None) -> Appeal:
    """An appeal to the management against a result."""
    today = today or paris_today()
    with write_transaction():
        exam = get_exam(exam_id, lock=True)
        if exam.phase != CLOSED or exam.closed_at is None:
            raise Conflict("Un recours ne peut être enregistré qu'une fois le résultat connu "
                           "(délibération close).")
        if filed_on is None:
            raise InvalidInput("Indiquez la date du recours.")
        if filed_on > today:
            raise InvalidInput("La date du recours ne peut pas être dans le futur.")
        if filed_on < result_day(exam):
            raise InvalidInput(f"La date du recours ne peut pas précéder le résultat "
                               f"(le {french_date(result_day(exam))}).")
        grounds = _clean_text(grounds, required="Indiquez les motifs du recours.")
        _require_not_recorded(exam.id, filed_on, grounds)
        appeal = Appeal(exam_id=exam.id, filed_on=filed_on, grounds=grounds,
                        recorded_by_id=getattr(actor, "id", None))
        db.session.add(appeal)
        db.session.flush()
        record(actor, "appeal.record", "exam", exam.id, None, "pending", appeal_id=appeal.id,
               filed_on=filed_on.isoformat())
    return appeal


def _require_not_recorded(exam_id: int, filed_on: date, grounds: str) -> None:
    """The same appeal, still pending, is not recorded twice (a second click, a reload)."""
    same = db.session.scalar(
        db.select(Appeal).where(Appeal.exam_id == exam_id, Appeal.outcome == "pending",
                                Appeal.filed_on == filed_on, Appeal.grounds == grounds).limit(1))
    if same is not None:
        raise Conflict(f"Ce recours (déposé le {french_date(filed_on)}, mêmes motifs) est déjà "
                       "enregistré et attend la décision de la direction.")


def decide_appeal(actor, appeal_id: int, *, outcome: str | None, outcome_text: str | None,
                  decided_on: date | None, today: date | None = None) -> Appeal:
    """The management's answer to an appeal."""
    today = today or paris_today()
    with write_transaction():
        appeal = get_appeal(appeal_id, lock=True)
        if appeal.outcome != "pending":
            raise Conflict(f"Ce recours a déjà été tranché le {french_date(appeal.decided_on)}.")
        if outcome not in ("upheld", "rejected"):
            raise InvalidInput("Choisissez l'issue du recours : accepté ou rejeté.")
        if decided_on is None:
            raise InvalidInput("Indiquez la date de la décision.")
        if decided_on < appeal.filed_on:
            raise InvalidInput(f"La décision ne peut pas précéder le recours "
                               f"(déposé le {french_date(appeal.filed_on)}).")
        if decided_on > today:
            raise InvalidInput("La date de la décision ne peut pas être dans le futur.")
        text = _clean_text(outcome_text, required="Indiquez la réponse de la direction.")
        appeal.outcome, appeal.outcome_text, appeal.decided_on = outcome, text, decided_on
        record(actor, "appeal.decide", "exam", appeal.exam_id, "pending", outcome,
               appeal_id=appeal.id, decided_on=decided_on.isoformat())
    return appeal


def get_appeal(appeal_id: int, *, lock: bool = False) -> Appeal:
    return get_row(Appeal, appeal_id, "Recours introuvable.", lock=lock)


# --- The sitting page -----------------------------------------------------------------

EXCEPTION_ACTIONS = ("jury.stop", "exam.absent", "exam.move", "exam.create", "retake.request",
                     "retake.schedule", "appeal.record", "appeal.decide")


@dataclass
class Sitting:
    """Everything the organiser's page of one sitting shows."""

    exam: Exam
    convocations: list  # the candidate's, oldest first (see convened)
    attempts: list[Exam]
    moved_from: Exam | None
    retakes: list[Exam]
    retake: RetakeStatus
    appeals: list[Appeal]
    journal: list[AuditEntry]
    marked: bool
    replacement: ExamSession | None
    today: date
    move_problem: str | None = field(default=None)

    @property
    def session(self) -> ExamSession:
        return self.exam.jury.session

    @property
    def convocation_current(self) -> bool:
        last = self.convocations[-1] if self.convocations else None
        return convocation_reader().candidate_convocation_current(self.exam, last)

    @property
    def can_mark_absent(self) -> bool:
        e = self.exam
        return e.status == SCHEDULED and e.phase == GRADING and not self.marked

    @property
    def can_move(self) -> bool:
        return self.move_problem is None

    @property
    def has_result(self) -> bool:
        return self.exam.phase == CLOSED and self.exam.closed_at is not None

    @property
    def result_day(self) -> date | None:
        return result_day(self.exam)

    @property
    def retake_request(self) -> RetakeRequest | None:
        return self.retake.request

    @property
    def can_schedule_retake(self) -> bool:
        return self.retake_request is not None and self.retake_request.new_exam_id is None

    @property
    def sitting_deadline(self) -> date | None:
        end = self.exam.candidate.training_end_date
        return rules.sitting_deadline(end) if end else None

    @property
    def sitting_warning(self) -> str | None:
        # A retake follows the 2-month window after its result, not the 3 months after training.
        return _late_warning(self.exam, session_day(self.session))


def sitting(exam_id: int, today: date | None = None) -> Sitting:
    today = today or paris_today()
    exam = get_exam(exam_id)
    convocations = convocation_reader().candidate_convocations(exam)
    attempts = db.session.scalars(
        db.select(Exam).where(Exam.candidate_id == exam.candidate_id)
        .options(db.joinedload(Exam.jury).joinedload(Jury.session))
        .order_by(Exam.starts_at, Exam.id)).unique().all()
    moved_from = next((e for e in attempts if e.moved_to_id == exam.id), None)
    retakes = [e for e in attempts if e.retake_of_id == exam.id]
    appeals = db.session.scalars(db.select(Appeal).filter_by(exam_id=exam.id)
                                 .order_by(Appeal.filed_on, Appeal.id)).all()
    journal = db.session.scalars(
        db.select(AuditEntry)
        .where(db.or_(db.and_(AuditEntry.entity == "exam", AuditEntry.entity_id == exam.id,
                              AuditEntry.action.in_(EXCEPTION_ACTIONS)),
                      db.and_(AuditEntry.entity == "jury", AuditEntry.entity_id == exam.jury_id,
                              AuditEntry.action == "jury.stop")))
        .options(db.joinedload(AuditEntry.actor))
        .order_by(AuditEntry.at, AuditEntry.id)).unique().all()
    marked = has_marks(exam.id)
    replacement = replacement_session_of(exam.jury_id) if exam.jury.stopped_at else None
    return Sitting(exam, list(convocations), list(attempts), moved_from, retakes,
                   retake_status(exam, today), list(appeals), list(journal), marked,
                   replacement, today, _movable_problem(exam))


def stopped_jury_context(jury_id: int) -> tuple[Jury, list[Exam], date, date]:
    """A jury with what its carence stops, the absence day and the replacement deadline."""
    jury = get_jury(jury_id)
    day = absence_day(jury)
    return jury, pending_exams(jury), day, rules.replacement_deadline(day)


__all__ = [
    "RetakeStatus", "retake_status", "request_retake", "schedule_retake", "retake_targets",
    "stop_jury", "create_replacement", "ReplacementPlan", "mark_absent", "move_exam",
    "open_targets", "record_appeal", "decide_appeal", "sitting", "is_unfavourable",
]
