"""Sessions: create, edit, cancel, the status workflow, and who may do what."""
from datetime import date, time, timedelta

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import ORGANISER
from certif.extensions import db
from certif.grading.models import Grid
from certif.minutes.models import Minutes
from certif.sessions import lifecycle, queries, services
from certif.sessions.models import ExamSession
from certif.timeutil import paris_to_utc, utcnow

from ..factories.candidates import make_candidate
from ..factories.convocations import make_convocation
from ..factories.jurors import set_habilitation
from ..factories.sessions import (
    FUTURE,
    make_jury,
    make_session,
    place,
    referential,
    registered_until,
)
from ..factories.users import make_user
from .helpers import form, paris, sessions_count, text


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)
                              .order_by(AuditEntry.id)).all()


# --- Who may do what ---------------------------------------------------------------------

def test_anonymous_users_are_sent_to_the_login_page(client, app):
    session = make_session()
    for url in ("/sessions/nouvelle", f"/sessions/{session.id}", f"/sessions/{session.id}/modifier"):
        r = client.get(url)
        assert r.status_code == 302 and "/connexion" in r.headers["Location"]


def test_jurors_are_refused(app, juror):
    session = make_session()
    for url in ("/sessions/nouvelle", f"/sessions/{session.id}", f"/sessions/{session.id}/modifier",
                f"/sessions/{session.id}/annulation", f"/sessions/{session.id}/jurys"):
        assert juror.get(url).status_code == 403
    assert juror.post("/sessions/nouvelle", form()).status_code == 403
    assert sessions_count() == 1


def test_council_reads_the_list_and_the_page_without_actions(app, council):
    session = make_session(number="LECTURE-1")
    jury = make_jury(session)
    place(jury, make_candidate())
    assert "LECTURE-1" in council.get("/sessions/").text
    page = council.get(f"/sessions/{session.id}")
    assert page.status_code == 200
    assert "Session n° LECTURE-1" in text(page)
    assert "Modifier la session" not in text(page) and "Nouvelle session" not in text(page)
    assert "Placer un candidat" not in text(page) and "Ajouter un jury" not in text(page)
    assert "Marquer la session" not in text(page) and "Annuler la session" not in text(page)


@pytest.mark.parametrize("url, data", [
    ("/sessions/nouvelle", form),
    ("/sessions/{id}/modifier", form),
    ("/sessions/{id}/annulation", lambda: {"reason": "Plus de salle"}),
    ("/sessions/{id}/statut", lambda: {"target": "convened"}),
    ("/sessions/{id}/jurys", lambda: {"juror_1_id": "1", "juror_2_id": "2", "president_id": "1"}),
])
def test_council_cannot_write(app, council, url, data):
    session = make_session(number="LECTURE-2")
    r = council.post(url.format(id=session.id), data())
    assert r.status_code == 403
    db.session.refresh(session)
    assert session.status == "draft" and session.number == "LECTURE-2" and not session.juries
    assert sessions_count() == 1


def test_organiser_sees_the_new_session_button(app, organiser):
    page = organiser.get("/sessions/")
    assert page.status_code == 200 and "Nouvelle session" in text(page)
    assert organiser.get("/sessions/nouvelle").status_code == 200


def test_unknown_session_is_404(app, organiser):
    assert organiser.get("/sessions/999999").status_code == 404
    assert organiser.post("/sessions/999999/statut", {"target": "convened"}).status_code == 404


# --- Create ------------------------------------------------------------------------------

def test_create_a_session_pins_the_referential_and_stores_utc(app, organiser):
    registered_until("RS6240", date(2031, 1, 1))
    r = organiser.post("/sessions/nouvelle", form(day="2030-12-02", start="09:30",
                                                  technical_requirements="Webcam et micro"))
    session = db.session.scalar(db.select(ExamSession))
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/sessions/{session.id}")
    assert session.number == "2026-RS-01" and session.status == "draft"
    assert session.referential_id == referential("RS6240").id
    assert session.starts_at == paris_to_utc(date(2030, 12, 2), time(9, 30))
    assert session.starts_at.hour == 8  # winter: Paris is UTC+1
    assert session.technical_requirements == "Webcam et micro" and session.place is None
    entry = audit("session.create")[0]
    assert entry.entity_id == session.id and entry.new_value == "2026-RS-01"
    page = organiser.get(f"/sessions/{session.id}")
    assert "2 décembre 2030 à 9 h 30" in text(page) and "Aucun jury n'est constitué" in text(page)


