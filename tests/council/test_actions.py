"""Corrective actions: proposing, each move through `operations.move` (allowed, refused), the
evidence file, the owner's own steps, the list and the action's page."""
import io
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from flask import current_app

from certif.audit.models import AuditEntry
from certif.auth.models import JUROR
from certif.council.actions import queries as actions
from certif.council.models import (
    ADOPTED,
    APPLIED,
    IN_PROGRESS,
    PROPOSED,
    SET_ASIDE,
    VERIFIED,
    CorrectiveAction,
    CouncilReview,
)
from certif.extensions import db

from ..factories.council import make_action, make_meeting, make_review
from ..factories.files import SMALL_PDF
from ..factories.users import make_user
from .helpers import COUNCIL_DAY

TODAY = COUNCIL_DAY
pytestmark = pytest.mark.usefixtures("fixed_today")
PDF = SMALL_PDF


@pytest.fixture
def review(sheet):
    return make_review(anomaly=sheet, signed=True)


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action=action)))


def move(web, action, target, **data):
    return web.post(f"/conseil/actions/{action.id}/statut", {"target": target, **data})


def reload(action) -> CorrectiveAction:
    return db.session.get(CorrectiveAction, action.id)


def evidence_files() -> list[Path]:
    folder = Path(current_app.config["FILES_DIR"]) / "uploads" / "evidence"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- Proposing -----------------------------------------------------------------------------

def test_proposing_on_a_sheet_creates_its_review_and_a_proposed_action(sheet, council, organiser_user):
    response = council.post(f"/conseil/fiches/anomalie/{sheet.id}/actions", {
        "title": "Envoyer un test de connexion la veille", "description": "Par courriel.",
        "owner": str(organiser_user.id), "due_on": "2026-12-31"})
    assert response.status_code == 303
    [action] = db.session.scalars(db.select(CorrectiveAction)).all()
    review = db.session.scalar(db.select(CouncilReview).filter_by(anomaly_sheet_id=sheet.id))
    assert action.review_id == review.id and action.status == PROPOSED
    assert (action.owner_id, action.owner_name) == (organiser_user.id, organiser_user.full_name)
    assert action.due_on == date(2026, 12, 31) and action.proposed_by_id is not None
    [entry] = audit("action.propose")
    assert entry.entity_id == action.id and entry.new_value == PROPOSED


def test_an_action_may_be_owned_by_someone_without_an_account(sheet, council):
    response = council.post(f"/conseil/fiches/anomalie/{sheet.id}/actions", {
        "title": "Revoir la salle", "owner": "autre", "owner_name": "  Jean   Dupont ",
        "due_on": "2026-12-20"})
    assert response.status_code == 303
    action = db.session.scalar(db.select(CorrectiveAction))
    assert (action.owner_id, action.owner_name) == (None, "Jean Dupont")


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "Indiquez l'action corrective"),
    ({"due_on": "2026-12-09"}, "L'échéance ne peut pas être dans le passé."),
    ({"due_on": ""}, "Indiquez l'échéance de l'action."),
    ({"owner": ""}, "Choisissez le responsable"),
    ({"owner": "autre", "owner_name": ""}, "Choisissez le responsable"),
    ({"owner": "99999"}, "Responsable inconnu"),
])
def test_a_bad_proposal_is_a_400_and_nothing_is_written(sheet, council, council_user, overrides,
                                                        message):
    data = {"title": "Revoir la salle", "owner": str(council_user.id), "due_on": "2026-12-31", **overrides}
    response = council.post(f"/conseil/fiches/anomalie/{sheet.id}/actions", data)
    assert response.status_code == 400
    assert message in unescape(response.text)
    assert db.session.scalar(db.select(db.func.count(CorrectiveAction.id))) == 0
    assert db.session.scalar(db.select(db.func.count(CouncilReview.id))) == 0


def test_a_juror_cannot_own_an_action(sheet, council, exam_setup):
    response = council.post(f"/conseil/fiches/anomalie/{sheet.id}/actions", {
        "title": "X", "owner": str(exam_setup.president.id), "due_on": "2026-12-31"})
    assert response.status_code == 400


