"""The council's pages as the acceptance walkthrough (issue 5) used them: forms prefilled from the
database when another form of the page is refused, refusals that keep the user on the page
with what they typed, sheets told apart wherever they are listed, the meeting PDF's sheets
table, the candidate's PDF of their sheet, French ("d'ALLOKOM", "n°"), and signing an opinion
that has no text."""
import io
import os
import re
from datetime import datetime
from html import unescape

import pypdf
import pytest

from certif.audit.models import AuditEntry
from certif.candidates.links import make_token
from certif.council.meetings import meeting_pdf
from certif.council.models import APPLIED, CorrectiveAction, CouncilReview
from certif.extensions import db
from certif.signatures.models import COUNCIL_OPINION, Signature

from ..factories.council import make_action, make_anomaly, make_meeting, make_review
from ..factories.examday import make_breach_sheet
from ..factories.sessions import make_exam
from .helpers import COUNCIL_DAY

TODAY = COUNCIL_DAY
pytestmark = pytest.mark.usefixtures("fixed_today")


def page_text(response) -> str:
    return unescape(response.text)


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action=action)))


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def review_url(sheet) -> str:
    return f"/conseil/fiches/anomalie/{sheet.id}"


# --- 1. The forms not posted show the database -------------------------------------------

def test_a_refused_action_form_leaves_the_opinion_form_filled_with_the_saved_draft(sheet, council):
    assert council.post(f"{review_url(sheet)}/avis", {
        "opinion_date": "2026-12-05", "commission_number": "2026-07",
        "opinion": "Brouillon : prévenir les candidats."}).status_code == 303

    response = council.post(f"{review_url(sheet)}/actions", {"title": "", "owner": "", "due_on": ""})
    assert response.status_code == 400
    page = page_text(response)
    assert "L'action contient des erreurs" in page
    # The opinion form shows the draft, not empty fields.
    assert 'name="commission_number" type="text" value="2026-07"' in page
    assert re.search(r'name="opinion_date"[^>]*value="2026-12-05"', page)
    assert ">\r\nBrouillon : prévenir les candidats.</textarea>" in page


def test_a_refused_closing_leaves_the_opinion_form_filled_too(sheet, council):
    council.post(f"{review_url(sheet)}/avis", {
        "opinion_date": "2026-12-05", "commission_number": "2026-08", "opinion": "Avis en cours."})
    response = council.post(f"{review_url(sheet)}/cloture", {"note": "Fin."})
    assert response.status_code == 303
    page = page_text(council.get(response.headers["Location"]))
    assert 'value="2026-08"' in page and ">\r\nAvis en cours.</textarea>" in page


# --- 2. Refusals keep the user on the page, with what they typed ---------------------------

