"""Nobody is left behind: a session with candidates still to sit cannot be cancelled
(a cancelled replacement session used to strand them), and a replacement session
keeps to its 30 days and to jurors other than the one who was absent."""
from datetime import timedelta

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import ORGANISER
from certif.errors import Conflict, InvalidInput
from certif.extensions import db
from certif.sessions import services
from certif.sessions.changes import absences, carence
from certif.sessions.models import SCHEDULED, ExamSession
from certif.sessions.queries import session_day
from certif.sessions.rules import replacement_deadline
from certif.timeutil import french_date, paris_today

from ..factories.candidates import make_candidate
from ..factories.jurors import make_juror
from ..factories.sessions import make_jury, make_session, place, upcoming_exam
from ..factories.users import make_user
from .helpers import plan, text


def cancellations():
    return db.session.scalars(db.select(AuditEntry).filter_by(action="session.cancel")).all()


def carence_then_replacement(organiser, days=6, number="R-1"):
    """A jury stopped by a carence, its two candidates moved to a replacement session."""
    setup = upcoming_exam(days=0, candidates=2)
    carence.stop_jury(organiser, setup.jury.id, setup.member.id, "Absent")
    jurors = [make_juror(), make_juror()]
    replacement = carence.create_replacement(organiser, setup.jury.id,
                                        plan(paris_today() + timedelta(days=days), jurors,
                                             number=number))
    return setup, db.session.get(ExamSession, replacement.id), jurors


# --- S4: cancelling a session with candidates still to sit ----------------------------------

def test_a_session_with_candidates_still_to_sit_cannot_be_cancelled(app, organiser):
    session = make_session(number="PLEINE")
    jury = make_jury(session)
    first, second = place(jury, make_candidate(last_name="Alpha")), place(jury, make_candidate())
    page = organiser.get(f"/sessions/{session.id}/annulation")
    assert page.status_code == 200
    assert "2 candidats sont encore convoqués" in text(page)
    assert f'href="/sessions/examens/{first.id}"' in page.text  # where to move them
    assert "Annuler la session</button>" not in page.text

    r = organiser.post(f"/sessions/{session.id}/annulation", {"reason": "Plus de salle"})
    assert r.status_code == 409
    assert ("2 candidats sont encore convoqués dans cette session (Alex ALPHA, "
            in text(r))
    assert "reportez-les sur une autre session ou déclarez-les absents" in text(r)
    db.session.refresh(session)
    assert session.status == "draft" and session.cancelled_at is None and not cancellations()

    # Once each has been marked absent (or moved), the session can go.
    someone = make_user(ORGANISER)
    for exam in (first, second):
        absences.mark_absent(someone, exam.id, excused=True, note=None)
    assert organiser.post(f"/sessions/{session.id}/annulation",
                        {"reason": "Plus de salle"}).status_code == 303
    db.session.refresh(session)
    assert session.status == "cancelled" and len(cancellations()) == 1


def test_an_empty_session_is_still_cancelled_at_once(app, organiser):
    session = make_session()
    make_jury(session)
    r = organiser.post(f"/sessions/{session.id}/annulation", {"reason": "Doublon"})
    assert r.status_code == 303
    assert db.session.get(ExamSession, session.id).status == "cancelled"


def test_a_replacement_session_cannot_be_cancelled_with_its_candidates(app, organiser_user, organiser):
    setup, replacement, _ = carence_then_replacement(organiser_user)
    r = organiser.post(f"/sessions/{replacement.id}/annulation", {"reason": "Oups"})
    assert r.status_code == 409 and "2 candidats sont encore convoqués" in text(r)
    assert db.session.get(ExamSession, replacement.id).status == "draft"
    # Its candidates are still there, and no second replacement can be made meanwhile.
    moved = [e for j in replacement.juries for e in j.exams if e.status == SCHEDULED]
    assert len(moved) == 2
    with pytest.raises(Conflict, match="existe déjà"):
        carence.create_replacement(organiser_user, setup.jury.id,
                              plan(paris_today() + timedelta(days=7), [make_juror(), make_juror()],
                                   number="R-2"))


