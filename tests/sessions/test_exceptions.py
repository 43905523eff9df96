"""Exceptions to the plan, through their services: carence and replacement session,
candidate absence and move, retakes, appeals. Each refusal says why in French and
writes nothing; each change leaves an audit entry."""
from datetime import date, datetime, time, timedelta

import pytest

from certif.auth.models import JUROR
from certif.candidates.models import Appeal, RetakeRequest
from certif.errors import Conflict, InvalidInput, NotFound
from certif.extensions import db
from certif.grading.models import Grid, Mark
from certif.grading.rules import FAVORABLE, UNFAVORABLE
from certif.minutes.models import Minutes
from certif.sessions.changes import absences, appeals, carence, moves, retakes
from certif.sessions.models import (
    ABSENT_EXCUSED,
    ABSENT_UNEXCUSED,
    CLOSED,
    DELIBERATION,
    MOVED,
    SCHEDULED,
    Exam,
    ExamSession,
    Jury,
)
from certif.sessions.rules import add_months, replacement_deadline
from certif.timeutil import french_date, paris_to_utc, paris_today

from ..factories.grading import close_exam, failed_exam
from ..factories.jurors import make_juror
from ..factories.sessions import open_session, upcoming_exam
from ..factories.users import make_user
from .helpers import audit, plan

# --- Helpers --------------------------------------------------------------------------

def give_a_mark(setup, exam=None):
    exam = exam or setup.exam
    grid = Grid(exam_id=exam.id, juror_id=setup.president.id)
    db.session.add(grid)
    db.session.flush()
    db.session.add(Mark(grid_id=grid.id, criterion_id=setup.criteria[0], value=True))
    db.session.commit()


# --- Carence ------------------------------------------------------------------------

def test_a_carence_stops_the_jury_and_is_audited(organiser_user):
    setup = upcoming_exam(days=0, candidates=2)
    carence.stop_jury(organiser_user, setup.jury.id, setup.member.id, "  Malade le matin même  ")
    jury = db.session.get(Jury, setup.jury.id)
    assert jury.stopped_at is not None
    assert jury.absent_juror_id == setup.member.id
    assert jury.stop_reason == "Malade le matin même"
    [entry] = audit("jury.stop", jury.id)
    assert entry.actor_id == organiser_user.id
    assert entry.details["absent_juror_id"] == setup.member.id
    assert len(entry.details["exam_ids"]) == 2


def test_a_jury_is_stopped_only_once(organiser_user):
    setup = upcoming_exam(days=0)
    carence.stop_jury(organiser_user, setup.jury.id, setup.member.id, "Absent")
    with pytest.raises(Conflict, match="déjà été constatée"):
        carence.stop_jury(organiser_user, setup.jury.id, setup.president.id, "Absent aussi")
    assert len(audit("jury.stop")) == 1


def test_a_carence_is_refused_when_every_exam_is_closed(organiser_user):
    setup = upcoming_exam(days=0)
    close_exam(setup.exam, FAVORABLE)
    with pytest.raises(Conflict, match="Aucun candidat ne reste à évaluer"):
        carence.stop_jury(organiser_user, setup.jury.id, setup.member.id, "Absent")
    assert db.session.get(Jury, setup.jury.id).stopped_at is None


@pytest.mark.parametrize("juror, reason, message", [
    ("stranger", "Absent", "Choisissez le juré absent"),
    (None, "Absent", "Choisissez le juré absent"),
    ("member", "   ", "Indiquez le motif"),
])
def test_a_carence_needs_one_of_the_jurors_and_a_reason(organiser_user, juror, reason, message):
    setup = upcoming_exam(days=0)
    juror_id = {"stranger": make_user(JUROR).id, "member": setup.member.id, None: None}[juror]
    with pytest.raises(InvalidInput, match=message):
        carence.stop_jury(organiser_user, setup.jury.id, juror_id, reason)
    assert db.session.get(Jury, setup.jury.id).stopped_at is None
    assert audit("jury.stop") == []


