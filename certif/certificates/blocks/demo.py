"""Demo data (issue 14, item 7): Manon Faure sat the RNCP title four months ago in a finished
session that validated BC01 and BC02 (not BC03), with their block attestations; her sitting in
2026-CM-01 is a retake where only BC03 is graded.

The past session is built step by step on its day like the finished RS6240 session
(`certif/demo_finished.py`, whose helpers it reuses): convened, graded by jure5 and jure6,
deliberated, conditions sheet and minutes signed, visa, results sent, certificates and block
attestations produced, closed."""
from __future__ import annotations

import os
from datetime import date, time, timedelta

from flask import current_app

from ... import demo_finished as finished
from ...audit.services import record
from ...auth.models import ORGANISER, User, UserRole
from ...candidates.models import Candidate
from ...database import write_transaction
from ...extensions import db
from ...referentials.services import layout
from ...sessions.lifecycle import advance_session
from ...sessions.models import DRAFT, SESSION_CLOSED, Exam, ExamSession, Jury, JuryMember
from ...timeutil import clock_set_to, paris_to_utc, paris_today
from ..issuing import generate_certificates
from ..sending import send_all_results

RETAKE_SESSION = "2026-CM-01"
HOLDER = ("Manon", "Faure")
MONTHS_AGO_DAYS = 120
FAILED_BLOCK = "BC03"
COMMENT = ("Stratégie et animation des communautés solides (BC01, BC02) ; la surveillance de "
           "l'e-réputation et l'analyse des KPI (BC03) restent à démontrer.")


# Seed 001 gives no RNCP number, level, decision nor dates: the referential file declares them
# unknown, which refuses every RNCP certificate and block attestation (certificates.mentions).
# The demo shows the attestations as they will be once an administrator fills them in, with
# made-up values that say so, written in the database only (audited; the file stays as is, and
# its next change replaces them). The end date falls within six months: the dashboard warns.
DEMO_REGISTRATION = {
    "number": "RNCP00000",
    "level": "5",
    "decree": "Décision fictive, pour la démonstration : le numéro RNCP du titre reste à renseigner",
}
DEMO_BIRTH_DATE = date(1998, 4, 17)


def past_day(today: date) -> date:
    day = today - timedelta(days=MONTHS_AGO_DAYS)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def load() -> ExamSession | None:
    """The past RNCP attempt of Manon Faure, and her 2026-CM-01 sitting made its retake."""
    retake_session = db.session.scalar(db.select(ExamSession).filter_by(number=RETAKE_SESSION))
    if retake_session is None:
        return None
    retake = next((e for j in retake_session.juries for e in j.exams
                   if (e.candidate.first_name, e.candidate.last_name) == HOLDER), None)
    if retake is None:
        return None
    jury = retake.jury
    president = jury.president
    member = next(m.juror for m in jury.members if m.juror_id != president.id)
    organiser = db.session.scalar(
        db.select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == ORGANISER).order_by(User.id).limit(1))
    day = past_day(paris_today())
    _demo_registration(retake_session.referential, organiser, paris_today())
    if retake.candidate.birth_date is None:
        retake.candidate.birth_date = DEMO_BIRTH_DATE
        db.session.commit()
    base_url = f"http://127.0.0.1:{os.environ.get('PORT') or 5000}"
    with current_app.test_request_context(base_url=base_url, environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                          headers={"User-Agent": "certif (données de démonstration)"}):
        with clock_set_to(paris_to_utc(day - timedelta(days=20), time(10, 0))):
            session, exam_id = _session(day, retake_session, retake.candidate, president, member)
        with clock_set_to(paris_to_utc(day - timedelta(days=14), time(10, 0))):
            finished._convene(organiser, session)
        lay = layout(session.referential_id)
        failing = {k.code for b in lay.blocks if b.code == FAILED_BLOCK
                   for c in b.competencies for k in c.criteria}
        finished._sit(exam_id, president, member, failing, None, COMMENT)
        finished._conditions(president, member, session.juries[0].id, day)
        finished._minutes(organiser, president, member, session.id, day)  # records BC01, BC02
        with clock_set_to(paris_to_utc(day + timedelta(days=1), time(10, 0))):
            send_all_results(organiser, session.id)
        with clock_set_to(paris_to_utc(day + timedelta(days=2), time(10, 0))):
            generate_certificates(organiser, session.id)  # the two block attestations
            advance_session(organiser, session.id, SESSION_CLOSED)
    with write_transaction():
        retake = db.session.get(Exam, retake.id)
        retake.attempt, retake.retake_of_id = 2, exam_id
        record(organiser, "retake.schedule", "exam", retake.id, None, retake_session.number,
               retake_of_exam_id=exam_id, note="données de démonstration")
    return session


def _demo_registration(referential, organiser, today: date) -> None:
    """The made-up registration facts of the RNCP title (see DEMO_REGISTRATION), audited."""
    facts = {**referential.registration, **DEMO_REGISTRATION,
             "decided_on": (today - timedelta(days=1000)).isoformat(),
             "effective_from": (today - timedelta(days=999)).isoformat(),
             "ends_on": (today + timedelta(days=150)).isoformat()}
    with write_transaction():
        referential.details = {**referential.details, "registration": facts}
        record(organiser, "referential.update_mentions", "referential", referential.id, None,
               referential.label, note="données de démonstration : enregistrement RNCP fictif")


def _session(day: date, retake_session: ExamSession, candidate: Candidate, president,
             member) -> tuple[ExamSession, int]:
    start = paris_to_utc(day, time(9, 0))
    referential = retake_session.referential
    session = ExamSession(number=f"{day.year}-CM-P1", referential=referential, mode="remote",
                          starts_at=start, status=DRAFT,
                          video_link=f"https://visio.example.org/certif-{day.year}-cm-p1")
    jury = Jury(position=1, president=president)
    jury.members = [JuryMember(juror=president, seat=1), JuryMember(juror=member, seat=2)]
    session.juries.append(jury)
    exam = Exam(candidate=candidate, duration_minutes=referential.exam_minutes, position=1,
                starts_at=start)
    jury.exams.append(exam)
    db.session.add(session)
    db.session.commit()
    return session, exam.id


def summary() -> str | None:
    session = db.session.scalar(db.select(ExamSession).where(ExamSession.number.like("%-CM-P1")))
    if session is None:
        return None
    return (f"  Session RNCP terminée n° {session.number} : Manon Faure y a validé BC01 et BC02 "
            f"(attestations sous /sessions/{session.id}/resultats) ; en {RETAKE_SESSION}, seul BC03 "
            "est évalué")