def test_on_site_session_keeps_the_place_and_drops_the_link(app, organiser):
    organiser.post("/sessions/nouvelle", form(mode="on_site", place="12 rue des Lilas, Lyon"))
    session = db.session.scalar(db.select(ExamSession))
    assert session.place == "12 rue des Lilas, Lyon" and session.video_link is None


@pytest.mark.parametrize("overrides, message", [
    ({"number": "  "}, "Indiquez le numéro de la session."),
    ({"day": (date.today() - timedelta(days=1)).isoformat()}, "La date de la session est passée"),
    ({"day": "31/02/2030"}, "Date invalide"),
    ({"start": ""}, "Indiquez l'heure de début."),
    ({"mode": "hybride"}, "Choisissez une modalité"),
    ({"referential_id": "999"}, "Choisissez une certification dans la liste."),
    ({"referential_id": "abc"}, "Choisissez une certification dans la liste."),
    ({"referential_id": ""}, "Choisissez la certification."),
    ({"mode": "remote", "video_link": ""}, "Indiquez le lien de visioconférence"),
    ({"mode": "remote", "video_link": "http://visio.example.fr/x"}, "commençant par https://"),
    ({"mode": "both", "video_link": "https://", "place": "Lyon"}, "commençant par https://"),
    ({"mode": "remote", "video_link": "https://visio example.fr"}, "commençant par https://"),
    ({"mode": "remote", "video_link": "https://[visio"}, "commençant par https://"),
    ({"mode": "remote", "video_link": "javascript:alert(1)"}, "commençant par https://"),
    ({"mode": "on_site", "place": ""}, "Indiquez le lieu de la session"),
    ({"mode": "both", "place": "", "video_link": "https://v.fr/a"}, "Indiquez le lieu"),
    ({"number": "x" * 41}, "40 caractères au plus."),
])
def test_bad_input_is_refused_with_a_french_message(app, organiser, overrides, message):
    r = organiser.post("/sessions/nouvelle", form(**overrides))
    assert r.status_code == 400
    assert message in text(r)
    assert sessions_count() == 0 and not audit("session.create")


def test_an_older_referential_version_cannot_be_pinned(app):
    organiser = make_user(ORGANISER)
    older = referential("RS6240")
    fields = services.SessionFields("V-1", older.id + 1000, date(2030, 1, 5), time(9), "remote",
                                    video_link="https://v.fr/a")
    with pytest.raises(services.FieldError):
        services.create_session(organiser, fields)


def test_a_number_already_taken_is_a_conflict(app, organiser):
    make_session(number="2026-RS-01")
    r = organiser.post("/sessions/nouvelle", form())
    assert r.status_code == 409
    assert "Le numéro de session « 2026-RS-01 » est déjà utilisé" in text(r)
    assert sessions_count() == 1


def test_csrf_is_required(app, organiser):
    assert organiser.post("/sessions/nouvelle", form(), csrf=False).status_code == 400
    assert sessions_count() == 0


# --- Edit --------------------------------------------------------------------------------