def test_unknown_jury_is_not_found(organiser_user):
    with pytest.raises(NotFound):
        carence.stop_jury(organiser_user, 999999, 1, "x")


# --- Replacement session ----------------------------------------------------------------

def stopped(candidates=2, days=0):
    setup = upcoming_exam(days=days, candidates=candidates)
    carence.stop_jury(None, setup.jury.id, setup.member.id, "Absent")
    return setup


def test_replacement_on_day_30_moves_the_candidates_and_convenes_them_again(organiser_user):
    setup = stopped(candidates=2)
    old = list(setup.jury.exams)
    jurors = [make_juror("Ana"), make_juror("Bruno")]
    day = replacement_deadline(paris_today())
    session = carence.create_replacement(organiser_user, setup.jury.id, plan(day, jurors, jurors[1]))

    session = db.session.get(ExamSession, session.id)
    assert session.replaces_jury_id == setup.jury.id
    assert session.status == "draft"
    assert session.referential_id == setup.session.referential_id
    assert session.starts_at == paris_to_utc(day, time(9, 30))
    assert session.video_link == "https://visio.example.fr/salle"
    [jury] = session.juries
    assert [j.id for j in jury.jurors] == [jurors[0].id, jurors[1].id]
    assert jury.president_id == jurors[1].id
    assert len(jury.exams) == 2
    for before in old:
        before = db.session.get(Exam, before.id)
        assert before.status == MOVED
        assert before.moved_to.jury_id == jury.id
        assert before.moved_to.attempt == before.attempt
        assert before.moved_to.status == SCHEDULED
    # Slots follow one another from the new start.
    assert [e.starts_at for e in jury.exams] == [session.starts_at,
                                                 session.starts_at + timedelta(minutes=30)]
    assert len(audit("session.replacement", session.id)) == 1
    assert len(audit("exam.move")) == 2


def test_replacement_on_day_31_is_refused_with_the_last_date_and_nothing_written(organiser_user):
    setup = stopped()
    jurors = [make_juror(), make_juror()]
    deadline = replacement_deadline(paris_today())
    sessions_before = db.session.scalar(db.select(db.func.count(ExamSession.id)))
    with pytest.raises(InvalidInput) as refused:
        carence.create_replacement(organiser_user, setup.jury.id,
                              plan(deadline + timedelta(days=1), jurors))
    assert french_date(deadline) in refused.value.message
    assert db.session.scalar(db.select(db.func.count(ExamSession.id))) == sessions_before
    assert db.session.get(Exam, setup.exam.id).status == SCHEDULED
    assert audit("session.replacement") == []


def test_replacement_before_the_original_session_is_refused(organiser_user):
    setup = stopped(days=0)
    jurors = [make_juror(), make_juror()]
    with pytest.raises(InvalidInput, match="avant la session initiale"):
        carence.create_replacement(organiser_user, setup.jury.id,
                              plan(paris_today() - timedelta(days=1), jurors))


def test_only_one_replacement_per_stopped_jury(organiser_user):
    setup = stopped()
    jurors = [make_juror(), make_juror()]
    day = paris_today() + timedelta(days=10)
    carence.create_replacement(organiser_user, setup.jury.id, plan(day, jurors))
    with pytest.raises(Conflict, match="existe déjà"):
        carence.create_replacement(organiser_user, setup.jury.id, plan(day, jurors, number="REMPL-2"))


def test_no_replacement_without_a_carence(organiser_user):
    setup = upcoming_exam()
    jurors = [make_juror(), make_juror()]
    with pytest.raises(Conflict, match="constatez d'abord la carence"):
        carence.create_replacement(organiser_user, setup.jury.id,
                                   plan(paris_today() + timedelta(days=6), jurors))


