"""`flask setup` migrates and imports; `flask setup --demo` (what `make run` calls) also loads
the demo data the first time."""
from certif.auth.models import User
from certif.candidates.links import make_token
from certif.candidates.models import Appeal
from certif.certificates import verification
from certif.certificates.queries import certificate_of, sealed_certificate
from certif.dashboard.result_items import appeals_to_answer, conditions_not_handed
from certif.documents.seal import verify_pdf
from certif.examday.models import ConditionsSheet
from certif.extensions import db
from certif.grading.models import Grid
from certif.grading.rules import FAVORABLE, UNFAVORABLE
from certif.minutes.queries import minutes_of
from certif.portal.services import portal_page
from certif.sessions.models import Exam, ExamSession, Jury
from certif.signatures.models import MINUTES
from certif.signatures.services import signatures_of
from certif.timeutil import paris_day, paris_today, to_paris, utcnow


def count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_plain_setup_never_loads_the_demo(app):
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert "démonstration" not in result.output and "certif-demo" not in result.output
    # An empty instance says how to create the first organiser.
    assert "flask users create EMAIL" in result.output and "--role organiser" in result.output
    db.session.commit()
    assert count(User) == 0 and count(ExamSession) == 0


def test_setup_demo_loads_the_demo_once_and_prints_the_logins(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["setup", "--demo"])
    assert result.exit_code == 0, result.output
    assert "Données de démonstration chargées." in result.output
    assert "jure1@certif.test" in result.output and "certif-demo" in result.output
    assert "(préside le jury)" in result.output
    assert "habilitation à décider" in result.output  # jure7 awaits the organiser's decision
    assert "habilité(e) : RNCP-CM, RS6240" in result.output  # jure5 (issue 14: per certification)
    db.session.commit()
    sessions = db.session.scalars(db.select(ExamSession).order_by(ExamSession.number)
                                  .where(ExamSession.number.not_like("%-P1"))).all()
    assert [(s.number, s.referential.code, len(s.juries)) for s in sessions] == [
        ("2026-CM-01", "RNCP-CM", 1), ("2026-RS6240-00", "RS6240", 1), ("2026-RS6240-01", "RS6240", 2),
        ("2026-RS6240-02", "RS6240", 0)]
    today = sessions[1]
    assert to_paris(today.starts_at).date() == to_paris(utcnow()).date()  # the exam day, to try
    assert today.status == "convened"  # convocations handed over: ready for the exam day
    # 13 RS6240 and RNCP sittings, Nina Perret (finished session), Rayan Bouzid (VAE) and Manon
    # Faure's earlier RNCP attempt.
    assert count(Exam) == 16
    assert all(j.president_id is not None and len(j.members) == 2
               for j in db.session.scalars(db.select(Jury)))
    assert_finished_session(app, result.output)
    users = count(User)

    again = runner.invoke(args=["setup", "--demo"])
    assert again.exit_code == 0 and "Données de démonstration chargées." not in again.output
    assert "données de démonstration non chargées" in again.output
    db.session.commit()
    assert count(User) == users and count(Exam) == 16
    # Without --demo, an instance with accounts just migrates: no hint, nothing loaded.
    plain = runner.invoke(args=["setup"])
    assert plain.exit_code == 0 and "flask users create" not in plain.output
    db.session.commit()
    assert count(User) == users


def assert_finished_session(app, output):
    """Issue 13's results, as the demo shows them: a session held three weeks ago, graded and
    deliberated, minutes signed with the visa, three certificates (one revoked), an appeal."""
    session = db.session.scalar(db.select(ExamSession).where(ExamSession.number.like("%-P1")))
    assert f"Session terminée n° {session.number}" in output and "un recours à trancher" in output
    assert (paris_today() - paris_day(session.starts_at)).days >= 21 and session.status == "closed"
    exams = sorted(session.juries[0].exams, key=lambda e: e.starts_at)
    assert [e.decision for e in exams] == [FAVORABLE, FAVORABLE, UNFAVORABLE, FAVORABLE]
    assert all(db.session.scalar(db.select(db.func.count(Grid.id)).where(Grid.exam_id == e.id)) == 2
               for e in exams)
    signatures = signatures_of(MINUTES, [minutes_of(session.id).id])[minutes_of(session.id).id]
    assert {s.signer_role for s in signatures} >= {"organiser"} and len(signatures) == 3
    assert minutes_of(session.id).visa_at is not None
    # Its conditions sheet was signed and handed: nothing of it is left to do on the dashboard.
    sheet = db.session.scalar(db.select(ConditionsSheet).filter_by(jury_id=session.juries[0].id))
    assert sheet is not None and sheet.handed_at is not None and not sheet.has_breach
    assert not [i for i in conditions_not_handed(paris_today()) if session.number in i.label]
    valid, revoked = (certificate_of(e.id) for e in exams[:2])
    assert certificate_of(exams[2].id) is None
    assert valid.revoked_at is None and revoked.revoked_at is not None and revoked.revocation_reason
    with app.test_request_context():
        assert verification.verify(valid.number, valid.verification_code).revoked is False
        assert verification.verify(revoked.number, revoked.verification_code).revoked is True
    for certificate in (valid, revoked):  # sealed, and the seal holds
        assert verify_pdf(sealed_certificate(certificate.id)[1]).intact
    appeals = appeals_to_answer(paris_today())
    assert [a.label for a in appeals] and exams[2].candidate.full_name in appeals[0].label
    appeal = db.session.scalar(db.select(Appeal).where(Appeal.exam_id == exams[2].id))
    assert appeal.channel == "candidate" and appeal.outcome == "pending"
    failed = portal_page(make_token(exams[2].candidate)).past[0]
    assert failed.outcome.not_acquired and failed.retake.can_request


def test_make_run_asks_for_the_demo():
    from pathlib import Path
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "flask setup --demo" in run


def test_referentials_import_command_is_idempotent(app):
    result = app.test_cli_runner().invoke(args=["referentials", "import"])
    assert result.exit_code == 0 and "importé" not in result.output
