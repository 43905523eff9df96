"""The organiser's exception screens through the test client (CSRF on): the sitting
page, carence and replacement, absence and move with the 3-month warning,
retakes, appeals; authorisation (only organisers), 400 on bad input with nothing
written, 409 when the state forbids the action."""
from datetime import timedelta
from html import unescape

import pytest

from certif.auth.models import COUNCIL, JUROR
from certif.candidates.models import Appeal, RetakeRequest
from certif.convocations.models import Convocation
from certif.extensions import db
from certif.grading.rules import FAVORABLE, UNFAVORABLE
from certif.sessions.models import ABSENT_EXCUSED, MOVED, SCHEDULED, Exam, ExamSession, Jury
from certif.sessions.rules import replacement_deadline, retake_deadline
from certif.timeutil import french_date, paris_today

from ..factories.grading import close_exam
from ..factories.jurors import make_juror
from ..factories.sessions import open_session, upcoming_exam
from ..factories.users import make_user
from .helpers import audit


def urls(exam, jury, appeal_id=1):
    return {
        "exam": f"/sessions/examens/{exam.id}",
        "carence": f"/sessions/jurys/{jury.id}/carence",
        "replacement": f"/sessions/jurys/{jury.id}/remplacement",
        "move": f"/sessions/examens/{exam.id}/report",
        "schedule_retake": f"/sessions/examens/{exam.id}/rattrapage/planifier",
    }, {
        "mark_absent": f"/sessions/examens/{exam.id}/absence",
        "request_retake": f"/sessions/examens/{exam.id}/rattrapage",
        "record_appeal": f"/sessions/examens/{exam.id}/recours",
        "decide_appeal": f"/sessions/recours/{appeal_id}",
    }


# --- Authorisation ---------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_the_login_page(app, web):
    setup = upcoming_exam()
    gets, posts = urls(setup.exam, setup.jury)
    for url in gets.values():
        response = web.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"], url


@pytest.mark.parametrize("role", [JUROR, COUNCIL])
def test_only_organisers_manage_exceptions(app, make_web, role):
    setup = upcoming_exam()
    appeal = Appeal(exam_id=setup.exam.id, filed_on=paris_today(), grounds="x")
    db.session.add(appeal)
    db.session.commit()
    # The jury's own president is no better placed than any other non-organiser.
    user = setup.president if role == JUROR else make_user(COUNCIL)
    client = make_web(user)
    gets, posts = urls(setup.exam, setup.jury, appeal.id)
    for url in gets.values():
        assert client.get(url).status_code == 403, url
    for url in posts.values():
        assert client.post(url, {"excused": "yes", "grounds": "x"}).status_code == 403, url
    for url in (gets["carence"], gets["replacement"], gets["move"], gets["schedule_retake"]):
        assert client.post(url, {}).status_code == 403, url
    assert db.session.get(Exam, setup.exam.id).status == SCHEDULED
    assert db.session.get(Jury, setup.jury.id).stopped_at is None


def test_unknown_ids_are_404(organiser):
    for url in ("/sessions/examens/999999", "/sessions/jurys/999999/carence",
                "/sessions/jurys/999999/remplacement", "/sessions/examens/999999/report"):
        assert organiser.get(url).status_code == 404, url
    assert organiser.post("/sessions/recours/999999", {"outcome": "upheld"}).status_code == 404


def test_a_post_without_csrf_token_is_refused(organiser):
    setup = upcoming_exam()
    response = organiser.post(f"/sessions/examens/{setup.exam.id}/absence", {"excused": "yes"},
                            csrf=False)
    assert response.status_code == 400
    assert db.session.get(Exam, setup.exam.id).status == SCHEDULED


# --- The sitting page -------------------------------------------------------------------

