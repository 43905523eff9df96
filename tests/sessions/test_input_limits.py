"""What the organiser types is bounded before anything is computed or stored from it:
session dates within sane years (a far date used to break the sessions list for
everyone), ids within what the database holds (a huge number used to be a 500),
no line break nor control character in what ends up in an email's subject."""
from datetime import date, timedelta

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import ORGANISER
from certif.errors import InvalidInput
from certif.extensions import db
from certif.sessions import rules
from certif.sessions.changes import carence
from certif.sessions.forms import int_or_none
from certif.sessions.models import Exam, ExamSession, Jury
from certif.timeutil import paris_today

from ..factories.candidates import make_candidate
from ..factories.jurors import make_juror
from ..factories.sessions import make_jury, make_session, place, registered_until, upcoming_exam
from ..factories.users import make_user
from .helpers import form, plan, sessions_count, text

HUGE = "99999999999999999999"




def audit_count():
    """Audit entries about sessions (logging in records its own)."""
    return db.session.scalar(db.select(db.func.count(AuditEntry.id))
                             .where(AuditEntry.entity == "session"))


# --- B2: session dates within sane years ----------------------------------------------------

@pytest.mark.parametrize("day, start, message", [
    ("9999-12-31", "23:59", "La date de la session est trop lointaine"),
    ("2101-01-01", "09:00", "La date de la session est trop lointaine"),
    ("0001-01-01", "00:00", "La date de la session est passée"),
])
def test_an_absurd_year_is_refused_when_editing_and_the_list_keeps_working(
        app, organiser, day, start, message):
    session = make_session(number="BORNES")
    before = session.starts_at
    r = organiser.post(f"/sessions/{session.id}/modifier",
                       form(number="BORNES", day=day, start=start))
    assert r.status_code == 400 and message in text(r)
    db.session.refresh(session)
    assert session.starts_at == before
    assert organiser.get("/sessions/").status_code == 200
    assert organiser.get(f"/sessions/{session.id}").status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_an_absurd_year_is_refused_when_creating(app, organiser, day):
    r = organiser.post("/sessions/nouvelle", form(day=day, start="23:59"))
    assert r.status_code == 400
    assert sessions_count() == 0 and audit_count() == 0


def test_the_last_accepted_day_still_computes_its_deadlines(app, organiser):
    registered_until("RS6240", date(2100, 12, 31))
    r = organiser.post("/sessions/nouvelle", form(day="2100-12-31", start="23:59"))
    assert r.status_code == 303
    assert organiser.get("/sessions/").status_code == 200
    assert rules.session_day_problem(rules.LATEST_DAY) is None
    assert rules.replacement_deadline(rules.LATEST_DAY) > rules.LATEST_DAY
    assert rules.sitting_deadline(rules.LATEST_DAY) > rules.LATEST_DAY


# --- S1: ids the database can hold ----------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("12", 12), ("2147483647", 2147483647), ("2147483648", None), (HUGE, None),
    ("0", None), ("-5", None), ("", None), (None, None), ("abc", None),
])
def test_ids_outside_the_integer_range_become_none(raw, expected):
    assert int_or_none(raw) == expected  # the coercion of every sessions form, changes included


def test_placing_a_huge_candidate_id_is_a_400(app, organiser):
    jury = make_jury(make_session())
    r = organiser.post(f"/sessions/jurys/{jury.id}/candidats", {"candidate_id": HUGE})
    assert r.status_code == 400 and "Choisissez un candidat." in text(r)
    assert db.session.scalar(db.select(db.func.count(Exam.id))) == 0


def test_moving_to_a_huge_jury_id_is_a_400(app, organiser):
    session = make_session()
    exam = place(make_jury(session), make_candidate())
    make_jury(session)
    r = organiser.post(f"/sessions/examens/{exam.id}/jury", {"jury_id": HUGE})
    assert r.status_code == 400 and "Choisissez le jury" in text(r)
    assert db.session.get(Exam, exam.id).jury_id == exam.jury_id


