"""Candidates in slots: placed, timed from the referential's duration, reordered, moved."""
from datetime import date, time

import pytest

from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.grading.models import Grid
from certif.jurors.models import ConflictDeclaration
from certif.sessions.models import Exam

from ..factories.candidates import make_candidate
from ..factories.convocations import make_convocation
from ..factories.sessions import make_jury, make_session, place
from .helpers import paris, text


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


def exams_of(jury):
    return db.session.scalars(db.select(Exam).filter_by(jury_id=jury.id)
                              .order_by(Exam.position)).all()


def slots(jury):
    return [(e.candidate.last_name, paris(e.starts_at), e.duration_minutes) for e in exams_of(jury)]


@pytest.fixture
def jury(app):
    return make_jury(make_session(day=date(2030, 12, 2), at=time(9, 0)))


def test_candidates_get_consecutive_slots_with_their_extra_time(app, organiser, jury):
    people = [make_candidate(last_name="Dubois"), make_candidate(last_name="Petit", extra_minutes=15),
              make_candidate(last_name="Roux")]
    for person in people:
        r = organiser.post(f"/sessions/jurys/{jury.id}/candidats", {"candidate_id": person.id})
        assert r.status_code == 303 and r.headers["Location"].endswith(f"#jury-{jury.id}")
    assert slots(jury) == [("Dubois", "09:00", 30), ("Petit", "09:30", 45), ("Roux", "10:15", 30)]
    assert len(audit("exam.assign")) == 3
    page = text(organiser.get(f"/sessions/{jury.session_id}"))
    assert "9 h 30 – 10 h 15" in page and "+15 min (aménagement)" in page
    assert "Convocations des candidats : 3 à envoyer." in page


def test_assign_answers_htmx_with_the_jury_fragment(app, organiser, jury):
    person = make_candidate(last_name="Dubois")
    r = organiser.post(f"/sessions/jurys/{jury.id}/candidats", {"candidate_id": person.id}, htmx=True)
    assert r.status_code == 200
    body = text(r)
    assert "<html" not in body and f'id="jury-{jury.id}"' in body
    assert "Alex DUBOIS placé dans le Jury 1 à 9 h 00." in body
    full = text(organiser.get(f"/sessions/{jury.session_id}"))
    assert "<html" in full and f'id="jury-{jury.id}"' in full


def test_sitting_late_after_training_is_a_warning_not_a_refusal(app, organiser, jury):
    late = make_candidate(last_name="Tardif", training_end_date=date(2030, 1, 15))
    r = organiser.post(f"/sessions/jurys/{jury.id}/candidats", {"candidate_id": late.id}, htmx=True)
    assert r.status_code == 200
    assert "plus de 3 mois après la fin de sa formation" in text(r)
    assert len(exams_of(jury)) == 1
    organiser.post(f"/sessions/jurys/{jury.id}/candidats",
                   {"candidate_id": make_candidate(training_end_date=date(2030, 2, 1)).id})
    page = text(organiser.get(f"/sessions/{jury.session_id}"))
    assert "flash-warning" in page and "la limite était le 1er mai 2030" in page


def test_a_candidate_is_placed_once_per_session(app, organiser, jury):
    person = make_candidate(last_name="Dubois")
    place(jury, person)
    other = make_jury(jury.session)
    r = organiser.post(f"/sessions/jurys/{other.id}/candidats", {"candidate_id": person.id})
    assert r.status_code == 409 and "Alex DUBOIS est déjà placé dans cette session (Jury 1)." in text(r)
    assert len(exams_of(other)) == 0
    # Absent from the choices too, unlike a candidate not placed yet.
    make_candidate(last_name="Libre")
    page = text(organiser.get(f"/sessions/{jury.session_id}"))
    assert "DUBOIS Alex</option>" not in page and "LIBRE Alex</option>" in page


@pytest.mark.parametrize("value, status", [("", 400), ("abc", 400), ("999999", 400)])
def test_assign_bad_candidate(app, organiser, jury, value, status):
    r = organiser.post(f"/sessions/jurys/{jury.id}/candidats", {"candidate_id": value})
    assert r.status_code == status and not exams_of(jury)


def test_assign_once_the_session_is_running_is_refused(app, organiser):
    jury = make_jury(make_session(status="in_progress", day=date.today()))
    r = organiser.post(f"/sessions/jurys/{jury.id}/candidats", {"candidate_id": make_candidate().id},
                       htmx=True)
    assert r.status_code == 409 and r.mimetype == "text/plain"
    assert not exams_of(jury)


