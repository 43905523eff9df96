"""A retake is sat "dans les 2 mois qui suivent" the result (seed 000, I.D.7): a later
session is flagged and needs the organiser's confirmation, kept in the audit entry.
The same appeal, still pending, is not recorded twice."""
from datetime import timedelta

import pytest

from certif.candidates.models import Appeal, RetakeRequest
from certif.errors import Conflict, InvalidInput
from certif.extensions import db
from certif.sessions.changes import absences, appeals, moves, retakes
from certif.sessions.models import Exam
from certif.sessions.rules import retake_deadline
from certif.timeutil import french_date, paris_today

from ..factories.grading import failed_exam
from ..factories.sessions import open_session
from .helpers import audit, text


def requested(organiser, days_ago=10):
    setup = failed_exam(on=paris_today() - timedelta(days=days_ago))
    retakes.request_retake(setup.exam.id, actor=organiser, channel="organiser")
    return setup


# --- S6: the retake's 2 months ----------------------------------------------------------------

def test_sessions_after_the_2_months_are_flagged(app, organiser_user):
    setup = requested(organiser_user, days_ago=10)
    deadline = retake_deadline(paris_today() - timedelta(days=10))
    within, beyond = open_session(days=20), open_session(days=730)
    targets = {t.jury.id: t for t in retakes.retake_targets(setup.exam)}
    assert targets[within.juries[0].id].warning is None
    warning = targets[beyond.juries[0].id].warning
    assert warning.startswith("Le rattrapage aurait lieu plus de 2 mois après le résultat")
    assert french_date(deadline) in warning


def test_a_late_retake_needs_a_confirmation_kept_in_the_audit(app, organiser_user):
    setup = requested(organiser_user)
    beyond = open_session(days=730)
    with pytest.raises(InvalidInput, match="Cochez la case de confirmation"):
        retakes.schedule_retake(organiser_user, setup.exam.id, beyond.juries[0].id)
    assert db.session.scalar(db.select(Exam).filter_by(retake_of_id=setup.exam.id)) is None
    assert not audit("retake.schedule")

    new = retakes.schedule_retake(organiser_user, setup.exam.id, beyond.juries[0].id, confirmed=True)
    assert db.session.get(Exam, new.id).jury_id == beyond.juries[0].id
    [entry] = audit("retake.schedule", setup.exam.id)
    assert entry.details["confirmed"] is True
    assert entry.details["warning"].startswith("Le rattrapage aurait lieu plus de 2 mois")


def test_a_retake_within_the_2_months_needs_no_confirmation(app, organiser_user):
    setup = requested(organiser_user)
    within = open_session(days=20)
    retakes.schedule_retake(organiser_user, setup.exam.id, within.juries[0].id)
    [entry] = audit("retake.schedule", setup.exam.id)
    assert "warning" not in entry.details and "confirmed" not in entry.details


def test_the_retake_page_warns_and_asks_for_the_confirmation(app, organiser_user, organiser):
    setup = requested(organiser_user)
    beyond = open_session(days=730)
    url = f"/sessions/examens/{setup.exam.id}/rattrapage/planifier"
    page = organiser.get(url)
    assert "Le rattrapage aurait lieu plus de 2 mois après le résultat" in text(page)
    assert "Je confirme le rattrapage malgré l'avertissement des 2 mois" in text(page)
    r = organiser.post(url, {"jury_id": beyond.juries[0].id})
    assert r.status_code == 400 and "Cochez la case de confirmation" in text(r)
    assert db.session.scalar(db.select(RetakeRequest)).new_exam_id is None
    r = organiser.post(url, {"jury_id": beyond.juries[0].id, "confirm": "y"})
    assert r.status_code == 303
    assert db.session.scalar(db.select(RetakeRequest)).new_exam_id is not None


def test_moving_a_retake_later_is_flagged_by_the_2_months_too(app, organiser_user):
    setup = requested(organiser_user)
    within, beyond = open_session(days=20), open_session(days=400)
    retake = retakes.schedule_retake(organiser_user, setup.exam.id, within.juries[0].id)
    [target] = [t for t in moves.open_targets(retake) if t.jury.id == beyond.juries[0].id]
    assert target.warning.startswith("Le rattrapage aurait lieu plus de 2 mois")
    with pytest.raises(InvalidInput, match="Cochez la case de confirmation"):
        absences.move_exam(organiser_user, retake.id, beyond.juries[0].id)
    moved = absences.move_exam(organiser_user, retake.id, beyond.juries[0].id, confirmed=True)
    entry = audit("exam.move", retake.id)[-1]
    assert entry.details["confirmed"] is True and "2 mois" in entry.details["warning"]
    assert db.session.get(Exam, moved.id).retake_of_id == setup.exam.id


# --- Appeals: the same pending appeal once ------------------------------------------------------

def test_the_same_pending_appeal_is_refused_with_409(app, organiser_user, organiser):
    setup = failed_exam(on=paris_today() - timedelta(days=3))
    url = f"/sessions/examens/{setup.exam.id}/recours"
    data = {"filed_on": paris_today().isoformat(), "grounds": "Le temps a été écourté."}
    assert organiser.post(url, data).status_code == 303
    again = organiser.post(url, {**data, "grounds": "  Le temps a été écourté.  "})
    assert again.status_code == 409 and "déjà enregistré" in text(again)
    assert db.session.scalar(db.select(db.func.count(Appeal.id))) == 1
    assert len(audit("appeal.record", setup.exam.id)) == 1


def test_a_different_or_decided_appeal_is_still_recorded(app, organiser_user):
    setup = failed_exam(on=paris_today() - timedelta(days=3))
    first = appeals.record_appeal(organiser_user, setup.exam.id, filed_on=paris_today(), grounds="Motif A")
    appeals.record_appeal(organiser_user, setup.exam.id, filed_on=paris_today(), grounds="Motif B")
    with pytest.raises(Conflict):
        appeals.record_appeal(organiser_user, setup.exam.id, filed_on=paris_today(), grounds="Motif A")
    appeals.decide_appeal(organiser_user, first.id, outcome="rejected", outcome_text="Non fondé",
                     decided_on=paris_today())
    appeals.record_appeal(organiser_user, setup.exam.id, filed_on=paris_today(), grounds="Motif A")
    assert db.session.scalar(db.select(db.func.count(Appeal.id))) == 3