def test_replacement_jurors_must_be_habilitated_distinct_and_preside(organiser_user):
    setup = stopped()
    good, other = make_juror(), make_juror()
    not_habilitated = make_user(JUROR, first_name="Zoé", last_name="Nouvelle")
    day = paris_today() + timedelta(days=6)
    with pytest.raises(InvalidInput, match="Zoé NOUVELLE n'est pas habilité"):
        carence.create_replacement(organiser_user, setup.jury.id, plan(day, [good, not_habilitated]))
    with pytest.raises(InvalidInput, match="deux personnes différentes"):
        carence.create_replacement(organiser_user, setup.jury.id, plan(day, [good, good]))
    with pytest.raises(InvalidInput, match="Le président doit être l'un des deux"):
        carence.create_replacement(organiser_user, setup.jury.id,
                              plan(day, [good, other], president=setup.president))
    assert carence.replacement_session_of(setup.jury.id) is None


def test_replacement_checks_number_place_and_link(organiser_user):
    setup = stopped()
    jurors = [make_juror(), make_juror()]
    day = paris_today() + timedelta(days=6)
    with pytest.raises(InvalidInput, match="déjà utilisé"):
        carence.create_replacement(organiser_user, setup.jury.id,
                              plan(day, jurors, number=setup.session.number))
    with pytest.raises(InvalidInput, match="https://"):
        carence.create_replacement(organiser_user, setup.jury.id,
                              plan(day, jurors, video_link="http://visio.example.fr"))
    with pytest.raises(InvalidInput, match="lieu"):
        carence.create_replacement(organiser_user, setup.jury.id, plan(day, jurors, mode="on_site"))


def test_a_carence_leaves_deliberations_under_way_with_the_jury(organiser_user):
    setup = upcoming_exam(days=0, candidates=2)
    deliberating = setup.jury.exams[1]
    deliberating.phase = DELIBERATION
    db.session.commit()
    carence.stop_jury(organiser_user, setup.jury.id, setup.member.id, "Absent")
    jurors = [make_juror(), make_juror()]
    session = carence.create_replacement(organiser_user, setup.jury.id,
                                    plan(paris_today() + timedelta(days=7), jurors))
    assert db.session.get(Exam, deliberating.id).status == SCHEDULED
    assert db.session.get(Exam, setup.exam.id).status == MOVED
    assert len(db.session.get(ExamSession, session.id).juries[0].exams) == 1


# --- Candidate absence and move -----------------------------------------------------------

@pytest.mark.parametrize("excused, status", [(True, ABSENT_EXCUSED), (False, ABSENT_UNEXCUSED)])
def test_an_absent_candidate_is_recorded_excused_or_not(organiser_user, excused, status):
    setup = upcoming_exam()
    absences.mark_absent(organiser_user, setup.exam.id, excused=excused, note="Prévenu par téléphone")
    assert db.session.get(Exam, setup.exam.id).status == status
    [entry] = audit("exam.absent", setup.exam.id)
    assert (entry.old_value, entry.new_value) == (SCHEDULED, status)
    assert entry.details["note"] == "Prévenu par téléphone"


def test_absence_is_refused_once_graded_or_not_scheduled(organiser_user):
    setup = upcoming_exam(candidates=2)
    give_a_mark(setup)
    with pytest.raises(Conflict, match="commencé à noter"):
        absences.mark_absent(organiser_user, setup.exam.id, excused=True, note="")
    second = setup.jury.exams[1]
    absences.mark_absent(organiser_user, second.id, excused=True, note="")
    with pytest.raises(Conflict, match="ne peut plus être déclaré absent"):
        absences.mark_absent(organiser_user, second.id, excused=False, note="")