def test_new_action_page_for_a_review_and_for_a_meeting(review, council, council_user):
    page = council.get(f"/conseil/actions/nouvelle?review={review.id}")
    assert page.status_code == 200
    assert f"Fiche anomalie n° {review.anomaly_sheet_id} — " in unescape(page.text)
    response = council.post(f"/conseil/actions/nouvelle?review={review.id}", {
        "title": "Former les jurés", "owner": str(council_user.id), "due_on": "2027-01-15"})
    assert response.status_code == 303
    action = db.session.scalar(db.select(CorrectiveAction).filter_by(title="Former les jurés"))
    assert response.headers["Location"].endswith(f"/conseil/actions/{action.id}")
    assert action.review_id == review.id and action.meeting_id is None

    meeting = make_meeting(members=[council_user])
    assert council.get(f"/conseil/actions/nouvelle?meeting={meeting.id}").status_code == 200
    response = council.post(f"/conseil/actions/nouvelle?meeting={meeting.id}", {
        "title": "Revoir le référentiel", "owner": str(council_user.id), "due_on": "2027-03-01"})
    assert response.status_code == 303
    action = db.session.scalar(db.select(CorrectiveAction).filter_by(title="Revoir le référentiel"))
    assert action.meeting_id == meeting.id and action.review_id is None
    assert len(audit("action.propose")) == 2


def test_new_action_needs_an_existing_origin(council):
    assert council.get("/conseil/actions/nouvelle").status_code == 400
    assert council.get("/conseil/actions/nouvelle?review=abc").status_code == 400
    assert council.get("/conseil/actions/nouvelle?review=999").status_code == 404
    assert council.get("/conseil/actions/nouvelle?meeting=999").status_code == 404


def test_a_bad_new_action_form_is_a_400(review, council):
    response = council.post(f"/conseil/actions/nouvelle?review={review.id}", {"title": "X"})
    assert response.status_code == 400
    assert "Choisissez le responsable" in unescape(response.text)
    assert db.session.scalar(db.select(db.func.count(CorrectiveAction.id))) == 0


# --- Moving, all the way -------------------------------------------------------------------

def test_an_action_goes_from_proposed_to_verified_with_its_times_and_audit(review, council, make_web):
    action = make_action(review, status=PROPOSED)
    assert move(council, action, ADOPTED).status_code == 303
    assert reload(action).status == ADOPTED and reload(action).adopted_at is not None
    assert move(council, action, IN_PROGRESS).status_code == 303
    assert reload(action).started_at is not None
    assert move(council, action, APPLIED, note="Courriel envoyé.").status_code == 303
    assert reload(action).applied_note == "Courriel envoyé." and reload(action).applied_at is not None
    # Not effective: back to in progress, then applied again.
    assert move(council, action, IN_PROGRESS, note="Pas reçu par tous.").status_code == 303
    assert reload(action).status == IN_PROGRESS
    assert move(council, action, APPLIED).status_code == 303
    # Verified by another council member than the one who applied it.
    other = make_web(make_user("council", first_name="Manon", last_name="Garcia"))
    response = move(other, action, VERIFIED, evidence_text="Tous les candidats l'ont reçu.")
    assert response.status_code == 303
    done = reload(action)
    assert done.status == VERIFIED and done.verified_at is not None
    assert done.evidence_text == "Tous les candidats l'ont reçu." and done.evidence_file is None
    steps = [e.action for e in db.session.scalars(
        db.select(AuditEntry).filter_by(entity="corrective_action", entity_id=action.id)
        .order_by(AuditEntry.id))]
    assert steps == ["action.adopt", "action.start", "action.apply", "action.reopen", "action.apply",
                     "action.verify"]
    page = unescape(council.get(f"/conseil/actions/{action.id}").text)
    assert "Tous les candidats l'ont reçu." in page and "Pas reçu par tous." in page


def test_a_proposal_is_set_aside_with_a_reason(review, council):
    action = make_action(review, status=PROPOSED)
    response = move(council, action, SET_ASIDE)
    assert response.status_code == 400
    assert "Indiquez pourquoi la proposition est écartée." in unescape(response.text)
    assert reload(action).status == PROPOSED
    assert move(council, action, SET_ASIDE, reason="Hors de notre portée.").status_code == 303
    assert reload(action).status == SET_ASIDE
    assert reload(action).set_aside_reason == "Hors de notre portée."
    [entry] = audit("action.set_aside")
    assert entry.details["reason"] == "Hors de notre portée."