def test_changing_the_time_reschedules_every_jury_and_is_audited(app, organiser):
    registered_until("RS6240", date(2031, 1, 1))
    session = make_session(day=date(2030, 6, 3), at=time(9, 0))
    jury = make_jury(session)
    first, second = place(jury, make_candidate()), place(jury, make_candidate(extra_minutes=10))
    other = place(make_jury(session), make_candidate())
    r = organiser.post(f"/sessions/{session.id}/modifier",
                       form(number=session.number, day="2030-06-04", start="14:00"))
    assert r.status_code == 303
    db.session.refresh(session)
    assert session.starts_at == paris_to_utc(date(2030, 6, 4), time(14, 0))
    assert [paris(e.starts_at) for e in (first, second, other)] == ["14:00", "14:30", "14:00"]
    assert second.duration_minutes == 40
    entry = next(e for e in audit("session.update") if e.details["field"] == "starts_at")
    assert entry.old_value.startswith("2030-06-03T07:00") and entry.new_value.startswith("2030-06-04T12:00")


def test_a_sent_convocation_must_be_sent_again_after_a_time_change(app, organiser):
    registered_until("RS6240", date(2031, 1, 1))
    session = make_session(day=date(2030, 6, 3))
    jury = make_jury(session)
    exam = place(jury, make_candidate())
    make_convocation(session, exam)
    organiser.post(f"/sessions/{session.id}/modifier", form(number=session.number, start="10:00",
                                                            day="2030-06-03"))
    page = organiser.get(f"/sessions/{session.id}")
    assert "Convocation à renvoyer" in text(page)
    assert "Convocations des candidats : 1 à renvoyer (horaire modifié)." in text(page)


def test_edit_with_bad_input_writes_nothing(app, organiser):
    session = make_session(number="AVANT")
    r = organiser.post(f"/sessions/{session.id}/modifier",
                       form(number="APRES", mode="remote", video_link="ftp://x"))
    assert r.status_code == 400 and "https://" in text(r)
    db.session.refresh(session)
    assert session.number == "AVANT" and not audit("session.update")


def test_edit_to_a_number_taken_is_a_conflict(app, organiser):
    make_session(number="PRISE")
    session = make_session(number="LIBRE")
    r = organiser.post(f"/sessions/{session.id}/modifier", form(number="PRISE"))
    assert r.status_code == 409 and "déjà utilisé" in text(r)


def test_the_referential_is_locked_once_candidates_are_placed(app, organiser):
    session = make_session()
    page = organiser.get(f"/sessions/{session.id}/modifier")
    assert 'name="referential_id"' in text(page)
    place(make_jury(session), make_candidate())
    page = organiser.get(f"/sessions/{session.id}/modifier")
    assert 'name="referential_id"' not in text(page)
    assert "des candidats sont déjà placés" in text(page)
    # Posting another referential anyway changes nothing (the field is not read) …
    rncp = referential("RNCP_CM") or next(r for r in queries.latest_referentials()
                                          if r.code != "RS6240")
    r = organiser.post(f"/sessions/{session.id}/modifier",
                       form(number=session.number, referential_id=str(rncp.id)))
    assert r.status_code == 303
    db.session.refresh(session)
    assert session.referential.code == "RS6240"
    # … and the service refuses it outright.
    fields = services.SessionFields(session.number, rncp.id, FUTURE, time(9), "remote",
                                    video_link="https://visio.test/salle")
    with pytest.raises(services.Conflict):
        services.update_session(None, session.id, fields)


def test_the_referential_can_change_while_in_draft_without_candidates(app, organiser):
    session = make_session()
    other = next(r for r in queries.latest_referentials() if r.code != "RS6240")
    r = organiser.post(f"/sessions/{session.id}/modifier",
                       form(number=session.number, referential_id=str(other.id),
                            day=FUTURE.isoformat()))
    assert r.status_code == 303
    db.session.refresh(session)
    assert session.referential_id == other.id
    entry = next(e for e in audit("session.update") if e.details["field"] == "referential")
    assert entry.old_value == "RS6240 v1"


@pytest.mark.parametrize("status", ["deliberated", "closed", "cancelled"])
def test_a_finished_session_cannot_be_edited(app, organiser, status):
    session = make_session(status=status)
    assert organiser.get(f"/sessions/{session.id}/modifier").status_code == 409
    r = organiser.post(f"/sessions/{session.id}/modifier", form(number="NOUVEAU"))
    assert r.status_code == 409 and "ne peut plus être modifiée" in text(r)
    db.session.refresh(session)
    assert session.number != "NOUVEAU"