def test_the_sitting_page_shows_the_candidate_the_jury_and_the_actions(organiser):
    setup = upcoming_exam(training_end=paris_today() - timedelta(days=20))
    page = organiser.get(f"/sessions/examens/{setup.exam.id}")
    assert page.status_code == 200
    text = page.text
    assert setup.exam.candidate.full_name in text
    assert f"Session n° {setup.session.number}" in text
    assert setup.president.full_name in text and "(président)" in text
    assert "Non envoyée" in text
    assert f"/sessions/examens/{setup.exam.id}/historique" in text
    assert "Déclarer le candidat absent" in text
    assert f"/sessions/examens/{setup.exam.id}/report" in text
    assert f"/sessions/jurys/{setup.jury.id}/carence" in text
    assert "Rattrapage" not in text.split("Passages du candidat")[0]  # no result: no retake box


def test_the_sitting_page_lists_its_convocations(organiser, organiser_user):
    setup = upcoming_exam()
    db.session.add(Convocation(kind="candidate", session_id=setup.session.id,
                               exam_id=setup.exam.id, channel="email", recipient="a@b.fr",
                               announced_start=setup.exam.starts_at, pdf_sha256="0" * 64,
                               sent_by_id=organiser_user.id))
    db.session.commit()
    text = organiser.get(f"/sessions/examens/{setup.exam.id}").text
    assert "Par e-mail à a@b.fr" in text and "À jour" in text
    setup.exam.starts_at += timedelta(minutes=30)
    db.session.commit()
    assert "À renvoyer" in organiser.get(f"/sessions/examens/{setup.exam.id}").text


# --- Carence and replacement --------------------------------------------------------------

