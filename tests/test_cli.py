"""`flask setup` migrates and imports; `flask setup --demo` (what `make run` calls) also loads
the demo data the first time."""
from certif.auth.models import User
from certif.extensions import db
from certif.sessions.models import Exam, ExamSession, Jury
from certif.timeutil import to_paris, utcnow


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
    db.session.commit()
    sessions = db.session.scalars(db.select(ExamSession).order_by(ExamSession.number)).all()
    assert [(s.number, s.referential.code, len(s.juries)) for s in sessions] == [
        ("2026-CM-01", "RNCP-CM", 1), ("2026-RS6240-00", "RS6240", 1), ("2026-RS6240-01", "RS6240", 2),
        ("2026-RS6240-02", "RS6240", 0)]
    today = sessions[1]
    assert to_paris(today.starts_at).date() == to_paris(utcnow()).date()  # the exam day, to try
    assert today.status == "convened"  # convocations handed over: ready for the exam day
    assert count(Exam) == 10
    assert all(j.president_id is not None and len(j.members) == 2
               for j in db.session.scalars(db.select(Jury)))
    users = count(User)

    again = runner.invoke(args=["setup", "--demo"])
    assert again.exit_code == 0 and "Données de démonstration chargées." not in again.output
    assert "données de démonstration non chargées" in again.output
    db.session.commit()
    assert count(User) == users and count(Exam) == 10
    # Without --demo, an instance with accounts just migrates: no hint, nothing loaded.
    plain = runner.invoke(args=["setup"])
    assert plain.exit_code == 0 and "flask users create" not in plain.output
    db.session.commit()
    assert count(User) == users


def test_make_run_asks_for_the_demo():
    from pathlib import Path
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "flask setup --demo" in run


def test_referentials_import_command_is_idempotent(app):
    result = app.test_cli_runner().invoke(args=["referentials", "import"])
    assert result.exit_code == 0 and "importé" not in result.output
