"""The council's write paths and files: meetings sharing the reviews' write path and
locking, evidence file names, the new-action page's role check, moved exams and anomaly
filing, links without fallbacks, one text cleaner and one opinion-signature lookup."""
import io
from html import unescape

import pytest

from certif.candidates.links import make_token
from certif.council import anomalies, checks, meetings, storage
from certif.council.models import APPLIED, VERIFIED, AnomalySheet, CorrectiveAction, CouncilMeeting
from certif.council.reviews import opinion, sheets
from certif.extensions import db

from ..factories.council import make_action, make_anomaly, make_meeting, make_review
from ..factories.files import SMALL_PDF
from ..factories.sessions import make_exam
from ..factories.web import CSRF_RE
from .helpers import COUNCIL_DAY

TODAY = COUNCIL_DAY
pytestmark = pytest.mark.usefixtures("fixed_today")
PDF = SMALL_PDF
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 20


def meeting_form(member, session, **extra) -> dict:
    return {"kind": "exceptional", "held_on": "2026-12-08", "member_ids": [member.id],
            "session_ids": [session.id], "decisions": "Tester la connexion la veille.", **extra}


# --- 5. Meetings create reviews like the reviews do, and lock what they edit ---------------

def test_a_review_opened_meanwhile_by_another_member_is_a_409_not_a_duplicate(
        council, council_user, exam_setup, monkeypatch):
    sheet = make_anomaly(exam_setup.session, exam_setup.president)
    make_review(anomaly=sheet)  # created by another member after our lookup (simulated below)
    monkeypatch.setattr(sheets, "find_review", lambda *args, **kwargs: None)
    response = council.post("/conseil/reunions/nouvelle", meeting_form(
        council_user, exam_setup.session, sheet_refs=[f"anomalie-{sheet.id}"]))
    assert response.status_code == 409
    assert sheets.MSG_OPENED_MEANWHILE in unescape(response.text)
    assert db.session.scalars(db.select(CouncilMeeting)).all() == []


def test_an_unknown_or_unhanded_sheet_is_still_refused_beside_its_field(council, council_user,
                                                                        exam_setup):
    for ref in ("anomalie-999", "conditions-0", "autre-1", "anomalie-x"):
        response = council.post("/conseil/reunions/nouvelle", meeting_form(
            council_user, exam_setup.session, sheet_refs=[ref]))
        assert response.status_code == 400, ref
        assert meetings.MSG_SHEET_UNKNOWN in unescape(response.text)
    assert db.session.scalars(db.select(CouncilMeeting)).all() == []


def test_editing_a_meeting_locks_its_row_reading_that_table_only(council, council_user,
                                                                 exam_setup, monkeypatch):
    from sqlalchemy import event
    from sqlalchemy.dialects import postgresql
    meeting = make_meeting(sessions=[exam_setup.session], members=[council_user])
    calls, locking = [], []
    real = meetings.get_meeting

    def spy(meeting_id, **kwargs):
        calls.append(kwargs)
        return real(meeting_id, **kwargs)

    def record(state):  # SQLite prints no FOR UPDATE: look at the statement itself
        if state.is_select and state.statement._for_update_arg is not None:
            locking.append(str(state.statement.compile(dialect=postgresql.dialect())))
    monkeypatch.setattr(meetings, "get_meeting", spy)
    event.listen(db.session, "do_orm_execute", record)
    try:
        response = council.post(f"/conseil/reunions/{meeting.id}/modifier",
                                    meeting_form(council_user, exam_setup.session, decisions="Corrigé."))
    finally:
        event.remove(db.session, "do_orm_execute", record)
    assert response.status_code == 303
    assert {"lock": True} in calls
    [sql] = [s for s in locking if "council_meetings" in s.split("WHERE")[0]]
    assert "FOR UPDATE" in sql and "JOIN" not in sql
    assert db.session.get(CouncilMeeting, meeting.id).decisions == "Corrigé."


# --- 6. Evidence file names ------------------------------------------------------------------

@pytest.mark.parametrize("data, sent, kept", [
    (PNG, 'scan".pdf', "scan.png"),  # a PNG sent as .pdf: named after its content
    (PDF, "compte'rendu\x07\x1b.PDF", "compterendu.pdf"),
    (JPEG, "photo.jpeg", "photo.jpg"),
    (PDF, "rapport.final.exe", "rapport.final.pdf"),
    (PDF, "sans extension", "sans extension.pdf"),
    (PNG, 'C:\\dossier\\`"\'.png', "preuve.png"),
    (PDF, None, "preuve.pdf"),
    (PDF, "a" * 300 + ".pdf", "a" * 251 + ".pdf"),
])
def test_the_kept_name_has_no_quote_nor_control_and_the_extension_of_its_type(app, data, sent, kept):
    assert storage.check(data, sent).filename == kept


def test_the_download_gives_the_cleaned_name(exam_setup, council):
    review = make_review(anomaly=make_anomaly(exam_setup.session, exam_setup.president), signed=True)
    action = make_action(review, status=APPLIED)
    response = council.post(f"/conseil/actions/{action.id}/statut", {
        "target": VERIFIED, "evidence_text": "Photo de l'affichage.",
        "evidence_file": (io.BytesIO(PNG), 'affiche"\r\n.pdf')}, content_type="multipart/form-data")
    assert response.status_code == 303
    assert db.session.get(CorrectiveAction, action.id).evidence_filename == "affiche.png"
    download = council.get(f"/conseil/actions/{action.id}/preuve")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename=affiche.png'