def test_an_absent_candidate_moves_to_another_session(organiser_user):
    setup = upcoming_exam()
    absences.mark_absent(organiser_user, setup.exam.id, excused=True, note=None)
    target = open_session(days=20)
    new = absences.move_exam(organiser_user, setup.exam.id, target.juries[0].id)
    old = db.session.get(Exam, setup.exam.id)
    assert old.status == MOVED and old.moved_to_id == new.id
    new = db.session.get(Exam, new.id)
    assert new.jury_id == target.juries[0].id
    assert new.attempt == 1 and new.status == SCHEDULED
    assert new.starts_at == target.starts_at
    [entry] = audit("exam.move", old.id)
    assert entry.details["reason"] == "absence"
    assert "warning" not in entry.details
    with pytest.raises(Conflict, match="déjà été reporté"):
        absences.move_exam(organiser_user, old.id, target.juries[0].id)


def test_moving_beyond_3_months_after_training_needs_confirmation(organiser_user):
    # Training ended long enough ago that the target session is past the 3-month limit.
    setup = upcoming_exam(training_end=paris_today() - timedelta(days=100))
    target = open_session(days=10)
    [choice] = [t for t in moves.open_targets(setup.exam) if t.jury.id == target.juries[0].id]
    assert "plus de 3 mois" in choice.warning
    with pytest.raises(InvalidInput, match="Cochez la case de confirmation"):
        absences.move_exam(organiser_user, setup.exam.id, target.juries[0].id)
    assert db.session.get(Exam, setup.exam.id).status == SCHEDULED
    absences.move_exam(organiser_user, setup.exam.id, target.juries[0].id, confirmed=True)
    [entry] = audit("exam.move", setup.exam.id)
    assert "plus de 3 mois" in entry.details["warning"]


def test_the_3_month_limit_itself_does_not_warn(organiser_user):
    target_day = paris_today() + timedelta(days=10)
    setup = upcoming_exam(training_end=add_months(target_day, -3))
    target = open_session(days=10)
    [choice] = [t for t in moves.open_targets(setup.exam) if t.jury.id == target.juries[0].id]
    assert choice.warning is None


def test_only_open_future_sessions_of_the_same_certification_are_targets(organiser_user):
    setup = upcoming_exam()
    good = open_session(days=15)
    cancelled = open_session(days=15, status="cancelled")
    closed = open_session(days=15, status="closed")
    past = open_session(days=-3)
    other_cert = open_session(days=15, code="RNCP-CM")
    stopped_session = open_session(days=15)
    stopped_session.juries[0].stopped_at = datetime(2026, 1, 1)
    signed = open_session(days=15, status="in_progress")  # its minutes are signed: final
    db.session.add(Minutes(session_id=signed.id, locked_at=datetime(2026, 1, 1)))
    db.session.commit()
    ids = {t.jury.id for t in moves.open_targets(setup.exam)}
    assert good.juries[0].id in ids
    for session in (cancelled, closed, past, other_cert, stopped_session, signed):
        assert session.juries[0].id not in ids
    with pytest.raises(InvalidInput, match="Choisissez une session"):
        absences.move_exam(organiser_user, setup.exam.id, cancelled.juries[0].id)


def test_a_graded_sitting_cannot_be_moved(organiser_user):
    setup = upcoming_exam()
    give_a_mark(setup)
    target = open_session(days=15)
    with pytest.raises(Conflict, match="commencé à noter"):
        absences.move_exam(organiser_user, setup.exam.id, target.juries[0].id)


# --- Retakes --------------------------------------------------------------------------------

def test_retake_window_from_the_result_day(app):
    setup = failed_exam(on=date(2027, 1, 15))
    status = retakes.retake_status(setup.exam, today=date(2027, 3, 15))
    assert status.can_request and status.deadline == date(2027, 3, 15) and status.reason is None
    late = retakes.retake_status(setup.exam, today=date(2027, 3, 16))
    assert not late.can_request
    assert "15 mars 2027" in late.reason