def test_a_session_in_progress_keeps_its_time_but_its_link_can_change(app, organiser):
    session = make_session(status="in_progress", day=date.today())
    local = form(number=session.number, day=date.today().isoformat(), start="09:00",
                 video_link="https://visio.test/nouvelle-salle")
    assert organiser.post(f"/sessions/{session.id}/modifier", local).status_code == 303
    db.session.refresh(session)
    assert session.video_link == "https://visio.test/nouvelle-salle"
    r = organiser.post(f"/sessions/{session.id}/modifier", {**local, "start": "10:00"})
    assert r.status_code == 409 and "en cours" in text(r)


# --- Cancel ------------------------------------------------------------------------------

def test_cancel_requires_a_reason(app, organiser):
    session = make_session()
    assert organiser.get(f"/sessions/{session.id}/annulation").status_code == 200
    r = organiser.post(f"/sessions/{session.id}/annulation", {"reason": "   "})
    assert r.status_code == 400 and "Indiquez le motif de l'annulation." in text(r)
    db.session.refresh(session)
    assert session.status == "draft" and not audit("session.cancel")


def test_cancel_a_session(app, organiser):
    session = make_session(status="convened")
    r = organiser.post(f"/sessions/{session.id}/annulation", {"reason": "Salle indisponible"})
    assert r.status_code == 303
    db.session.refresh(session)
    assert session.status == "cancelled" and session.cancel_reason == "Salle indisponible"
    assert session.cancelled_at is not None
    entry = audit("session.cancel")[0]
    assert (entry.old_value, entry.new_value) == ("convened", "cancelled")
    page = organiser.get(f"/sessions/{session.id}")
    assert "Session annulée le" in text(page) and "Salle indisponible" in text(page)
    listing = organiser.get("/sessions/")
    assert "is-cancelled" in text(listing)
    again = organiser.post(f"/sessions/{session.id}/annulation", {"reason": "Encore"})
    assert again.status_code == 409 and "déjà annulée" in text(again)


@pytest.mark.parametrize("status", ["in_progress", "deliberated", "closed"])
def test_a_started_session_cannot_be_cancelled(app, organiser, status):
    session = make_session(status=status)
    r = organiser.post(f"/sessions/{session.id}/annulation", {"reason": "Trop tard"})
    assert r.status_code == 409 and "ne peut plus être annulée" in text(r)
    db.session.refresh(session)
    assert session.status == status


# --- Status workflow ---------------------------------------------------------------------

def advance(web, session, target):
    return web.post(f"/sessions/{session.id}/statut", {"target": target})


def test_convened_needs_juries_candidates_and_convocations(app, organiser):
    session = make_session()
    r = advance(organiser, session, "convened")
    assert r.status_code == 409 and "Aucun jury n'est constitué" in text(r)
    jury = make_jury(session)
    r = advance(organiser, session, "convened")
    assert r.status_code == 409 and "Aucun candidat" in text(r)
    exam = place(jury, make_candidate())
    r = advance(organiser, session, "convened")
    assert r.status_code == 409 and "1 candidat n'a pas reçu de convocation à jour" in text(r)
    make_convocation(session, exam)
    r = advance(organiser, session, "convened")
    assert r.status_code == 409 and "2 jurés n'ont pas reçu de convocation" in text(r)
    for member in jury.members:
        make_convocation(session, juror_user=member.juror)
    page = organiser.get(f"/sessions/{session.id}")
    assert "Marquer la session comme convoquée" in text(page)
    assert advance(organiser, session, "convened").status_code == 303
    db.session.refresh(session)
    assert session.status == "convened"
    entry = audit("session.status")[0]
    assert (entry.old_value, entry.new_value) == ("draft", "convened")
    # A repeated click changes nothing and records nothing.
    assert advance(organiser, session, "convened").status_code == 303
    assert len(audit("session.status")) == 1