def test_reorder_swaps_with_the_neighbour_and_retimes(app, organiser, jury):
    a, b, c = (place(jury, make_candidate(last_name=n, extra_minutes=x))
               for n, x in (("Un", 0), ("Deux", 10), ("Trois", 0)))
    r = organiser.post(f"/sessions/examens/{c.id}/ordre", {"direction": "up"}, htmx=True)
    assert r.status_code == 200 and "Alex TROIS passe maintenant à 9 h 30." in text(r)
    assert slots(jury) == [("Un", "09:00", 30), ("Trois", "09:30", 30), ("Deux", "10:00", 40)]
    r = organiser.post(f"/sessions/examens/{a.id}/ordre", {"direction": "down"})
    assert r.status_code == 303
    assert slots(jury) == [("Trois", "09:00", 30), ("Un", "09:30", 30), ("Deux", "10:00", 40)]
    assert [e.details["direction"] for e in audit("exam.reorder")] == ["up", "down"]


def test_reorder_at_the_ends_and_bad_direction(app, organiser, jury):
    first, last = place(jury, make_candidate()), place(jury, make_candidate())
    r = organiser.post(f"/sessions/examens/{first.id}/ordre", {"direction": "up"})
    assert r.status_code == 409 and "déjà le premier" in text(r)
    assert organiser.post(f"/sessions/examens/{last.id}/ordre", {"direction": "down"}).status_code == 409
    assert organiser.post(f"/sessions/examens/{last.id}/ordre", {"direction": "sideways"}).status_code == 400
    assert not audit("exam.reorder")


def test_a_slot_being_graded_stays_put(app, organiser, jury):
    first, second = place(jury, make_candidate()), place(jury, make_candidate())
    db.session.add(Grid(exam_id=first.id, juror_id=jury.members[0].juror_id))
    db.session.commit()
    for exam, direction in ((first, "down"), (second, "up")):
        r = organiser.post(f"/sessions/examens/{exam.id}/ordre", {"direction": direction})
        assert r.status_code == 409 and "a commencé" in text(r)
    assert [e.id for e in exams_of(jury)] == [first.id, second.id]


def test_move_to_another_jury_retimes_both(app, organiser, jury):
    a = place(jury, make_candidate(last_name="Un"))
    place(jury, make_candidate(last_name="Deux"))
    other = make_jury(jury.session)
    place(other, make_candidate(last_name="Trois"))
    r = organiser.post(f"/sessions/examens/{a.id}/jury", {"jury_id": other.id})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"#jury-{other.id}")
    assert slots(jury) == [("Deux", "09:00", 30)]
    assert slots(other) == [("Trois", "09:00", 30), ("Un", "09:30", 30)]
    entry = audit("exam.change_jury")[0]
    assert (entry.old_value, entry.new_value) == ("Jury 1", "Jury 2")


def test_move_to_a_jury_whose_juror_declared_a_conflict_is_refused(app, organiser, jury):
    exam = place(jury, make_candidate(first_name="Léa", last_name="Dubois"))
    other = make_jury(jury.session)
    # Declared about this candidate for another sitting (e.g. an earlier attempt).
    earlier = place(make_jury(make_session()), exam.candidate)
    db.session.add(ConflictDeclaration(exam_id=earlier.id, juror_id=other.jurors[1].id,
                                       has_conflict=True))
    db.session.commit()
    r = organiser.post(f"/sessions/examens/{exam.id}/jury", {"jury_id": other.id})
    assert r.status_code == 409
    assert f"{other.jurors[1].full_name} (Jury 2) a déclaré connaître Léa DUBOIS" in text(r)
    db.session.refresh(exam)
    assert exam.jury_id == jury.id and not audit("exam.change_jury")


def test_a_declared_conflict_shows_on_the_page_and_is_resolved_by_moving(app, organiser, jury):
    exam = place(jury, make_candidate(first_name="Léa", last_name="Dubois"))
    claimer = jury.jurors[0]
    db.session.add(ConflictDeclaration(exam_id=exam.id, juror_id=claimer.id, has_conflict=True,
                                       comment="Ancienne collègue"))
    db.session.commit()
    other = make_jury(jury.session)
    page = text(organiser.get(f"/sessions/{jury.session_id}"))
    assert (f"Conflit d'intérêts : {claimer.full_name} (Jury 1) a déclaré connaître Léa DUBOIS"
            in page)
    assert "Ancienne collègue" in page and "Confier Léa DUBOIS au" in page
    assert f'action="/sessions/examens/{exam.id}/jury"' in page
    assert organiser.post(f"/sessions/examens/{exam.id}/jury", {"jury_id": other.id}).status_code == 303
    page = text(organiser.get(f"/sessions/{jury.session_id}"))
    assert "Conflit d'intérêts" not in page  # the declaration no longer concerns its jury