def test_exception_forms_refuse_huge_ids_with_a_400(app, make_web):
    web = make_web(make_user(ORGANISER))
    setup = upcoming_exam(days=0)
    r = web.post(f"/sessions/examens/{setup.exam.id}/report", {"jury_id": HUGE})
    assert r.status_code == 400 and "Choisissez une session et un jury" in text(r)
    r = web.post(f"/sessions/jurys/{setup.jury.id}/carence", {"absent_juror": HUGE, "reason": "x"})
    assert r.status_code == 400 and "Choisissez le juré absent" in text(r)
    assert db.session.get(Jury, setup.jury.id).stopped_at is None

    web.post(f"/sessions/jurys/{setup.jury.id}/carence",
             {"absent_juror": setup.member.id, "reason": "Absent"})
    other = make_juror()
    r = web.post(f"/sessions/jurys/{setup.jury.id}/remplacement", {
        "number": "R-1", "day": (paris_today() + timedelta(days=6)).isoformat(), "start": "09:00",
        "mode": "remote", "video_link": "https://v.example.fr", "juror_1": HUGE,
        "juror_2": other.id, "president": other.id})
    assert r.status_code == 400 and "Choisissez les deux jurés" in text(r)
    assert db.session.scalar(db.select(ExamSession).filter_by(number="R-1")) is None


# --- S2: no line break nor control character in a subject -----------------------------------

BREAKS = ["S\nBcc: pirate@exemple.fr", "S\r\nX", "S\u2028X", "S\u0085X", "S\x1bX", "S\u202eX"]


@pytest.mark.parametrize("number", BREAKS)
def test_a_session_number_with_a_line_break_is_refused(app, organiser, number):
    r = organiser.post("/sessions/nouvelle", form(number=number))
    assert r.status_code == 400
    assert "Le numéro de session ne peut contenir ni retour à la ligne" in text(r)
    assert sessions_count() == 0 and audit_count() == 0


def test_editing_the_number_or_the_place_with_a_line_break_is_refused(app, organiser):
    session = make_session(number="PROPRE")
    r = organiser.post(f"/sessions/{session.id}/modifier", form(number="PROPRE\nBcc: x"))
    assert r.status_code == 400 and "ni retour à la ligne" in text(r)
    r = organiser.post(f"/sessions/{session.id}/modifier",
                       form(number="PROPRE", mode="on_site", place="Salle 1\u2028Bcc: x"))
    assert r.status_code == 400 and "Le lieu ne peut contenir" in text(r)
    db.session.refresh(session)
    assert session.number == "PROPRE" and session.place is None


def test_technical_requirements_keep_their_lines_but_not_control_characters(app, organiser):
    r = organiser.post("/sessions/nouvelle", form(technical_requirements="Webcam\r\nMicro"))
    assert r.status_code == 303
    r = organiser.post("/sessions/nouvelle", form(number="AUTRE",
                                                  technical_requirements="Webcam\x1b[31m"))
    assert r.status_code == 400 and "caractère de contrôle" in text(r)
    assert sessions_count() == 1


@pytest.mark.parametrize("overrides, message", [
    ({"number": "R\nBcc: x"}, "Le numéro de session ne peut contenir"),
    ({"number": "R\u2028X"}, "Le numéro de session ne peut contenir"),
    ({"mode": "on_site", "place": "Salle\u0085B"}, "Le lieu ne peut contenir"),
])
def test_a_replacement_plan_with_a_line_break_is_refused(app, overrides, message):
    organiser = make_user(ORGANISER)
    setup = upcoming_exam(days=0)
    carence.stop_jury(organiser, setup.jury.id, setup.member.id, "Absent")
    jurors = [make_juror(), make_juror()]
    with pytest.raises(InvalidInput, match=message):
        carence.create_replacement(organiser, setup.jury.id,
                              plan(paris_today() + timedelta(days=6), jurors, **overrides))
    assert db.session.scalar(db.select(ExamSession).where(
        ExamSession.replaces_jury_id == setup.jury.id)) is None


def test_rules_spot_control_characters():
    assert not rules.has_control_chars("Session 2026-RS-01 (Lyon) – été")
    assert not rules.has_control_chars(None)
    for text_ in BREAKS:
        assert rules.has_control_chars(text_)
    assert not rules.has_control_chars("ligne 1\r\nligne 2\tfin", multiline=True)
    assert rules.has_control_chars("ligne 1\u2028ligne 2", multiline=True)
    assert rules.session_day_problem(date(1999, 12, 31))
    assert rules.session_day_problem(date(2101, 1, 1))