def test_convened_refuses_a_juror_whose_habilitation_was_withdrawn(app, organiser):
    session = make_session()
    jury = make_jury(session)
    exam = place(jury, make_candidate())
    make_convocation(session, exam)
    for member in jury.members:
        make_convocation(session, juror_user=member.juror)
    set_habilitation(jury.members[0].juror, "unfavourable")
    r = advance(organiser, session, "convened")
    assert r.status_code == 409 and "Jury 1 – " in text(r) and "habilitation défavorable" in text(r)


def test_in_progress_only_from_the_day_of_the_exam(app, organiser):
    session = make_session(status="convened", day=date(2030, 3, 1))
    r = advance(organiser, session, "in_progress")
    assert r.status_code == 409 and "à partir du jour de l'épreuve, le 1er mars 2030" in text(r)
    session.starts_at = paris_to_utc(date.today(), time(0, 5))
    db.session.commit()
    assert advance(organiser, session, "in_progress").status_code == 303
    db.session.refresh(session)
    assert session.status == "in_progress"


def test_deliberated_needs_every_deliberation_closed(app, organiser):
    session = make_session(status="in_progress", day=date.today())
    jury = make_jury(session)
    exam = place(jury, make_candidate(first_name="Léa", last_name="Dubois"))
    r = advance(organiser, session, "deliberated")
    assert r.status_code == 409 and "La délibération de Léa DUBOIS n'est pas encore close." in text(r)
    exam.phase = "closed"
    db.session.commit()
    r = advance(organiser, session, "deliberated")
    assert r.status_code == 409 and "procès-verbal" in text(r)
    minutes = Minutes(session_id=session.id, locked_at=utcnow(), signed_at=utcnow())
    db.session.add(minutes)
    db.session.commit()
    assert advance(organiser, session, "deliberated").status_code == 303
    r = advance(organiser, session, "closed")
    assert r.status_code == 409 and "visa" in text(r)
    minutes.visa_at = utcnow()
    db.session.commit()
    assert advance(organiser, session, "closed").status_code == 303
    db.session.refresh(session)
    assert session.status == "closed"
    assert [(e.old_value, e.new_value) for e in audit("session.status")] == [
        ("in_progress", "deliberated"), ("deliberated", "closed")]


def test_an_absent_candidate_does_not_block_the_deliberated_status(app, organiser):
    session = make_session(status="in_progress", day=date.today())
    exam = place(make_jury(session), make_candidate())
    exam.status = "absent_unexcused"
    db.session.add(Minutes(session_id=session.id, locked_at=utcnow(), signed_at=utcnow()))
    db.session.commit()
    assert advance(organiser, session, "deliberated").status_code == 303


@pytest.mark.parametrize("status, target", [
    ("draft", "in_progress"), ("draft", "closed"), ("convened", "deliberated"),
    ("closed", "convened"), ("cancelled", "convened"), ("in_progress", "convened"),
])
def test_the_status_moves_one_step_forward_only(app, organiser, status, target):
    session = make_session(status=status)
    r = advance(organiser, session, target)
    assert r.status_code == 409 and "ne peut pas passer à" in text(r)
    db.session.refresh(session)
    assert session.status == status


def test_an_unknown_status_is_bad_input(app, organiser):
    session = make_session()
    assert advance(organiser, session, "cancelled").status_code == 400
    assert advance(organiser, session, "").status_code == 400


def test_the_page_shows_why_the_next_step_is_not_possible(app, organiser):
    session = make_session()
    page = organiser.get(f"/sessions/{session.id}")
    assert "Étape suivante : Convocations envoyées." in text(page)
    assert "Pas encore possible : Aucun jury n'est constitué" in text(page)


def test_grids_are_counted_as_an_evaluation_started(app):
    session = make_session(status="in_progress", day=date.today())
    jury = make_jury(session)
    exam = place(jury, make_candidate())
    db.session.add(Grid(exam_id=exam.id, juror_id=jury.members[0].juror_id))
    db.session.commit()
    assert lifecycle.session_facts(session).graded == {exam.id}