@pytest.mark.parametrize("target", ["", "999999", "same"])
def test_move_needs_another_jury_of_the_session(app, organiser, jury, target):
    exam = place(jury, make_candidate())
    foreign = make_jury(make_session())
    value = {"same": jury.id}.get(target, target)
    r = organiser.post(f"/sessions/examens/{exam.id}/jury", {"jury_id": value})
    assert r.status_code == 400
    r = organiser.post(f"/sessions/examens/{exam.id}/jury", {"jury_id": foreign.id})
    assert r.status_code == 400 and "Choisissez un jury de cette session." in text(r)


def test_a_graded_candidate_cannot_change_jury(app, organiser, jury):
    exam = place(jury, make_candidate())
    other = make_jury(jury.session)
    db.session.add(Grid(exam_id=exam.id, juror_id=jury.jurors[0].id))
    db.session.commit()
    r = organiser.post(f"/sessions/examens/{exam.id}/jury", {"jury_id": other.id})
    assert r.status_code == 409 and "a commencé" in text(r)


def test_unassign_before_convocation(app, organiser, jury):
    a = place(jury, make_candidate(last_name="Un"))
    place(jury, make_candidate(last_name="Deux"))
    db.session.add(ConflictDeclaration(exam_id=a.id, juror_id=jury.jurors[0].id, has_conflict=False))
    db.session.commit()
    a_id = a.id
    r = organiser.post(f"/sessions/examens/{a_id}/retrait")
    assert r.status_code == 303
    assert db.session.get(Exam, a_id) is None
    assert slots(jury) == [("Deux", "09:00", 30)]
    assert audit("exam.unassign")[0].details["declarations_deleted"] == 1


def test_unassign_after_a_convocation_is_refused(app, organiser, jury):
    exam = place(jury, make_candidate())
    make_convocation(jury.session, exam)
    r = organiser.post(f"/sessions/examens/{exam.id}/retrait")
    assert r.status_code == 409 and "Une convocation a déjà été envoyée" in text(r)
    assert db.session.get(Exam, exam.id) is not None


def test_slot_routes_refuse_council_and_jurors(app, council, juror, jury):
    exam, other = place(jury, make_candidate()), place(jury, make_candidate())
    second = make_jury(jury.session)
    for web in (council, juror):
        assert web.post(f"/sessions/jurys/{jury.id}/candidats",
                        {"candidate_id": make_candidate().id}).status_code == 403
        assert web.post(f"/sessions/examens/{other.id}/ordre", {"direction": "up"}).status_code == 403
        assert web.post(f"/sessions/examens/{exam.id}/jury", {"jury_id": second.id}).status_code == 403
        assert web.post(f"/sessions/examens/{exam.id}/retrait").status_code == 403
    assert [e.id for e in exams_of(jury)] == [exam.id, other.id]


def test_anonymous_posts_are_sent_to_the_login_page(client, app, jury):
    r = client.post(f"/sessions/jurys/{jury.id}/candidats", headers={"HX-Request": "true"})
    assert r.status_code == 401 and "/connexion" in r.headers["HX-Redirect"]
    r = client.post(f"/sessions/jurys/{jury.id}/candidats", data={"candidate_id": "1"})
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    assert not exams_of(jury)


def test_slots_of_a_stopped_jury_stay_as_they_are(app, organiser):
    session = make_session(status="in_progress", day=date.today())
    jury, other = make_jury(session), make_jury(session)
    first, second = place(jury, make_candidate()), place(jury, make_candidate())
    jury.stopped_at = session.starts_at
    db.session.commit()
    r = organiser.post(f"/sessions/examens/{second.id}/ordre", {"direction": "up"})
    assert r.status_code == 409 and "carence" in text(r)
    r = organiser.post(f"/sessions/examens/{first.id}/jury", {"jury_id": other.id})
    assert r.status_code == 409 and "carence" in text(r)
    r = organiser.post(f"/sessions/jurys/{other.id}/candidats", {"candidate_id": make_candidate().id})
    assert r.status_code == 409  # the day has come: placing is done before it
    assert [e.id for e in exams_of(jury)] == [first.id, second.id]


def test_slots_stay_put_once_the_minutes_are_signed(app, organiser, jury):
    from certif.minutes.models import Minutes
    from certif.timeutil import utcnow
    first, second = place(jury, make_candidate()), place(jury, make_candidate())
    db.session.add(Minutes(session_id=jury.session_id, locked_at=utcnow()))
    db.session.commit()
    r = organiser.post(f"/sessions/examens/{second.id}/ordre", {"direction": "up"})
    assert r.status_code == 409 and "procès-verbal" in text(r)
    assert [e.id for e in exams_of(jury)] == [first.id, second.id]
