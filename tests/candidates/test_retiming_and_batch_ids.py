"""Candidates: new extra minutes re-time only sessions still being prepared (a session
under way keeps its times, and the page says so); an import batch id too large for
the database is a 404, not a 500."""
import pytest

from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.sessions.models import Exam

from ..factories.sessions import make_exam
from .helpers import FORM


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)
                              .order_by(AuditEntry.id)).all()


def extra_minutes_form(candidate, minutes="15"):
    return {**FORM, "last_name": candidate.last_name, "first_name": candidate.first_name,
            "birth_date": "", "email": "", "accommodation": "Tiers temps",
            "extra_minutes": minutes}


def slots(jury_id):
    return [(e.starts_at, e.duration_minutes) for e in db.session.scalars(
        db.select(Exam).where(Exam.jury_id == jury_id).order_by(Exam.position))]


@pytest.mark.parametrize("status", ["in_progress", "deliberated"])
def test_a_session_under_way_keeps_its_times_and_the_page_says_so(organiser, status):
    setup = make_exam("RS6240", candidates=3)
    setup.session.status = status
    db.session.commit()
    before = slots(setup.jury.id)
    candidate = setup.jury.exams[0].candidate
    response = organiser.post(f"/candidats/{candidate.id}/modifier", extra_minutes_form(candidate))
    assert response.status_code == 303
    assert slots(setup.jury.id) == before
    page = organiser.get(f"/candidats/{candidate.id}").text.replace("&#39;", "'").replace("&#34;", '"')
    assert f"La session n° {setup.session.number} est" in page
    assert "ses horaires ne sont pas modifiés" in page
    [entry] = audit("candidate.update")
    assert entry.details["kept_juries"] == [setup.jury.id]
    assert "rescheduled_juries" not in entry.details
    assert entry.details["changes"]["extra_minutes"] == [0, 15]


@pytest.mark.parametrize("status", ["draft", "convened"])
def test_a_session_being_prepared_is_retimed_and_the_page_says_so(organiser, status):
    setup = make_exam("RS6240", candidates=2)
    setup.session.status = status
    db.session.commit()
    candidate = setup.jury.exams[0].candidate
    organiser.post(f"/candidats/{candidate.id}/modifier", extra_minutes_form(candidate))
    assert [minutes for _, minutes in slots(setup.jury.id)] == [45, 30]
    page = organiser.get(f"/candidats/{candidate.id}").text
    assert f"Les horaires du jury de la session n° {setup.session.number} ont été recalculés" in page
    [entry] = audit("candidate.update")
    assert entry.details["rescheduled_juries"] == [setup.jury.id]
    assert "kept_juries" not in entry.details


@pytest.mark.parametrize("lot", ["99999999999999999999", "2147483648", "-1"])
def test_an_import_batch_id_out_of_range_is_a_404(organiser, lot):
    assert organiser.get(f"/candidats/import?lot={lot}").status_code == 404