def test_retake_request_on_the_last_day_then_refused_the_day_after(organiser_user):
    first = failed_exam(on=date(2027, 1, 15))
    request = retakes.request_retake(first.exam.id, today=date(2027, 3, 15))
    assert request.channel == "candidate" and request.requested_by_id is None
    [entry] = audit("retake.request", first.exam.id)
    assert entry.actor_id is None and entry.details["channel"] == "candidate"

    second = failed_exam(on=date(2027, 1, 15))
    with pytest.raises(Conflict) as refused:
        retakes.request_retake(second.exam.id, actor=organiser_user, channel="organiser",
                          today=date(2027, 3, 16))
    assert "a pris fin le 15 mars 2027" in refused.value.message
    assert db.session.scalar(db.select(RetakeRequest).filter_by(exam_id=second.exam.id)) is None


def test_retake_only_after_an_unfavourable_result_and_once(organiser_user):
    setup = upcoming_exam()
    with pytest.raises(Conflict, match="résultat défavorable"):
        retakes.request_retake(setup.exam.id, actor=organiser_user, channel="organiser")
    close_exam(setup.exam, FAVORABLE)
    with pytest.raises(Conflict, match="résultat défavorable"):
        retakes.request_retake(setup.exam.id, actor=organiser_user, channel="organiser")

    failing = failed_exam(on=paris_today())
    retakes.request_retake(failing.exam.id, actor=organiser_user, channel="organiser")
    with pytest.raises(Conflict, match="déjà été enregistrée"):
        retakes.request_retake(failing.exam.id, channel="candidate")
    status = retakes.retake_status(failing.exam)
    assert not status.can_request and status.request.channel == "organiser"


def test_rncp_unfavourable_result_allows_a_retake(app):
    setup = upcoming_exam(days=-1, code="RNCP-CM")
    close_exam(setup.exam, UNFAVORABLE, on=paris_today())
    assert retakes.retake_status(setup.exam).can_request


def test_unknown_channel_is_refused(app):
    setup = failed_exam(on=paris_today())
    with pytest.raises(InvalidInput):
        retakes.request_retake(setup.exam.id, channel="pigeon")


def test_a_scheduled_retake_is_attempt_2_and_keeps_the_failed_attempt(organiser_user):
    setup = failed_exam(on=paris_today())
    target = open_session(days=20)
    with pytest.raises(Conflict, match="Aucune demande"):
        retakes.schedule_retake(organiser_user, setup.exam.id, target.juries[0].id)
    retakes.request_retake(setup.exam.id, actor=organiser_user, channel="organiser")
    new = retakes.schedule_retake(organiser_user, setup.exam.id, target.juries[0].id)

    new = db.session.get(Exam, new.id)
    assert new.attempt == 2 and new.retake_of_id == setup.exam.id
    assert new.jury_id == target.juries[0].id and new.status == SCHEDULED
    failed = db.session.get(Exam, setup.exam.id)
    assert (failed.phase, failed.decision, failed.status) == (CLOSED, UNFAVORABLE, SCHEDULED)
    request = db.session.scalar(db.select(RetakeRequest).filter_by(exam_id=setup.exam.id))
    assert request.new_exam_id == new.id and request.scheduled_at is not None
    assert len(audit("retake.schedule", setup.exam.id)) == 1
    with pytest.raises(Conflict, match="déjà planifié"):
        retakes.schedule_retake(organiser_user, setup.exam.id, target.juries[0].id)


def test_a_retake_is_not_warned_about_the_3_months(organiser_user):
    setup = failed_exam(on=paris_today(), training_end=paris_today() - timedelta(days=200))
    target = open_session(days=20)
    assert all(t.warning is None for t in retakes.retake_targets(setup.exam))
    retakes.request_retake(setup.exam.id, actor=organiser_user, channel="organiser")
    retakes.schedule_retake(organiser_user, setup.exam.id, target.juries[0].id)  # no confirmation needed


