"""The organiser sees what is missing: the session's « Dossiers » (each candidate's state,
missing or late pieces, the summary's words, the plan checked), the candidate's file with its
history, the 8-point plan ticked with htmx (audited); the dashboard lists incomplete files
from 12 days before the session; the convocation page warns when the deadline is past."""
import html
from datetime import timedelta

from certif.audit.models import AuditEntry
from certif.candidates.dossier.models import CandidateFile
from certif.dashboard.dossier_items import files_incomplete
from certif.dashboard.session_items import upcoming_sessions
from certif.extensions import db
from certif.timeutil import paris_today
from tests.factories.dossier import complete_file, make_candidate_file, make_file_entry, rncp_exam
from tests.factories.sessions import upcoming_exam


def test_the_session_page_lists_each_file_and_what_it_lacks(organiser):
    setup = rncp_exam(days=20)
    complete_file(setup.exam)
    page = html.unescape(organiser.get(f"/sessions/{setup.session.id}").text)
    assert "Voir les dossiers des candidats" in page
    listing = html.unescape(organiser.get(f"/sessions/{setup.session.id}/dossiers").text)
    assert "Complet" in listing and "220 mots" in listing and "0 / 8" in listing


def test_a_late_and_incomplete_file_says_which_pieces(organiser):
    setup = rncp_exam(days=5)
    file = make_candidate_file(setup.exam)
    make_file_entry(file, "technical_dossier", pdf=True)  # today: after D-10
    page = html.unescape(organiser.get(f"/sessions/{setup.session.id}/dossiers").text)
    assert "Incomplet" in page
    assert "Dossier technique de projet (PDF, 30 à 35 pages hors annexes) (en retard)" in page
    assert "CV mis à jour avec les nouvelles compétences acquises (manquant)" in page
    detail = html.unescape(organiser.get(f"/sessions/{setup.session.id}/dossiers/{setup.exam.id}").text)
    assert "En retard" in detail and "Manquant" in detail


def test_rs6240_sessions_have_no_dossiers_tab(organiser):
    setup = upcoming_exam(days=20)
    assert "Voir les dossiers des candidats" not in organiser.get(f"/sessions/{setup.session.id}").text
    assert organiser.get(f"/sessions/{setup.session.id}/dossiers").status_code == 404


def test_the_organiser_ticks_the_plan_with_htmx(organiser):
    setup = rncp_exam(days=20)
    url = f"/sessions/{setup.session.id}/dossiers/{setup.exam.id}/plan/3"
    fragment = organiser.post(url, data={"checked": "1"}, htmx=True)
    assert fragment.status_code == 200 and fragment.text.count("Vérifié") == 1
    assert "<html" not in fragment.text
    assert db.session.scalar(db.select(CandidateFile)).plan_checked == [3]
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="dossier.plan"))
    assert entry.details["point"] == 3
    assert organiser.post(url, data={"checked": "0"}).status_code == 303
    assert db.session.scalar(db.select(CandidateFile)).plan_checked == []
    assert organiser.post(url.replace("/plan/3", "/plan/9"), data={"checked": "1"}).status_code == 404
    assert organiser.post(url, data={"checked": "1"}, htmx=True, csrf=False).status_code == 400


def test_only_the_organiser_reaches_the_files(make_web, organiser):
    setup = rncp_exam(days=20)
    juror = make_web(setup.president)
    assert juror.get(f"/sessions/{setup.session.id}/dossiers").status_code == 403
    other = rncp_exam(days=20)
    assert organiser.get(f"/sessions/{setup.session.id}/dossiers/{other.exam.id}").status_code == 404


def test_the_organiser_opens_a_piece_inline_and_it_is_audited(organiser):
    setup = rncp_exam(days=20)
    entry = make_file_entry(make_candidate_file(setup.exam), "cv", pdf=True)
    url = f"/sessions/{setup.session.id}/dossiers/{setup.exam.id}/pieces/{entry.id}"
    response = organiser.get(url)
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("inline")
    audit = db.session.scalar(db.select(AuditEntry).filter_by(action="dossier.open"))
    assert audit.details["by"] == "organiser"


def test_the_dashboard_lists_incomplete_files_from_twelve_days_before(app):
    soon, later, done = rncp_exam(days=12), rncp_exam(days=13), rncp_exam(days=11)
    complete_file(done.exam)
    today = paris_today()
    items = files_incomplete(today, upcoming_sessions(today))
    assert [i.label.split(" : ")[1].split(" (")[0] for i in items] == [soon.exam.candidate.full_name]
    assert items[0].due == today + timedelta(days=2)  # its D-10
    assert later.exam.candidate.full_name not in str(items)


def test_the_convocation_page_warns_when_the_deadline_is_past(organiser):
    past, ahead = rncp_exam(days=9), rncp_exam(days=30)
    warning = "la date limite de dépôt du dossier technique"
    page = organiser.get(f"/convocations/sessions/{past.session.id}")
    assert page.status_code == 200 and warning in html.unescape(page.text)
    assert warning not in html.unescape(organiser.get(f"/convocations/sessions/{ahead.session.id}").text)
    sending = organiser.get(f"/convocations/examens/{past.exam.id}/envoyer")
    assert warning in html.unescape(sending.text)
    assert warning not in html.unescape(organiser.get(f"/convocations/examens/{ahead.exam.id}/envoyer").text)
