"""The dashboard's items after the exam: conditions sheets not handed, results to send,
certificates to issue, retakes to schedule, retake windows closing, appeals to answer.

* conditions — a jury that sat whose exam-conditions sheet (annex 4) was not handed:
  due on the day of the session;
* results — a deliberated or closed session with results not sent to every
  candidate who has an email address: due RESULTS_SEND_DAYS after the session day (decision: the jury
  communicates the result once all exams are passed, I.D.5; two days leave time
  for the minutes to be signed);
* certificate — an admitted candidate whose certificate is not issued yet: due
  the session day + 21 days (3 weeks, DESIGN / seed 000 I.D.6);
* retake_schedule — a retake request not yet placed in a session: due
  RETAKE_ANSWER_DAYS after the request (decision: answered within a week);
* retake_window — an unfavourable result without retake request, whose 2-month
  window closes within WINDOW_NOTICE_DAYS: due on the window's last day;
* appeal — an appeal to the management without its answer (recorded by the organiser or
  requested by the candidate from their link): due APPEAL_ANSWER_DAYS after it was filed
  (decision: the management answers within two weeks).
"""
from __future__ import annotations

from datetime import date, time, timedelta

from ..candidates.models import Appeal, Candidate, RetakeRequest
from ..certificates import rules as certificate_rules
from ..certificates.models import Certificate, ResultNotice
from ..examday.conditions.queries import sheets_not_handed
from ..extensions import db
from ..grading.rules import FAVORABLE, UNFAVORABLE
from ..people import of
from ..sessions import rules
from ..sessions.changes.common import result_day
from ..sessions.models import CANCELLED, CLOSED, WITH_RESULTS, Exam, ExamSession, Jury
from ..timeutil import french_date, paris_day, paris_to_utc
from .items import DueItem, plural

RETAKE_ANSWER_DAYS = 7
APPEAL_ANSWER_DAYS = 14
WINDOW_NOTICE_DAYS = 30
RESULTS_SEND_DAYS = 2


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
        f"{plural(n, 'résultat')} à envoyer aux candidats",
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