def test_carence_then_replacement_on_day_30(organiser, organiser_user):
    setup = upcoming_exam(days=0, candidates=2)
    page = organiser.get(f"/sessions/jurys/{setup.jury.id}/carence")
    assert page.status_code == 200 and setup.member.full_name in page.text
    response = organiser.post(f"/sessions/jurys/{setup.jury.id}/carence",
                            {"absent_juror": setup.member.id, "reason": "Malade"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/sessions/jurys/{setup.jury.id}/remplacement")
    jury = db.session.get(Jury, setup.jury.id)
    assert jury.stopped_at is not None and jury.absent_juror_id == setup.member.id

    again = organiser.post(f"/sessions/jurys/{setup.jury.id}/carence",
                         {"absent_juror": setup.president.id, "reason": "x"})
    assert again.status_code == 409 and "déjà été constatée" in again.text

    first, second = make_juror("Ana"), make_juror("Bruno")
    form = organiser.get(f"/sessions/jurys/{setup.jury.id}/remplacement").text
    assert f'value="{setup.session.number}-R"' in form
    assert first.full_name in form and second.full_name in form
    assert setup.member.full_name not in form.split("Le jury")[-1]  # not habilitated here
    deadline = replacement_deadline(paris_today())
    assert f'max="{deadline.isoformat()}"' in form

    deadline = replacement_deadline(paris_today())
    data = {"number": f"{setup.session.number}-R", "day": deadline.isoformat(), "start": "10:00",
            "mode": "remote", "video_link": "https://visio.example.fr/r", "place": "",
            "juror_1": first.id, "juror_2": second.id, "president": second.id}
    late = organiser.post(f"/sessions/jurys/{setup.jury.id}/remplacement",
                        {**data, "day": (deadline + timedelta(days=1)).isoformat()})
    assert late.status_code == 400
    assert french_date(deadline) in late.text
    assert db.session.scalar(db.select(ExamSession).filter_by(replaces_jury_id=jury.id)) is None

    response = organiser.post(f"/sessions/jurys/{setup.jury.id}/remplacement", data)
    assert response.status_code == 303
    session = db.session.scalar(db.select(ExamSession).filter_by(replaces_jury_id=jury.id))
    assert response.headers["Location"].endswith(f"/sessions/{session.id}")
    assert len(session.juries[0].exams) == 2
    assert all(e.status == MOVED for e in db.session.get(Jury, jury.id).exams)
    flashed = organiser.get(f"/sessions/examens/{setup.exam.id}").text
    assert "convoqués à nouveau" in flashed
    assert f'<a href="/convocations/sessions/{session.id}">' in flashed  # where to convene them
    assert f"n° {session.number}" in flashed

    twice = organiser.post(f"/sessions/jurys/{setup.jury.id}/remplacement",
                         {**data, "number": "AUTRE"})
    assert twice.status_code == 409


def test_carence_form_errors_are_400_and_write_nothing(organiser):
    setup = upcoming_exam(days=0)
    response = organiser.post(f"/sessions/jurys/{setup.jury.id}/carence",
                            {"absent_juror": setup.member.id, "reason": ""})
    assert response.status_code == 400 and "Indiquez le motif" in response.text
    response = organiser.post(f"/sessions/jurys/{setup.jury.id}/carence",
                            {"absent_juror": make_user(JUROR).id, "reason": "x"})
    assert response.status_code == 400 and "Choisissez le juré absent" in response.text
    assert db.session.get(Jury, setup.jury.id).stopped_at is None


def test_replacement_form_refuses_bad_input_with_400(organiser):
    setup = upcoming_exam(days=0)
    organiser.post(f"/sessions/jurys/{setup.jury.id}/carence",
                 {"absent_juror": setup.member.id, "reason": "Absent"})
    first = make_juror()
    unprofiled = make_user(JUROR)
    day = (paris_today() + timedelta(days=6)).isoformat()
    base = {"number": "R-1", "day": day, "start": "09:00", "mode": "remote",
            "video_link": "https://v.example.fr", "juror_1": first.id, "juror_2": unprofiled.id,
            "president": first.id}
    cases = [
        ({"day": "31/02/2027"}, "Date invalide"),
        ({"start": "25:00"}, "Heure invalide"),
        ({"juror_2": ""}, "Choisissez le second juré"),
        ({}, f"{unprofiled.full_name} n'est pas habilité(e) pour la certification"),
        # The juror whose absence stopped the jury does not sit on its replacement.
        ({"juror_2": setup.member.id}, f"{setup.member.full_name} était absent(e) lors de la carence"),
        ({"video_link": "ftp://x"}, "https://"),
    ]
    for change, message in cases:
        response = organiser.post(f"/sessions/jurys/{setup.jury.id}/remplacement", {**base, **change})
        assert response.status_code == 400, change
        assert message in unescape(response.text), change
    assert db.session.scalar(db.select(ExamSession).filter_by(number="R-1")) is None


def test_replacement_page_without_carence_says_so(organiser):
    setup = upcoming_exam()
    page = organiser.get(f"/sessions/jurys/{setup.jury.id}/remplacement")
    assert page.status_code == 200 and "constatez d'abord la carence" in unescape(page.text)
    response = organiser.post(f"/sessions/jurys/{setup.jury.id}/remplacement", {"number": "X"})
    assert response.status_code == 409


# --- Absence and move ---------------------------------------------------------------------

def test_mark_absent_then_move_with_the_3_month_warning(organiser):
    setup = upcoming_exam(training_end=paris_today() - timedelta(days=100))
    response = organiser.post(f"/sessions/examens/{setup.exam.id}/absence",
                            {"excused": "yes", "note": "Certificat médical"})
    assert response.status_code == 303
    assert db.session.get(Exam, setup.exam.id).status == ABSENT_EXCUSED
    assert audit("exam.absent", setup.exam.id)[0].details["note"] == "Certificat médical"

    target = open_session(days=12)
    page = organiser.get(f"/sessions/examens/{setup.exam.id}/report")
    assert page.status_code == 200
    assert f"Session n° {target.number}" in page.text
    assert "plus de 3 mois" in page.text  # shown before confirming
    jury_id = target.juries[0].id

    refused = organiser.post(f"/sessions/examens/{setup.exam.id}/report", {"jury_id": jury_id})
    assert refused.status_code == 400
    assert "Cochez la case de confirmation" in refused.text
    assert db.session.get(Exam, setup.exam.id).status == ABSENT_EXCUSED

    response = organiser.post(f"/sessions/examens/{setup.exam.id}/report",
                            {"jury_id": jury_id, "confirm": "y"})
    assert response.status_code == 303
    old = db.session.get(Exam, setup.exam.id)
    assert old.status == MOVED
    assert response.headers["Location"].endswith(f"/sessions/examens/{old.moved_to_id}")
    assert "plus de 3 mois" in audit("exam.move", old.id)[0].details["warning"]
    new_page = organiser.get(response.headers["Location"]).text
    assert "nouvelle convocation" in new_page  # the flash
    assert "Non envoyée" in new_page  # to convene again
    assert "Passage reporté ici" in new_page


def test_absence_bad_input_and_conflict(organiser):
    setup = upcoming_exam()
    response = organiser.post(f"/sessions/examens/{setup.exam.id}/absence", {"excused": ""})
    assert response.status_code == 400 and "excusée" in response.text
    close_exam(setup.exam, FAVORABLE)
    response = organiser.post(f"/sessions/examens/{setup.exam.id}/absence", {"excused": "no"})
    assert response.status_code == 409
    assert db.session.get(Exam, setup.exam.id).status == SCHEDULED


def test_move_needs_a_proposed_jury(organiser):
    setup = upcoming_exam()
    cancelled = open_session(days=10, status="cancelled")
    for data in ({}, {"jury_id": "abc"}, {"jury_id": cancelled.juries[0].id}):
        response = organiser.post(f"/sessions/examens/{setup.exam.id}/report", data)
        assert response.status_code == 400, data
        assert "Choisissez une session" in response.text
    assert db.session.get(Exam, setup.exam.id).status == SCHEDULED


# --- Retakes ------------------------------------------------------------------------------

def test_organiser_records_a_retake_request_and_schedules_attempt_2(organiser, organiser_user):
    setup = upcoming_exam(days=-2)
    close_exam(setup.exam, UNFAVORABLE, on=paris_today() - timedelta(days=2))
    page = organiser.get(f"/sessions/examens/{setup.exam.id}").text
    assert "Enregistrer sa demande de rattrapage" in page

    response = organiser.post(f"/sessions/examens/{setup.exam.id}/rattrapage")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/sessions/examens/{setup.exam.id}/rattrapage/planifier")
    request = db.session.scalar(db.select(RetakeRequest).filter_by(exam_id=setup.exam.id))
    assert request.channel == "organiser" and request.requested_by_id == organiser_user.id
    assert organiser.post(f"/sessions/examens/{setup.exam.id}/rattrapage").status_code == 409

    target = open_session(days=15)
    page = organiser.get(f"/sessions/examens/{setup.exam.id}/rattrapage/planifier")
    assert page.status_code == 200 and f"Session n° {target.number}" in page.text
    response = organiser.post(f"/sessions/examens/{setup.exam.id}/rattrapage/planifier",
                            {"jury_id": target.juries[0].id})
    assert response.status_code == 303
    new = db.session.scalar(db.select(Exam).filter_by(retake_of_id=setup.exam.id))
    assert new.attempt == 2 and new.jury_id == target.juries[0].id
    new_page = organiser.get(f"/sessions/examens/{new.id}").text
    assert "Rattrapage planifié (passage n° 2)" in new_page
    assert "Passage échoué dont celui-ci est le rattrapage" in new_page
    old_page = organiser.get(f"/sessions/examens/{setup.exam.id}").text
    assert "Avis défavorable" in old_page and "Rattrapage de ce passage" in old_page
    assert organiser.post(f"/sessions/examens/{setup.exam.id}/rattrapage/planifier",
                        {"jury_id": target.juries[0].id}).status_code == 409


def test_a_retake_request_after_the_window_is_409_with_the_closing_date(organiser):
    setup = upcoming_exam(days=-90)
    result = paris_today() - timedelta(days=80)
    close_exam(setup.exam, UNFAVORABLE, on=result)
    closed_on = french_date(retake_deadline(result))
    page = organiser.get(f"/sessions/examens/{setup.exam.id}").text
    assert f"a pris fin le {closed_on}" in page
    response = organiser.post(f"/sessions/examens/{setup.exam.id}/rattrapage")
    assert response.status_code == 409
    assert f"a pris fin le {closed_on}" in response.text
    assert db.session.scalar(db.select(RetakeRequest)) is None


def test_scheduling_a_retake_without_request_is_409(organiser):
    setup = upcoming_exam(days=-2)
    close_exam(setup.exam, UNFAVORABLE)
    target = open_session(days=15)
    page = organiser.get(f"/sessions/examens/{setup.exam.id}/rattrapage/planifier")
    assert "Aucune demande de rattrapage" in page.text
    response = organiser.post(f"/sessions/examens/{setup.exam.id}/rattrapage/planifier",
                            {"jury_id": target.juries[0].id})
    assert response.status_code == 409


# --- Appeals ------------------------------------------------------------------------------

def test_record_and_decide_an_appeal(organiser):
    setup = upcoming_exam(days=-3)
    close_exam(setup.exam, UNFAVORABLE, on=paris_today() - timedelta(days=3))
    url = f"/sessions/examens/{setup.exam.id}/recours"
    bad = organiser.post(url, {"filed_on": (paris_today() + timedelta(days=1)).isoformat(), "grounds": "x"})
    assert bad.status_code == 400 and "futur" in bad.text
    bad = organiser.post(url, {"filed_on": paris_today().isoformat(), "grounds": ""})
    assert bad.status_code == 400 and "motifs" in bad.text
    assert db.session.scalar(db.select(Appeal)) is None

    response = organiser.post(url, {"filed_on": paris_today().isoformat(),
                                  "grounds": "Connexion coupée pendant l'épreuve."})
    assert response.status_code == 303
    appeal = db.session.scalar(db.select(Appeal))
    page = organiser.get(f"/sessions/examens/{setup.exam.id}").text
    assert "Connexion coupée pendant l&#39;épreuve." in page and "En cours d&#39;examen" in page
    assert "<script" not in page.split("Connexion coupée")[0][-200:]

    decide = f"/sessions/recours/{appeal.id}"
    bad = organiser.post(decide, {"outcome": "upheld", "outcome_text": "",
                                "decided_on": paris_today().isoformat()})
    assert bad.status_code == 400 and "réponse de la direction" in bad.text
    response = organiser.post(decide, {"outcome": "upheld", "outcome_text": "Nouveau passage offert.",
                                     "decided_on": paris_today().isoformat()})
    assert response.status_code == 303
    appeal = db.session.get(Appeal, appeal.id)
    assert appeal.outcome == "upheld" and appeal.outcome_text == "Nouveau passage offert."
    assert "Recours accepté" in organiser.get(f"/sessions/examens/{setup.exam.id}").text
    again = organiser.post(decide, {"outcome": "rejected", "outcome_text": "x",
                                  "decided_on": paris_today().isoformat()})
    assert again.status_code == 409


def test_no_appeal_before_the_result(organiser):
    setup = upcoming_exam()
    response = organiser.post(f"/sessions/examens/{setup.exam.id}/recours",
                            {"filed_on": paris_today().isoformat(), "grounds": "x"})
    assert response.status_code == 409


# --- Grading after a carence or an absence --------------------------------------------------

@pytest.mark.parametrize("what", ["carence", "absence"])
def test_no_grading_once_the_jury_is_stopped_or_the_candidate_absent(organiser, make_web, what):
    from certif.grading.models import Mark
    setup = upcoming_exam(days=0)
    if what == "carence":
        organiser.post(f"/sessions/jurys/{setup.jury.id}/carence",
                     {"absent_juror": setup.member.id, "reason": "Absent"})
    else:
        organiser.post(f"/sessions/examens/{setup.exam.id}/absence", {"excused": "no"})
    juror = make_web(setup.president)
    response = juror.post(f"/jury/examens/{setup.exam.id}/grille/criteres/{setup.criteria[0]}",
                          {"value": "acquis"})
    assert response.status_code == 409
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0
