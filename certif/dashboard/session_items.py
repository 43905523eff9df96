"""The dashboard's items before and on the exam day: sessions to convene, replacements to
organise, conflicts of interest, candidates stranded in a cancelled session, late sittings.

* convene — a session whose candidates or jurors have no current convocation:
  due CONVENE_LEAD_DAYS before the session (decision: two weeks, so that RNCP
  candidates still have time for the technical dossier due 10 days before);
* replacement — a jury stopped by a juror's absence, without replacement
  session: due on the last day the replacement may be held (30 days);
* conflict — a juror declared knowing a candidate still to sit before them:
  due on the day of the sitting;
* stranded — a candidate still to sit in a cancelled session (cancelled before
  the organiser had to move them first): due on the day they were to sit;
* late_sitting — a candidate placed more than 3 months after their training:
  due on the day of the sitting.
"""
from __future__ import annotations

from datetime import date, time, timedelta

from ..convocations.models import JUROR as JUROR_CONVOCATION
from ..convocations.models import Convocation
from ..convocations.queries import (
    candidate_convocation_current,
    juror_convocation_current,
    latest_candidate_convocations,
)
from ..extensions import db
from ..jurors.models import ConflictDeclaration
from ..sessions import rules
from ..sessions.changes.carence import pending_exams
from ..sessions.models import (
    CANCELLED,
    GRADING,
    PLANNING,
    STOPPED,
    Exam,
    ExamSession,
    Jury,
    JuryMember,
)
from ..sessions.queries import sitting_exams, sitting_juries
from ..timeutil import french_date, paris_day, paris_to_utc
from .items import DueItem, plural

CONVENE_LEAD_DAYS = 14


def upcoming_sessions(today: date) -> list[ExamSession]:
    return db.session.scalars(
        db.select(ExamSession)
        .where(ExamSession.status.in_(PLANNING),
               ExamSession.starts_at >= paris_to_utc(today, time(0)))
        .options(db.selectinload(ExamSession.juries).selectinload(Jury.exams))
        .order_by(ExamSession.starts_at)).all()


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
    sessions = upcoming_sessions(today) if upcoming is None else upcoming
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
        parts = [p for p in (candidates_due and plural(candidates_due, "candidat"),
                             jurors_due and plural(jurors_due, "juré")) if p]
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
            f"la session de remplacement pour {plural(len(waiting), 'candidat')}",
            [("exceptions.replacement", {"jury_id": jury.id})],
            detail=f"Au plus tard le {french_date(deadline)} (30 jours).", today=today))
    return items


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


def late_sittings(today: date, upcoming: list[ExamSession] | None = None) -> list[DueItem]:
    items = []
    for session in upcoming_sessions(today) if upcoming is None else upcoming:
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