def test_a_stopped_jury_waiting_for_its_replacement_blocks_the_cancellation(app, organiser_user):
    setup = upcoming_exam(days=0)
    carence.stop_jury(organiser_user, setup.jury.id, setup.member.id, "Absent")
    setup.session.status = "draft"
    db.session.commit()
    with pytest.raises(Conflict, match="1 candidat est encore convoqué"):
        services.cancel_session(organiser_user, setup.session.id, "Annulée")


def test_the_service_refuses_too(app, organiser_user):
    session = make_session()
    place(make_jury(session), make_candidate())
    with pytest.raises(Conflict, match="déclarez-les absents"):
        services.cancel_session(organiser_user, session.id, "Motif")
    assert not cancellations()


# --- S3: the replacement's 30 days, and not the absent juror ---------------------------------

def test_a_replacement_session_cannot_be_moved_beyond_30_days(app, organiser_user, organiser):
    setup, replacement, _ = carence_then_replacement(organiser_user, days=5)
    before = replacement.starts_at
    absence = session_day(setup.session)
    data = {"number": replacement.number, "day": (paris_today() + timedelta(days=200)).isoformat(),
            "start": "09:00", "mode": "remote", "video_link": "https://v.example.fr/salle",
            "place": "", "technical_requirements": ""}
    r = organiser.post(f"/sessions/{replacement.id}/modifier", data)
    assert r.status_code == 400
    assert (f"La session de remplacement doit avoir lieu dans les 30 jours qui suivent la "
            f"session initiale (le {french_date(absence)}), soit au plus tard le "
            f"{french_date(replacement_deadline(absence))}." in text(r))
    db.session.refresh(replacement)
    assert replacement.starts_at == before
    # Within the 30 days it moves as any session does.
    data["day"] = (paris_today() + timedelta(days=9)).isoformat()
    assert organiser.post(f"/sessions/{replacement.id}/modifier", data).status_code == 303
    db.session.refresh(replacement)
    assert session_day(replacement) == paris_today() + timedelta(days=9)


def test_an_ordinary_session_is_not_bound_by_30_days(app, organiser):
    session = make_session(number="LIBRE")
    data = {"number": "LIBRE", "day": (paris_today() + timedelta(days=300)).isoformat(),
            "referential_id": session.referential_id, "start": "09:00", "mode": "remote", "video_link": "https://v.example.fr/salle",
            "place": "", "technical_requirements": ""}
    assert organiser.post(f"/sessions/{session.id}/modifier", data).status_code == 303


def test_the_absent_juror_cannot_sit_on_the_replacement(app, organiser_user, organiser):
    setup = upcoming_exam(days=0)
    carence.stop_jury(organiser_user, setup.jury.id, setup.member.id, "Absent")
    other = make_juror()
    with pytest.raises(InvalidInput, match="était absent"):
        carence.create_replacement(organiser_user, setup.jury.id,
                              plan(paris_today() + timedelta(days=6), [other, setup.member]))
    assert carence.replacement_session_of(setup.jury.id) is None
    # Nor is the absent juror offered in the list.
    page = organiser.get(f"/sessions/jurys/{setup.jury.id}/remplacement")
    assert f'value="{other.id}"' in page.text
    assert f'value="{setup.member.id}"' not in page.text


def test_the_absent_juror_cannot_be_put_back_into_the_replacement_jury(app, organiser_user, organiser):
    setup, replacement, (first, second) = carence_then_replacement(organiser_user)
    jury = replacement.juries[0]
    r = organiser.post(f"/sessions/jurys/{jury.id}", {
        "juror_1_id": first.id, "juror_2_id": setup.member.id, "president_id": "1"})
    assert r.status_code == 400 and "était absent(e) lors de la carence" in text(r)
    db.session.refresh(jury)
    assert {m.juror_id for m in jury.members} == {first.id, second.id}
