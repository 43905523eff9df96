"""A carence is noted on the exam day, not before; placing a candidate already expected
in another session warns; the sessions list puts what is to come first."""
from datetime import timedelta

from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.sessions import queries
from certif.sessions.models import Jury
from certif.timeutil import french_date, paris_today

from ..factories.candidates import make_candidate
from ..factories.sessions import make_jury, make_session, place, upcoming_exam
from .helpers import text


def carence_url(jury_id):
    return f"/sessions/jurys/{jury_id}/carence"


def test_a_carence_before_the_exam_day_is_409_and_writes_nothing(app, organiser):
    setup = upcoming_exam(days=1)
    day = french_date(paris_today() + timedelta(days=1))
    message = (f"La carence se constate le jour de l'épreuve (le {day}) : avant, "
               "modifiez le jury.")
    page = organiser.get(carence_url(setup.jury.id))
    assert page.status_code == 200 and message in text(page)
    r = organiser.post(carence_url(setup.jury.id), {"absent_juror": setup.member.id,
                                                  "reason": "Absent"})
    assert r.status_code == 409 and message in text(r)
    assert db.session.get(Jury, setup.jury.id).stopped_at is None
    assert not db.session.scalars(db.select(AuditEntry).filter_by(action="jury.stop")).all()


def test_a_carence_on_the_exam_day_and_after_is_recorded(app, organiser):
    for days in (0, -1):
        setup = upcoming_exam(days=days)
        r = organiser.post(carence_url(setup.jury.id), {"absent_juror": setup.member.id,
                                                      "reason": "Absent"})
        assert r.status_code == 303
        assert db.session.get(Jury, setup.jury.id).stopped_at is not None


# --- Placing a candidate already expected elsewhere ---------------------------------------

def assign(web, jury, person):
    return web.post(f"/sessions/jurys/{jury.id}/candidats", {"candidate_id": person.id},
                    htmx=True)


def test_placing_a_candidate_expected_in_another_session_warns(app, organiser):
    person = make_candidate(first_name="Léa", last_name="Dubois")
    other_day = paris_today() + timedelta(days=20)
    other = make_session(number="AUTRE", day=other_day)
    place(make_jury(other), person)
    jury = make_jury(make_session(number="ICI"))
    r = assign(organiser, jury, person)
    assert r.status_code == 200
    assert f"Déjà prévu(e) dans la session n° AUTRE le {french_date(other_day)}." in text(r)
    assert len([e for e in jury.exams]) == 1  # placed all the same


def test_combined_with_the_3_month_warning(app, organiser):
    person = make_candidate(last_name="Tardif", training_end_date=paris_today() - timedelta(days=200))
    place(make_jury(make_session(number="AUTRE2", day=paris_today() + timedelta(days=5))), person)
    r = assign(organiser, make_jury(make_session(number="ICI2")), person)
    assert r.status_code == 200
    assert "plus de 3 mois après la fin" in text(r)
    assert "Déjà prévu(e) dans la session n° AUTRE2" in text(r)


def test_no_warning_for_past_cancelled_or_closed_sessions(app, organiser):
    person = make_candidate(last_name="Seul")
    place(make_jury(make_session(number="PASSEE", day=paris_today() - timedelta(days=3))), person)
    place(make_jury(make_session(number="ANNULEE", status="cancelled")), person)
    place(make_jury(make_session(number="CLOSE", status="closed")), person)
    r = assign(organiser, make_jury(make_session(number="ICI3")), person)
    assert r.status_code == 200 and "Déjà prévu(e)" not in text(r)


def test_the_warning_is_flashed_after_a_plain_post(app, organiser):
    person = make_candidate(last_name="Flash")
    place(make_jury(make_session(number="AUTRE4", day=paris_today() + timedelta(days=9))), person)
    jury = make_jury(make_session(number="ICI4"))
    r = organiser.post(f"/sessions/jurys/{jury.id}/candidats", {"candidate_id": person.id})
    assert r.status_code == 303
    page = organiser.get(r.headers["Location"])
    assert "Déjà prévu(e) dans la session n° AUTRE4" in text(page)


# --- The sessions list ---------------------------------------------------------------------

def test_sessions_to_come_soonest_first_then_past_most_recent_first(app, organiser):
    for number, days in (("P-10", -10), ("F-30", 30), ("AUJ", 0), ("P-1", -1), ("F-2", 2)):
        make_session(number=number, day=paris_today() + timedelta(days=days))
    order = [s.number for s in queries.sessions_overview()
             if s.number in {"P-10", "F-30", "AUJ", "P-1", "F-2"}]
    assert order == ["AUJ", "F-2", "F-30", "P-1", "P-10"]
    page = text(organiser.get("/sessions/"))
    positions = [page.index(f"Session n° {n}<") for n in order]
    assert positions == sorted(positions)
