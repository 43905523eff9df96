"""The demo shows an accommodation: a candidate of today's session has a granted record, extra
time in their slot, and the measures on the jury's reception page (never the medical details)."""
from datetime import time

from certif.candidates.accommodation import Accommodation
from certif.demo import PASSWORD, load_demo
from certif.extensions import db
from certif.sessions.models import ExamSession
from certif.timeutil import to_paris


def test_todays_demo_session_has_an_accommodated_candidate(app, web):
    assert load_demo()
    today = db.session.scalar(db.select(ExamSession).filter_by(number="2026-RS6240-00"))
    exams = {e.candidate.full_name: e for jury in today.juries for e in jury.exams}
    exam = exams["Louis CHEVALIER"]
    record = db.session.scalar(db.select(Accommodation).filter_by(candidate_id=exam.candidate_id))
    assert record.decision == "granted" and record.medical_details
    assert exam.candidate.extra_minutes == 10 and exam.duration_minutes == 40
    assert to_paris(exam.starts_at).time() == time(9, 30)  # last of the jury: nobody after
    web.login(today.juries[0].president, PASSWORD)
    page = web.get(f"/jury/examens/{exam.id}/accueil").text
    assert "Temps supplémentaire : 10 minutes" in page and record.medical_details not in page
