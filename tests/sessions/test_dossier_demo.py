"""The demo's RNCP session 2026-CM-01: Manon Faure's file complete and on time, the company
asking confidentiality; Yanis Mercier's late and incomplete."""
from certif.demo import load_demo
from certif.extensions import db
from certif.sessions.dossier.queries import session_files
from certif.sessions.models import ExamSession


def test_the_demo_holds_a_complete_file_and_a_late_one(app):
    assert load_demo()
    session = db.session.scalar(db.select(ExamSession).filter_by(number="2026-CM-01"))
    views = {v.exam.candidate.last_name: v for v in session_files(session)}
    manon, yanis = views["Faure"], views["Mercier"]
    assert manon.state == "present" and manon.confidential and 200 <= manon.summary_words <= 250
    assert len(manon.history("technical_dossier")) == 2  # a replaced version kept
    assert yanis.state == "missing" and not yanis.confidential
    assert {s.state for s in yanis.statuses} == {"present", "late", "missing"}