@pytest.mark.parametrize("status, target, message", [
    (ADOPTED, SET_ASIDE, "Une action adoptée est obligatoire"),
    (IN_PROGRESS, SET_ASIDE, "Une action adoptée est obligatoire"),
    (PROPOSED, VERIFIED, "ne peut pas passer à « Vérifiée »"),
    (ADOPTED, APPLIED, "ne peut pas passer à « Appliquée »"),
    (ADOPTED, ADOPTED, "L'action est déjà « Adoptée »"),
    (SET_ASIDE, ADOPTED, "ne peut pas passer"),
])
def test_impossible_moves_are_409_with_the_rules_message(review, council, status, target, message):
    action = make_action(review, status=status)
    response = move(council, action, target, evidence_text="x", reason="x")
    assert response.status_code == 409
    assert message in unescape(response.text)
    assert reload(action).status == status
    assert not [e for e in db.session.scalars(db.select(AuditEntry)) if e.action.startswith("action.")]


def test_an_unknown_target_is_400(review, council):
    action = make_action(review)
    assert move(council, action, "done").status_code == 400


def test_verifying_without_evidence_is_400_and_nothing_is_written(review, council):
    action = make_action(review, status=APPLIED)
    response = council.post(f"/conseil/actions/{action.id}/statut", {
        "target": VERIFIED, "evidence_text": "   ",
        "evidence_file": (io.BytesIO(PDF), "preuve.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "décrivez la preuve" in unescape(response.text)
    assert reload(action).status == APPLIED and reload(action).evidence_file is None
    assert evidence_files() == [] and audit("action.verify") == []


def test_a_pdf_evidence_is_stored_and_downloaded_as_an_attachment(review, council, make_web, organiser_user):
    action = make_action(review, status=APPLIED)
    response = council.post(f"/conseil/actions/{action.id}/statut", {
        "target": VERIFIED, "evidence_text": "Compte rendu joint.",
        "evidence_file": (io.BytesIO(PDF), "compte-rendu.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 303
    done = reload(action)
    assert done.status == VERIFIED and done.evidence_filename == "compte-rendu.pdf"
    assert done.evidence_mime == "application/pdf" and len(done.evidence_sha256) == 64
    [stored] = evidence_files()
    assert stored.name == done.evidence_file and stored.read_bytes() == PDF
    assert "compte-rendu" not in stored.name  # a random name
    [entry] = audit("action.verify")
    assert entry.details["evidence_file"] == "compte-rendu.pdf"
    for web in (council, make_web(organiser_user)):
        download = web.get(f"/conseil/actions/{action.id}/preuve")
        assert download.status_code == 200 and download.data == PDF
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert "compte-rendu.pdf" in download.headers["Content-Disposition"]
    assert make_web(make_user(JUROR)).get(f"/conseil/actions/{action.id}/preuve").status_code == 403


def test_png_and_jpeg_evidence_are_accepted_by_their_content(app):
    from certif.council import storage
    assert storage.check(b"\x89PNG\r\n\x1a\n" + b"0" * 20, "photo.png").mime == "image/png"
    assert storage.check(b"\xff\xd8\xff\xe0" + b"0" * 20, "C:\\scans\\photo.jpg").filename == "photo.jpg"


@pytest.mark.parametrize("data, message", [
    (b"MZ\x90\x00 not a pdf at all", "ni un PDF, ni une image"),  # an .exe renamed .pdf
    (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n", "trop volumineux : 5 Mo au maximum"),
    (b"", "Le fichier de preuve est vide"),
])
def test_a_bad_evidence_file_is_refused_and_nothing_is_written(review, council, data, message):
    action = make_action(review, status=APPLIED)
    response = council.post(f"/conseil/actions/{action.id}/statut", {
        "target": VERIFIED, "evidence_text": "Voir le fichier.",
        "evidence_file": (io.BytesIO(data), "preuve.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in unescape(response.text)
    assert reload(action).status == APPLIED and evidence_files() == []
    assert audit("action.verify") == []


def test_no_evidence_file_to_download_is_404(review, council):
    action = make_action(review, status=APPLIED)
    assert council.get(f"/conseil/actions/{action.id}/preuve").status_code == 404


# --- The owner -----------------------------------------------------------------------------

def test_the_owner_starts_and_applies_their_own_action_but_does_not_verify_it(review, make_web,
                                                                              organiser_user):
    action = make_action(review, owner=organiser_user, status=ADOPTED)
    web = make_web(organiser_user)
    page = unescape(web.get(f"/conseil/actions/{action.id}").text)
    assert "Commencer" in page
    assert move(web, action, IN_PROGRESS).status_code == 303
    assert move(web, action, APPLIED, note="Fait le 9 décembre.").status_code == 303
    assert reload(action).status == APPLIED and reload(action).applied_note == "Fait le 9 décembre."
    assert [e.actor_id for e in audit("action.apply")] == [organiser_user.id]
    page = unescape(web.get(f"/conseil/actions/{action.id}").text)
    assert "Marquer vérifiée" not in page and "Remettre en cours" not in page
    response = move(web, action, VERIFIED, evidence_text="Je certifie.")
    assert response.status_code == 403
    assert "Seul le conseil de pilotage peut vérifier" in unescape(response.text)
    assert move(web, action, IN_PROGRESS).status_code == 403
    assert reload(action).status == APPLIED


def test_a_refused_verification_reads_no_file(review, make_web, organiser_user):
    action = make_action(review, owner=organiser_user, status=APPLIED)
    response = make_web(organiser_user).post(f"/conseil/actions/{action.id}/statut", {
        "target": VERIFIED, "evidence_text": "Vu.",
        "evidence_file": (io.BytesIO(b"MZ not a pdf"), "preuve.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 403 and evidence_files() == []


def test_the_owner_may_not_adopt_nor_set_aside(review, make_web, organiser_user):
    action = make_action(review, owner=organiser_user, status=PROPOSED)
    web = make_web(organiser_user)
    assert move(web, action, ADOPTED).status_code == 403
    assert move(web, action, SET_ASIDE, reason="Non.").status_code == 403
    assert reload(action).status == PROPOSED


def test_someone_elses_action_is_403_for_an_organiser_and_404_for_a_juror(review, make_web, organiser_user,
                                                                          council_user):
    action = make_action(review, owner=council_user, status=ADOPTED)
    assert move(make_web(organiser_user), action, IN_PROGRESS).status_code == 403
    juror = make_web(make_user(JUROR))
    assert juror.get(f"/conseil/actions/{action.id}").status_code == 404
    assert move(juror, action, IN_PROGRESS).status_code == 404
    assert reload(action).status == ADOPTED


def test_a_juror_who_owns_an_action_reaches_it(review, make_web):
    juror = make_user(JUROR)
    action = make_action(review, owner=juror, status=ADOPTED)
    web = make_web(juror)
    assert web.get(f"/conseil/actions/{action.id}").status_code == 200
    assert move(web, action, IN_PROGRESS).status_code == 303
    assert web.get("/conseil/actions").status_code == 403


# --- The list and the page -----------------------------------------------------------------

def test_the_list_puts_overdue_first_and_filters(review, council, organiser_user):
    later = make_action(review, title="Plus tard", due_on=date(2026, 12, 20), owner=organiser_user)
    late = make_action(review, title="En retard", status=IN_PROGRESS, due_on=date(2026, 12, 9))
    applied = make_action(review, title="Appliquée", status=APPLIED, due_on=date(2026, 12, 1))
    page = unescape(council.get("/conseil/actions").text)
    assert page.index("En retard</a>") < page.index("Appliquée</a>") < page.index("Plus tard</a>")
    assert page.count('class="badge ko nowrap">En retard') == 1

    def titles(query):
        return [a.title for a in actions.list_actions(actions.parse_filters(query), TODAY)]

    assert titles({"en_retard": "1"}) == [late.title]
    assert titles({"statut": APPLIED}) == [applied.title]
    assert titles({"responsable": organiser_user.full_name}) == [later.title]
    page = council.get("/conseil/actions?en_retard=1")
    assert "En retard</a>" in page.text and "Plus tard</a>" not in page.text


@pytest.mark.parametrize("query", ["statut=fini", "en_retard=oui", "responsable=Personne"])
def test_a_bad_list_filter_is_400(review, council, query):
    make_action(review)
    response = council.get(f"/conseil/actions?{query}")
    assert response.status_code == 400 and "Filtre invalide" in unescape(response.text)


def test_the_action_page_shows_its_sheet_and_history(review, council):
    action = make_action(review, status=PROPOSED)
    move(council, action, ADOPTED)
    page = unescape(council.get(f"/conseil/actions/{action.id}").text)
    assert f"/conseil/fiches/anomalie/{review.anomaly_sheet_id}" in page
    assert "Fiche anomalie n° " in page and ", session n°" in page and "Adoptée, par Sylvie MOSCOU" in page
    assert council.get("/conseil/actions/9999").status_code == 404


def test_the_review_page_offers_only_the_next_steps(review, council):
    make_action(review, status=PROPOSED, title="A")
    page = unescape(council.get(f"/conseil/fiches/anomalie/{review.anomaly_sheet_id}").text)
    assert ">Adopter<" in page and "Écarter" in page and "Marquer vérifiée" not in page