# --- 7. The new-action page checks the role first ------------------------------------------

@pytest.mark.parametrize("query", ["?review=999", "?review=abc", "?meeting=999", ""])
def test_an_organiser_posting_a_new_action_gets_403_whatever_the_link(make_web, organiser_user, query):
    response = make_web(organiser_user).post(f"/conseil/actions/nouvelle{query}", {"title": "X"})
    assert response.status_code == 403
    assert db.session.scalars(db.select(CorrectiveAction)).all() == []


def test_a_council_member_still_gets_the_links_errors(council):
    assert council.post("/conseil/actions/nouvelle?review=999", {"title": "X"}).status_code == 404
    assert council.post("/conseil/actions/nouvelle?review=abc", {"title": "X"}).status_code == 400


# --- 9. A moved exam: the candidate files for the new session ------------------------------

def test_a_candidate_whose_exam_moved_files_for_the_new_session_not_the_old(app, exam_setup, web):
    candidate = exam_setup.exam.candidate
    new = make_exam()
    new.exam.candidate = candidate
    exam_setup.exam.status, exam_setup.exam.moved_to = "moved", new.exam
    db.session.commit()
    with app.test_request_context():
        token = make_token(candidate)

    page = web.get(f"/c/{token}/anomalie")
    assert page.status_code == 200
    assert f'value="{new.session.id}"' in page.text
    assert f'value="{exam_setup.session.id}"' not in page.text
    web.token = CSRF_RE.search(page.text).group(1)
    assert web.get(f"/c/{token}/anomalie?session={exam_setup.session.id}").status_code == 404

    data = {"observed_on": "2026-12-01", "anomaly_type": "technical",
            "description": "Le son coupait.", "consequence": "J'ai répété.", "causes": "",
            "signature_method": "typed", "signature_typed": "Alex Candidat"}
    old = web.post(f"/c/{token}/anomalie", {**data, "session_id": str(exam_setup.session.id)})
    assert old.status_code == 404
    assert db.session.scalars(db.select(AnomalySheet)).all() == []
    assert web.post(f"/c/{token}/anomalie", {**data, "session_id": str(new.session.id)}).status_code == 303
    [sheet] = db.session.scalars(db.select(AnomalySheet)).all()
    assert sheet.session_id == new.session.id


def test_reporter_kind_ignores_the_moved_exam(exam_setup):
    candidate = exam_setup.exam.candidate
    exam_setup.exam.status = "moved"
    db.session.commit()
    reporter = anomalies.Reporter(candidate=candidate)
    assert anomalies.reporter_kind(reporter, exam_setup.session) is None
    assert anomalies.session_choices(reporter) == []


# --- 10. Links built with url_for, no "page not built yet" fallback -------------------------

def test_pages_link_with_url_for_and_no_fallback_is_left(app, council, council_user, exam_setup):
    assert "maybe_url" not in app.jinja_env.globals
    meeting = make_meeting(sessions=[exam_setup.session], members=[council_user])
    action = make_action(meeting=meeting, title="Former les jurés")
    page = council.get(f"/conseil/reunions/{meeting.id}").text
    assert f'href="/conseil/actions/nouvelle?meeting={meeting.id}"' in page
    assert f'href="/conseil/actions/{action.id}"' in page
    sheet = make_anomaly(exam_setup.session, exam_setup.president)
    assert f'href="/anomalies/{sheet.id}.pdf"' in council.get(f"/conseil/fiches/anomalie/{sheet.id}").text
    assert f'href="/conseil/fiches/anomalie/{sheet.id}"' in council.get(f"/anomalies/{sheet.id}").text
    home = council.get("/conseil/").text
    assert 'href="/conseil/reunions/"' in home and 'href="/conseil/indicateurs/"' in home


# --- 11. One text cleaner, one opinion-signature lookup ------------------------------------

def test_one_text_cleaner_with_a_limit():
    assert checks.clean_text("  a\r\nb\rc \n") == "a\nb\nc"
    assert checks.clean_text(" \r\n ") is None
    assert checks.clean_text("x" * 10, limit=10) == "x" * 10
    with pytest.raises(checks.TextTooLong) as error:
        checks.clean_text("x" * 11, limit=10)
    assert error.value.message == "Le texte ne doit pas dépasser 10 caractères."


def test_meetings_clean_their_texts_with_it(council, council_user, exam_setup):
    response = council.post("/conseil/reunions/nouvelle", meeting_form(
        council_user, exam_setup.session, decisions="Ligne 1\rLigne 2"))
    assert response.status_code == 303
    [meeting] = db.session.scalars(db.select(CouncilMeeting)).all()
    assert meeting.decisions == "Ligne 1\nLigne 2"


def test_the_opinion_signature_is_looked_up_in_one_place():
    assert anomalies.opinion_signature is opinion.opinion_signature
    assert opinion.opinion_signature(None) is None