def test_a_moved_retake_stays_the_retake_of_the_request(organiser_user):
    setup = failed_exam(on=paris_today())
    retakes.request_retake(setup.exam.id, actor=organiser_user, channel="organiser")
    first_target, second_target = open_session(days=20), open_session(days=25)
    retake = retakes.schedule_retake(organiser_user, setup.exam.id, first_target.juries[0].id)
    moved = absences.move_exam(organiser_user, retake.id, second_target.juries[0].id)
    moved = db.session.get(Exam, moved.id)
    assert moved.attempt == 2 and moved.retake_of_id == setup.exam.id
    request = db.session.scalar(db.select(RetakeRequest).filter_by(exam_id=setup.exam.id))
    assert request.new_exam_id == moved.id


# --- Appeals --------------------------------------------------------------------------------

def test_an_appeal_is_recorded_then_decided(organiser_user):
    setup = failed_exam(on=paris_today() - timedelta(days=3))
    appeal = appeals.record_appeal(organiser_user, setup.exam.id, filed_on=paris_today() - timedelta(days=1),
                              grounds="  Le temps de passage a été écourté.  ")
    appeal = db.session.get(Appeal, appeal.id)
    assert appeal.outcome == "pending" and appeal.grounds == "Le temps de passage a été écourté."
    assert appeal.recorded_by_id == organiser_user.id
    appeals.decide_appeal(organiser_user, appeal.id, outcome="rejected", outcome_text="Durée respectée.",
                     decided_on=paris_today())
    appeal = db.session.get(Appeal, appeal.id)
    assert (appeal.outcome, appeal.outcome_text, appeal.decided_on) == ("rejected",
                                                                       "Durée respectée.", paris_today())
    assert [e.action for e in audit("appeal.record") + audit("appeal.decide")] == [
        "appeal.record", "appeal.decide"]
    with pytest.raises(Conflict, match="déjà été tranché"):
        appeals.decide_appeal(organiser_user, appeal.id, outcome="upheld", outcome_text="x",
                         decided_on=paris_today())


def test_an_appeal_needs_a_result_a_past_date_and_grounds(organiser_user):
    pending = upcoming_exam()
    with pytest.raises(Conflict, match="résultat connu"):
        appeals.record_appeal(organiser_user, pending.exam.id, filed_on=paris_today(), grounds="x")
    setup = failed_exam(on=paris_today() - timedelta(days=3))
    with pytest.raises(InvalidInput, match="futur"):
        appeals.record_appeal(organiser_user, setup.exam.id, filed_on=paris_today() + timedelta(days=1),
                         grounds="x")
    with pytest.raises(InvalidInput, match="précéder le résultat"):
        appeals.record_appeal(organiser_user, setup.exam.id, filed_on=paris_today() - timedelta(days=4),
                         grounds="x")
    with pytest.raises(InvalidInput, match="motifs"):
        appeals.record_appeal(organiser_user, setup.exam.id, filed_on=paris_today(), grounds="  ")
    assert db.session.scalar(db.select(db.func.count(Appeal.id))) == 0


@pytest.mark.parametrize("outcome, text, decided, message", [
    ("maybe", "x", 0, "accepté ou rejeté"),
    ("upheld", " ", 0, "réponse de la direction"),
    ("upheld", "x", -3, "précéder le recours"),
    ("upheld", "x", 2, "futur"),
    ("upheld", "x", None, "date de la décision"),
])
def test_an_appeal_decision_is_checked(organiser_user, outcome, text, decided, message):
    setup = failed_exam(on=paris_today() - timedelta(days=5))
    appeal = appeals.record_appeal(organiser_user, setup.exam.id, filed_on=paris_today() - timedelta(days=1),
                              grounds="Motif")
    decided_on = None if decided is None else paris_today() + timedelta(days=decided)
    with pytest.raises(InvalidInput, match=message):
        appeals.decide_appeal(organiser_user, appeal.id, outcome=outcome, outcome_text=text,
                         decided_on=decided_on)
    assert db.session.get(Appeal, appeal.id).outcome == "pending"
