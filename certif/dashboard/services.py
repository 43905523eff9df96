"""What the organiser has to do, soonest first: the dashboard's list of due items.

Each item has a kind, a due date, a French label and the page where it is done.
The due dates follow the procedure (seed 000) where it gives one; elsewhere the
rule chosen here is stated beside it (decision):

* convene — a session whose candidates or jurors have no current convocation:
  due CONVENE_LEAD_DAYS before the session (decision: two weeks, so that RNCP
  candidates still have time for the technical dossier due 10 days before);
* replacement — a jury stopped by a juror's absence, without replacement
  session: due on the last day the replacement may be held (30 days);
* retake_schedule — a retake request not yet placed in a session: due
  RETAKE_ANSWER_DAYS after the request (decision: answered within a week);
* appeal — an appeal to the management without its answer (recorded by the organiser or
  requested by the candidate from their link): due APPEAL_ANSWER_DAYS after it was filed
  (decision: the management answers within two weeks);
* retake_window — an unfavourable result without retake request, whose 2-month
  window closes within WINDOW_NOTICE_DAYS: due on the window's last day;
* conflict — a juror declared knowing a candidate still to sit before them:
  due on the day of the sitting;
* habilitation — a juror profile without decision: due on the first session
  they sit on, else HABILITATION_REVIEW_DAYS after the profile's last change;
* habilitation_review — a juror whose profile changed after a favourable
  decision (the decision still stands, the new facts may not support it): due
  on the first session they sit on, else HABILITATION_REVIEW_DAYS after the change;
* late_sitting — a candidate placed more than 3 months after their training:
  due on the day of the sitting;
* stranded — a candidate still to sit in a cancelled session (cancelled before
  the organiser had to move them first): due on the day they were to sit;
* certificate — an admitted candidate whose certificate is not issued yet: due
  the session day + 21 days (3 weeks, DESIGN / seed 000 I.D.6);
* results — a deliberated or closed session with results not sent to every
  candidate who has an email address: due RESULTS_SEND_DAYS after the session day (decision: the jury
  communicates the result once all exams are passed, I.D.5; two days leave time
  for the minutes to be signed);
* council_action — a corrective action the steering council adopted, not applied
  yet (adopted or in progress): due on its due date (seed 000 II.B: adopted
  actions are mandatory; overdue once the date has passed, `council.rules.is_overdue`);
* council_meeting — a meeting the council owes (`council.deadlines.due_meetings`):
  an exceptional one after a session that reported an anomaly, due one month after
  the session, always listed; the annual one, listed from MEETING_NOTICE_DAYS
  before its last day (decision: two months to convene the members), and only once
  a session exists (before, there is nothing to meet about).

Every kind reads the database a fixed number of times, whatever the number of
sessions or items (batched queries, eager loads): the page stays fast.

The module stays past 400 lines on purpose: it holds one list, each kind a short batched
query under the rule stated above, and splitting the kinds would part them from that list.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from ..candidates.models import Appeal, Candidate, RetakeRequest
from ..certificates import rules as certificate_rules
from ..certificates.models import Certificate, ResultNotice
from ..convocations.models import JUROR as JUROR_CONVOCATION
from ..convocations.models import Convocation
from ..convocations.queries import (
    candidate_convocation_current,
    juror_convocation_current,
    latest_candidate_convocations,
)
from ..council.actions.queries import open_actions
from ..council.deadlines import due_meetings, first_session_day
from ..council.models import ANNUAL
from ..examday.conditions.queries import sheets_not_handed
from ..extensions import db
from ..grading.rules import FAVORABLE, UNFAVORABLE
from ..jurors.models import FAVOURABLE, ConflictDeclaration, JurorProfile
from ..jurors.services import changed_since_decision
from ..organisation import rules as insurance_rules
from ..organisation.queries import policies as insurance_policies
from ..people import of
from ..sessions import rules
from ..sessions.changes.carence import pending_exams
from ..sessions.changes.common import result_day
from ..sessions.models import (
    CANCELLED,
    CLOSED,
    GRADING,
    PLANNING,
    STOPPED,
    WITH_RESULTS,
    Exam,
    ExamSession,
    Jury,
    JuryMember,
)
from ..sessions.queries import sitting_exams, sitting_juries
from ..timeutil import french_date, paris_day, paris_to_utc, paris_today

CONVENE_LEAD_DAYS = 14
RETAKE_ANSWER_DAYS = 7
APPEAL_ANSWER_DAYS = 14
WINDOW_NOTICE_DAYS = 30
HABILITATION_REVIEW_DAYS = 7
RESULTS_SEND_DAYS = 2
MEETING_NOTICE_DAYS = 60

# In the order the counts are shown, and ties on the same day are listed.
KINDS = {
    "replacement": "Sessions de remplacement à organiser",
    "conflict": "Conflits d'intérêts à résoudre",
    "convene": "Convocations à envoyer",
    "retake_schedule": "Rattrapages à planifier",
    "retake_window": "Délais de rattrapage qui se terminent",
    "appeal": "Recours à trancher",
    "stranded": "Candidats à replacer (session annulée)",
    "habilitation": "Habilitations à décider",
    "habilitation_review": "Habilitations à revoir",
    "late_sitting": "Passages plus de 3 mois après la formation",
    "conditions": "Fiches de conditions d'examen non remises",
    "results": "Résultats à envoyer",
    "certificate": "Certificats à délivrer",
    "council_action": "Actions correctives à appliquer",
    "council_meeting": "Réunions du conseil de pilotage à tenir",
    "insurance": "Assurance responsabilité civile à renouveler",
}


@dataclass
class DueItem:
    kind: str
    due: date
    label: str
    # Where it is done: the first of these pages that exists, as (endpoint, values).
    links: list[tuple[str, dict]]
    detail: str | None = None
    today: date = field(default_factory=paris_today, repr=False)

    @property
    def overdue(self) -> bool:
        return self.due < self.today

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def sort_key(self) -> tuple:
        return (self.due, list(KINDS).index(self.kind), self.label)


def due_items(today: date | None = None) -> list[DueItem]:
    """Everything due, soonest first (overdue items first of all)."""
    today = today or paris_today()
    upcoming = _upcoming_sessions(today)  # read once, for two kinds
    items = [
        *sessions_to_convene(today, upcoming),
        *replacements_to_organise(today),
        *retakes_to_schedule(today),
        *retake_windows_closing(today),
        *appeals_to_answer(today),
        *conflicts_to_resolve(today),
        *stranded_candidates(today),
        *habilitations_to_decide(today),
        *habilitations_to_review(today),
        *late_sittings(today, upcoming),
        *conditions_not_handed(today),
        *results_to_send(today),
        *certificates_to_issue(today),
        *council_actions(today),
        *council_meetings(today),
        *insurance_to_renew(today),
    ]
    return sorted(items, key=lambda item: item.sort_key)


def counts(items: list[DueItem]) -> list[tuple[str, str, int]]:
    """(kind, label, count) of the kinds present, in KINDS order."""
    per_kind = Counter(item.kind for item in items)
    return [(kind, label, per_kind[kind]) for kind, label in KINDS.items() if per_kind[kind]]


def _upcoming_sessions(today: date) -> list[ExamSession]:
    return db.session.scalars(
        db.select(ExamSession)
        .where(ExamSession.status.in_(PLANNING),
               ExamSession.starts_at >= paris_to_utc(today, time(0)))
        .options(db.selectinload(ExamSession.juries).selectinload(Jury.exams))
        .order_by(ExamSession.starts_at)).all()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


# --- Each kind --------------------------------------------------------------------------

def _exams_to_convene(session: ExamSession) -> list[Exam]:
    return [e for e in sitting_exams(session) if e.phase == GRADING]


def _latest_juror_convocations(session_ids: list[int]) -> dict[tuple[int, int], Convocation]:
    """The last sending to each juror of these sessions, by (session id, juror id):
    `convocations.queries.latest_juror_convocations` for many sessions in one query."""
    if not session_ids:
        return {}
    rows = db.session.scalars(
        db.select(Convocation).where(Convocation.kind == JUROR_CONVOCATION,
                                     Convocation.session_id.in_(session_ids))
        .order_by(Convocation.sent_at, Convocation.id)).all()
    return {(c.session_id, c.juror_id): c for c in rows}


def sessions_to_convene(today: date, upcoming: list[ExamSession] | None = None) -> list[DueItem]:
    sessions = _upcoming_sessions(today) if upcoming is None else upcoming
    exams_of = {session.id: _exams_to_convene(session) for session in sessions}
    sent = latest_candidate_convocations([e.id for exams in exams_of.values() for e in exams])
    sent_jurors = _latest_juror_convocations([session.id for session in sessions])
    items = []
    for session in sessions:
        juries = sitting_juries(session)
        exams = exams_of[session.id]
        jurors = {m.juror_id for j in juries for m in j.members}
        candidates_due = sum(not candidate_convocation_current(e, sent.get(e.id)) for e in exams)
        jurors_due = sum(not juror_convocation_current(session, j, sent_jurors.get((session.id, j)))
                         for j in jurors)
        if not candidates_due and not jurors_due:
            continue
        parts = [p for p in (candidates_due and _plural(candidates_due, "candidat"),
                             jurors_due and _plural(jurors_due, "juré")) if p]
        items.append(DueItem(
            "convene", paris_day(session.starts_at) - timedelta(days=CONVENE_LEAD_DAYS),
            f"Session n° {session.number} du {french_date(session.starts_at)} : convocations à "
            f"envoyer ou à renvoyer ({' et '.join(parts)})",
            [("convocations.session", {"session_id": session.id}),
             ("sessions.show", {"session_id": session.id})],
            today=today))
    return items


def replacements_to_organise(today: date) -> list[DueItem]:
    juries = db.session.scalars(
        db.select(Jury).where(~Jury.sits)
        .options(db.joinedload(Jury.session), db.selectinload(Jury.exams))).unique().all()
    # As `sessions.changes.carence.replacement_session_of`, for every stopped jury at once.
    replaced = set(db.session.scalars(
        db.select(ExamSession.replaces_jury_id)
        .where(ExamSession.replaces_jury_id.in_([j.id for j in juries]),
               ExamSession.status != CANCELLED))) if juries else set()
    items = []
    for jury in juries:
        waiting = pending_exams(jury)
        if not waiting or jury.id in replaced:
            continue
        deadline = rules.replacement_deadline(paris_day(jury.session.starts_at))
        items.append(DueItem(
            "replacement", deadline,
            f"Session n° {jury.session.number}, {jury.label.lower()} arrêté (carence) : organiser "
            f"la session de remplacement pour {_plural(len(waiting), 'candidat')}",
            [("exceptions.replacement", {"jury_id": jury.id})],
            detail=f"Au plus tard le {french_date(deadline)} (30 jours).", today=today))
    return items


def retakes_to_schedule(today: date) -> list[DueItem]:
    requests = db.session.scalars(
        db.select(RetakeRequest).where(RetakeRequest.new_exam_id.is_(None))
        .options(db.joinedload(RetakeRequest.exam))).unique().all()
    return [DueItem(
        "retake_schedule", paris_day(r.requested_at) + timedelta(days=RETAKE_ANSWER_DAYS),
        f"{r.exam.candidate.full_name} a demandé à repasser l'épreuve le "
        f"{french_date(r.requested_at)} : choisir la session du rattrapage",
        [("exceptions.schedule_retake", {"exam_id": r.exam_id})], today=today)
        for r in requests]


def retake_windows_closing(today: date) -> list[DueItem]:
    # A window closing within the notice opened at most 2 months + notice ago.
    since = paris_to_utc(rules.add_months(today, -rules.RETAKE_MONTHS) - timedelta(days=1), time(0))
    requested = db.select(RetakeRequest.exam_id)
    retaken = db.select(Exam.retake_of_id).where(Exam.retake_of_id.is_not(None))
    exams = db.session.scalars(
        db.select(Exam).where(Exam.phase == CLOSED, Exam.decision == UNFAVORABLE,
                              Exam.closed_at >= since, Exam.id.not_in(requested),
                              Exam.id.not_in(retaken))).all()
    items = []
    for exam in exams:
        deadline = rules.retake_deadline(result_day(exam))
        if today <= deadline <= today + timedelta(days=WINDOW_NOTICE_DAYS):
            items.append(DueItem(
                "retake_window", deadline,
                f"{exam.candidate.full_name} (avis défavorable le {french_date(exam.closed_at)}) "
                f"peut demander un rattrapage jusqu'au {french_date(deadline)}",
                [("exceptions.exam", {"exam_id": exam.id})], today=today))
    return items


def appeals_to_answer(today: date) -> list[DueItem]:
    appeals = db.session.scalars(
        db.select(Appeal).where(Appeal.outcome == "pending")
        .options(db.joinedload(Appeal.exam).joinedload(Exam.candidate))).unique().all()
    return [DueItem(
        "appeal", a.filed_on + timedelta(days=APPEAL_ANSWER_DAYS),
        f"Recours {of(a.exam.candidate.full_name)} déposé le {french_date(a.filed_on)} : "
        "la direction doit répondre",
        [("exceptions.exam", {"exam_id": a.exam_id, "_anchor": "recours"})],
        detail=a.channel_label, today=today)
        for a in appeals]


def conflicts_to_resolve(today: date) -> list[DueItem]:
    rows = db.session.execute(
        db.select(ConflictDeclaration, Exam)
        .join(Exam, ConflictDeclaration.exam_id == Exam.id)
        .join(Jury, Exam.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        # Still on that juror's jury: moving the candidate to another jury resolves it.
        .join(JuryMember, (JuryMember.jury_id == Exam.jury_id)
              & (JuryMember.juror_id == ConflictDeclaration.juror_id))
        .where(ConflictDeclaration.has_conflict.is_(True), Exam.is_active,
               Exam.phase == GRADING, Jury.sits,
               ExamSession.status.not_in(STOPPED))
        .options(db.joinedload(ConflictDeclaration.juror),
                 db.joinedload(Exam.jury).joinedload(Jury.session))).unique().all()
    return [DueItem(
        "conflict", paris_day(exam.starts_at),
        f"{declaration.juror.full_name} a déclaré connaître {exam.candidate.full_name} "
        f"(session n° {exam.jury.session.number}, {exam.jury.label.lower()}) : confier le "
        "candidat à un autre jury",
        [("sessions.show", {"session_id": exam.jury.session_id}),
         ("exceptions.exam", {"exam_id": exam.id})], today=today)
        for declaration, exam in rows]


def _first_sittings(user_ids: list[int], today: date) -> dict:
    """juror id -> start of the first session to come they sit on."""
    return dict(db.session.execute(
        db.select(JuryMember.juror_id, db.func.min(ExamSession.starts_at))
        .join(Jury, JuryMember.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .where(ExamSession.status.in_(PLANNING),
               ExamSession.starts_at >= paris_to_utc(today, time(0)),
               JuryMember.juror_id.in_(user_ids))
        .group_by(JuryMember.juror_id)).all())


def _habilitation_deadlines(profiles, today: date):
    """Each profile with the juror's first sitting to come (or None) and the decision's due
    date: that sitting, else a week after the profile last changed."""
    first_sitting = _first_sittings([p.user_id for p in profiles], today)
    for profile in profiles:
        sits = first_sitting.get(profile.user_id)
        yield profile, sits, (paris_day(sits) if sits else
                              paris_day(profile.updated_at) + timedelta(days=HABILITATION_REVIEW_DAYS))


def habilitations_to_decide(today: date) -> list[DueItem]:
    profiles = db.session.scalars(
        db.select(JurorProfile).where(JurorProfile.habilitation_result.is_(None))
        .options(db.joinedload(JurorProfile.user))).unique().all()
    if not profiles:
        return []
    items = []
    for profile, sits, due in _habilitation_deadlines(profiles, today):
        detail = (f"Siège le {french_date(sits)} : sans habilitation favorable, il ne peut pas "
                  "siéger." if sits else None)
        items.append(DueItem(
            "habilitation", due,
            f"Habilitation {of(profile.user.full_name)} à décider",
            [("jurors.show", {"user_id": profile.user_id}), ("jurors.index", {})],
            detail=detail, today=today))
    return items


def stranded_candidates(today: date) -> list[DueItem]:
    """Candidates still to sit in a cancelled session: nobody would convene them any more."""
    exams = db.session.scalars(
        db.select(Exam).join(Jury, Exam.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .where(ExamSession.status == CANCELLED, Exam.is_active)
        .options(db.joinedload(Exam.jury).joinedload(Jury.session))
        .order_by(Exam.starts_at, Exam.id)).unique().all()
    return [DueItem(
        "stranded", paris_day(exam.starts_at),
        f"{exam.candidate.full_name} est encore convoqué(e) dans la session n° "
        f"{exam.jury.session.number}, annulée : le reporter sur une autre session ou "
        "déclarer son absence",
        [("exceptions.exam", {"exam_id": exam.id})], today=today)
        for exam in exams]


def habilitations_to_review(today: date) -> list[DueItem]:
    """Favourable decisions whose profile was edited since: to confirm or revise."""
    profiles = [p for p in db.session.scalars(
        db.select(JurorProfile)
        .where(JurorProfile.habilitation_result == FAVOURABLE,
               JurorProfile.habilitation_decided_at.is_not(None),
               JurorProfile.updated_at > JurorProfile.habilitation_decided_at)
        .options(db.joinedload(JurorProfile.user))).unique().all()
        if changed_since_decision(p)]
    if not profiles:
        return []
    items = []
    for profile, sits, due in _habilitation_deadlines(profiles, today):
        detail = (f"Fiche modifiée le {french_date(profile.updated_at)}, après l'avis favorable du "
                  f"{french_date(profile.habilitation_decided_at)}"
                  + (f" ; siège le {french_date(sits)}." if sits else "."))
        items.append(DueItem(
            "habilitation_review", due,
            f"Habilitation {of(profile.user.full_name)} à revoir : sa fiche a changé depuis la "
            "décision",
            [("jurors.show", {"user_id": profile.user_id}), ("jurors.index", {})],
            detail=detail, today=today))
    return items


def late_sittings(today: date, upcoming: list[ExamSession] | None = None) -> list[DueItem]:
    items = []
    for session in _upcoming_sessions(today) if upcoming is None else upcoming:
        day = paris_day(session.starts_at)
        for exam in sitting_exams(session):
            if exam.phase != GRADING or exam.retake_of_id:
                continue  # a retake follows the 2-month window instead
            end = exam.candidate.training_end_date
            if rules.sitting_warning(end, day) is None:
                continue
            items.append(DueItem(
                "late_sitting", day,
                f"{exam.candidate.full_name} passerait l'épreuve le {french_date(day)} "
                f"(session n° {session.number}), plus de 3 mois après la fin de sa "
                f"formation le {french_date(end)}",
                [("exceptions.exam", {"exam_id": exam.id})],
                detail=f"Limite : {french_date(rules.sitting_deadline(end))}.", today=today))
    return items


def conditions_not_handed(today: date) -> list[DueItem]:
    """Juries that sat whose exam-conditions sheet (annex 4) was not handed at the end of the day."""
    return [DueItem(
        "conditions", paris_day(session.starts_at),
        f"Session n° {session.number} du {french_date(session.starts_at)} : fiche de validation "
        f"des conditions d'examen du {jury.label.lower()} non remise",
        [("conditions.session_sheets", {"session_id": session.id}),
         ("sessions.show", {"session_id": session.id})],
        detail="Les deux jurés la signent et la remettent à la fin de la journée (annexe 4).",
        today=today)
        for jury, session in sheets_not_handed(today)]


def results_to_send(today: date) -> list[DueItem]:
    """Deliberated (or closed) sessions whose closed exams have not all had their result sent."""
    notified = db.select(ResultNotice.exam_id)
    # A candidate without email gets the result by hand, which certif does not record:
    # counting them would leave the item on the dashboard for ever.
    reachable = db.select(Candidate.id).where(db.func.trim(db.func.coalesce(Candidate.email, "")) != "")
    rows = db.session.execute(
        db.select(ExamSession, db.func.count(Exam.id))
        .join(Jury, Jury.session_id == ExamSession.id)
        .join(Exam, Exam.jury_id == Jury.id)
        .where(ExamSession.status.in_(WITH_RESULTS), Exam.phase == CLOSED,
               Exam.decision.is_not(None), Exam.id.not_in(notified),
               Exam.candidate_id.in_(reachable))
        .group_by(ExamSession.id).order_by(ExamSession.starts_at)).all()
    return [DueItem(
        "results", paris_day(session.starts_at) + timedelta(days=RESULTS_SEND_DAYS),
        f"Session n° {session.number} du {french_date(session.starts_at)} : "
        f"{_plural(n, 'résultat')} à envoyer aux candidats",
        [("certificates.session_results", {"session_id": session.id}),
         ("sessions.show", {"session_id": session.id})], today=today)
        for session, n in rows]


def certificates_to_issue(today: date) -> list[DueItem]:
    """Admitted candidates whose certificate is not issued (or not even produced) yet."""
    rows = db.session.execute(
        db.select(Exam, ExamSession, Certificate.number)
        .join(Jury, Exam.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .outerjoin(Certificate, Certificate.exam_id == Exam.id)
        .where(Exam.phase == CLOSED, Exam.decision == FAVORABLE, Certificate.issued_on.is_(None),
               ExamSession.status != CANCELLED)).all()
    items = []
    for exam, session, number in rows:
        due = certificate_rules.delivery_due(paris_day(session.starts_at))
        what = f"certificat n° {number}" if number else "certificat (à produire)"
        items.append(DueItem(
            "certificate", due,
            f"Certificat à délivrer à {exam.candidate.full_name} (session n° {session.number} du "
            f"{french_date(session.starts_at)}) : {what}",
            [("certificates.session_results", {"session_id": session.id}),
             ("sessions.show", {"session_id": session.id})],
            detail=f"Dans les 3 semaines qui suivent la session, au plus tard le {french_date(due)}.",
            today=today))
    return items


def council_actions(today: date) -> list[DueItem]:
    """Corrective actions adopted and not applied yet (mandatory), by their due date."""
    return [DueItem(
        "council_action", action.due_on,
        f"Action corrective « {action.title} » à appliquer (responsable : {action.owner_name})",
        [("council.action", {"action_id": action.id})],
        detail=f"{action.status_label} ; échéance le {french_date(action.due_on)}.", today=today)
        for action in open_actions()]


def council_meetings(today: date) -> list[DueItem]:
    """The council's meetings to hold: each exceptional one, and the annual one when near."""
    started = first_session_day() is not None
    items = []
    for due in due_meetings(today):
        if due.kind == ANNUAL:
            if not started or due.due > today + timedelta(days=MEETING_NOTICE_DAYS):
                continue
            label = "Réunion annuelle du conseil de pilotage à tenir"
        else:
            label = (f"Réunion exceptionnelle du conseil de pilotage à tenir : la session n° "
                     f"{due.session_number} du {french_date(due.session_day)} a signalé une anomalie")
        items.append(DueItem("council_meeting", due.due, label, [("meetings.index", {})],
                             detail=f"Au plus tard le {french_date(due.due)}.", today=today))
    return items


def insurance_to_renew(today: date) -> list[DueItem]:
    """The organisation's civil liability cover ends within 30 days, or has ended (seed 000,
    I.A; `organisation.rules.expiry_notice`): due on its last day."""
    notice = insurance_rules.expiry_notice(insurance_policies(), today)
    if notice is None:
        return []
    return [DueItem("insurance", notice.due, notice.label, [("organisation.insurance", {})],
                    detail="Aucune session ne peut être convoquée pour une date que la police ne "
                           "couvre pas.", today=today)]