def test_verifying_from_the_review_page_with_a_bad_file_shows_the_review_page_again(sheet, council):
    review = make_review(anomaly=sheet, signed=True)
    action = make_action(review, status=APPLIED)
    response = council.post(f"/conseil/actions/{action.id}/statut", {
        "target": "verified", "next": f"{review_url(sheet)}#actions",
        "evidence_text": "Affiche posée en salle 3.",
        "evidence_file": (io.BytesIO(b"not a pdf at all"), "preuve.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    page = page_text(response)
    assert "<h2 id=\"titre-avis\">" in page  # the review page, not a bare error page
    assert "ni un PDF, ni une image PNG ou JPEG" in page
    assert ">Affiche posée en salle 3.</textarea>" in page  # what was typed is kept
    assert re.search(r'<details class="panel" open>\s*<summary>Marquer vérifiée</summary>', page)
    assert db.session.get(CorrectiveAction, action.id).status == APPLIED
    assert audit("action.verify") == []


def test_verifying_without_evidence_on_the_action_page_shows_the_action_page_again(sheet, council):
    review = make_review(anomaly=sheet, signed=True)
    action = make_action(review, status=APPLIED)
    response = council.post(f"/conseil/actions/{action.id}/statut", {
        "target": "verified", "next": f"/conseil/actions/{action.id}", "evidence_text": "  "})
    assert response.status_code == 400
    page = page_text(response)
    assert f"<h1>{action.title}</h1>" in page and "Historique" in page
    assert "décrivez la preuve de son application" in page
    assert db.session.get(CorrectiveAction, action.id).status == APPLIED


def test_a_refused_closing_shows_the_review_page_with_the_reason_and_the_note(sheet, council):
    make_review(anomaly=sheet)  # opinion not signed
    response = council.post(f"{review_url(sheet)}/cloture", {"note": "Tout est en ordre."})
    # Back on the sheet's own page (issue 13, item 2), not a page answered at the POST's address.
    assert response.status_code == 303
    assert response.headers["Location"] == f"{review_url(sheet)}#cloture"
    page = page_text(council.get(response.headers["Location"]))
    closing = page[page.index('id="cloture"'):]
    assert "L'avis du comité de pilotage n'est pas encore signé" in closing
    assert 'role="alert" id="cloture-erreur"' in closing
    assert ">\r\nTout est en ordre.</textarea>" in closing
    assert db.session.scalar(db.select(CouncilReview)).closed_at is None
    # Read once: the page reloaded shows neither the reason nor the note.
    again = page_text(council.get(review_url(sheet)))
    assert 'id="cloture-erreur"' not in again and "Tout est en ordre." not in again


def test_a_refused_closing_with_a_long_note_says_it_was_not_kept(sheet, council):
    make_review(anomaly=sheet)
    note = "Très long. " * 200
    response = council.post(f"{review_url(sheet)}/cloture", {"note": note})
    page = page_text(council.get(response.headers["Location"]))
    assert "L'avis du comité de pilotage n'est pas encore signé" in page
    assert "Votre note, trop longue pour être gardée, est à saisir de nouveau." in page


def test_the_step_forms_come_back_to_the_page_own_address_not_the_posted_one(sheet, council):
    review = make_review(anomaly=sheet, signed=True)
    action = make_action(review, status=APPLIED)
    refused = council.post(f"{review_url(sheet)}/actions", {"title": "", "owner": "", "due_on": ""})
    assert refused.status_code == 400  # the review page, answered at .../actions
    assert f'name="next" value="{review_url(sheet)}#actions"' in page_text(refused)
    response = council.post(f"/conseil/actions/{action.id}/statut", {
        "target": "verified", "next": f"/conseil/actions/{action.id}", "evidence_text": " "})
    assert response.status_code == 400
    assert f'name="next" value="/conseil/actions/{action.id}"' in page_text(response)


# --- 4. and 5. Dates and names of the sheets ------------------------------------------------

def test_inbox_and_home_show_the_exam_date_the_filing_date_and_the_sheets_names(exam_setup, council):
    sheet = make_anomaly(exam_setup.session, exam_setup.president, filed_at=datetime(2026, 12, 3, 9, 0))
    breach = make_breach_sheet(exam_setup.jury)
    inbox = page_text(council.get("/conseil/fiches"))
    assert "Date de l'épreuve" in inbox and "Déposée le" in inbox
    assert f">Fiche anomalie n° {sheet.id} — {exam_setup.president.full_name}</a>" in inbox
    assert ">Conditions d'examen — Jury 1, 1er décembre 2026</a>" in inbox
    assert "3 décembre 2026" in inbox and "1er décembre 2026" in inbox
    home = page_text(council.get("/conseil/"))
    assert f"Fiche anomalie n° {sheet.id} — {exam_setup.president.full_name}" in home
    assert "Épreuve du 1er décembre 2026 · déposée le 3 décembre 2026" in home
    assert "Conditions d'examen — Jury 1, 1er décembre 2026" in home
    review = page_text(council.get(f"/conseil/fiches/conditions/{breach.id}"))
    assert "<h1>Conditions d'examen — Jury 1, 1er décembre 2026</h1>" in review


def test_meeting_form_and_page_name_each_sheet_and_link_it_to_its_review(exam_setup, council):
    sheet = make_anomaly(exam_setup.session, exam_setup.president)
    other = make_anomaly(exam_setup.session, exam_setup.member)
    form = page_text(council.get("/conseil/reunions/nouvelle"))
    assert f"Fiche anomalie n° {sheet.id} — {exam_setup.president.full_name}" in form
    assert f"Fiche anomalie n° {other.id} — {exam_setup.member.full_name}" in form
    meeting = make_meeting(sessions=[exam_setup.session])
    meeting.reviews = [make_review(anomaly=sheet)]
    db.session.commit()
    page = page_text(council.get(f"/conseil/reunions/{meeting.id}"))
    assert (f'<a href="/conseil/fiches/anomalie/{sheet.id}">Fiche anomalie n° {sheet.id} — '
            f'{exam_setup.president.full_name}</a>') in page


# --- 6. The meeting PDF's sheets table -------------------------------------------------------

def test_meeting_pdf_keeps_long_session_numbers_in_their_column(app, council_user):
    setup = make_exam()
    setup.session.number = "2026-RS6240-00"
    db.session.commit()
    sheet = make_anomaly(setup.session, setup.president)
    breach = make_breach_sheet(setup.jury)
    meeting = make_meeting(sessions=[setup.session], members=[council_user])
    meeting.reviews = [make_review(anomaly=sheet), make_review(conditions=breach)]
    db.session.commit()
    data = meeting_pdf(meeting)
    if os.environ.get("COUNCIL_PDF_OUT"):  # to look at it: pdftoppm -png -r 60
        with open(os.environ["COUNCIL_PDF_OUT"], "wb") as out:
            out.write(data)
    text = pdf_text(data)
    assert "n° 2026-RS6240-00" in text  # whole, on one line of its cell
    assert f"Fiche anomalie n° {sheet.id} — {setup.president.full_name}" in text
    assert "Conditions d'examen — Jury 1, 1er décembre 2026" in text
    assert f"{council_user.full_name}" in text  # members: first name then last name


# --- 7. The candidate's PDF of their own sheet ---------------------------------------------

def test_a_candidate_downloads_the_pdf_of_a_sheet_they_filed_and_only_theirs(app, exam_setup, web):
    candidate = exam_setup.exam.candidate
    mine = make_anomaly(exam_setup.session, candidate, kind="candidate")
    other_setup = make_exam()
    theirs = make_anomaly(other_setup.session, other_setup.exam.candidate, kind="candidate")
    staff = make_anomaly(exam_setup.session, exam_setup.president)
    with app.test_request_context():
        token = make_token(candidate)

    home = page_text(web.get(f"/c/{token}"))
    link = f"/c/{token}/anomalies/{mine.id}.pdf"
    assert f'href="{link}">Fiche anomalie n° {mine.id} (PDF)</a>' in home
    assert "responsable d'organisation de la certification d'ALLOKOM" in home  # not « de ALLOKOM »

    response = web.get(link)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "FICHE ANOMALIE" in pdf_text(response.data)
    for sheet in (theirs, staff):
        refused = web.get(f"/c/{token}/anomalies/{sheet.id}.pdf")
        assert refused.status_code == 404 and "Fiche anomalie introuvable." in page_text(refused)
    assert web.get(f"/c/{token}/anomalies/999999.pdf").status_code == 404


# --- 8. French -------------------------------------------------------------------------------

def test_council_pages_share_one_breadcrumb_and_spell_n_degree_in_lowercase(sheet, council):
    meeting = make_meeting(sessions=[sheet.session])
    for url in ("/conseil/fiches", "/conseil/actions", "/conseil/reunions/",
                f"/conseil/reunions/{meeting.id}", "/conseil/reunions/nouvelle", "/conseil/indicateurs/",
                review_url(sheet)):
        page = page_text(council.get(url))
        assert '<p class="crumbs"><a href="/conseil/">Conseil de pilotage</a> ›' in page, url
    review = page_text(council.get(review_url(sheet)))
    assert "N° " not in review and "Commission n°" in review


# --- 9. An opinion without text: a draft, not a signature ----------------------------------

def test_an_opinion_without_text_may_be_saved_but_not_signed(sheet, council):
    response = council.post(f"{review_url(sheet)}/avis", {
        "opinion_date": "2026-12-05", "commission_number": "2026-09", "opinion": "  "})
    assert response.status_code == 303
    review = db.session.scalar(db.select(CouncilReview))
    assert (review.commission_number, review.opinion) == ("2026-09", None)
    page = page_text(council.get(review_url(sheet)))
    assert "Signer l'avis</button>" not in page  # the pad is not offered
    assert 'value="2026-09"' in page  # the draft is shown in the form

    response = council.post(f"{review_url(sheet)}/avis/signature", {
        "signature_method": "typed", "signature_typed": "Sylvie Moscou", "content_sha256": "0" * 64})
    assert response.status_code == 400
    assert "Le texte de l'avis est vide" in page_text(response)
    assert db.session.get(CouncilReview, review.id).opinion_signed_at is None
    assert db.session.scalars(db.select(Signature).filter_by(document=COUNCIL_OPINION)).all() == []
    assert audit("council.opinion_sign") == []
