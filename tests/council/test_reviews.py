"""The council's inbox and its review of a sheet: opinion (draft, signed, frozen), closing,
and who may do what."""
import re
from datetime import date, datetime
from html import unescape

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import JUROR, ORGANISER
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
from certif.council.reviews import inbox, sheets
from certif.council.reviews import operations as review_ops
from certif.extensions import db
from certif.signatures.models import COUNCIL_OPINION, Signature

from ..factories.council import make_action, make_anomaly, make_review
from ..factories.examday import make_breach_sheet
from ..factories.sessions import make_exam
from ..factories.users import make_user
from .helpers import COUNCIL_DAY

TODAY = COUNCIL_DAY
pytestmark = pytest.mark.usefixtures("fixed_today")
SEEN_RE = re.compile(r'name="content_sha256" value="([0-9a-f]{64})"')


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action=action)))


def anomaly_url(sheet) -> str:
    return f"/conseil/fiches/anomalie/{sheet.id}"


def opinion_data(**overrides) -> dict:
    return {"opinion_date": "2026-12-05", "commission_number": "2026-03",
            "opinion": "Anomalie technique : prévenir les candidats.", **overrides}


def sign_data(web, page_url: str, **overrides) -> dict:
    seen = SEEN_RE.search(web.get(page_url).text).group(1)
    return {"signature_method": "typed", "signature_typed": "Sylvie Moscou",
            "content_sha256": seen, **overrides}


# --- Inbox ---------------------------------------------------------------------------------

def test_inbox_lists_both_kinds_newest_first_with_derived_status(exam_setup, council):
    old = make_anomaly(exam_setup.session, exam_setup.president, filed_at=datetime(2026, 12, 1, 10, 0),
                       anomaly_type="timing")
    breach = make_breach_sheet(exam_setup.jury)  # handed 1 December, 18:00
    new = make_anomaly(exam_setup.session, exam_setup.member, filed_at=datetime(2026, 12, 2, 9, 0))
    make_breach_sheet(make_exam().jury, handed=False)  # not handed: not the council's yet
    make_review(anomaly=new, signed=True)
    make_review(conditions=breach, signed=True, closed=True)

    rows = inbox.inbox_rows()
    assert [(r.kind, r.sheet.id) for r in rows] == [("anomaly", new.id), ("conditions", breach.id),
                                                   ("anomaly", old.id)]
    assert [r.status_label for r in rows] == ["Actions en cours", "Clôturée", "À examiner"]

    page = unescape(council.get("/conseil/fiches").text)
    assert page.index(f"/conseil/fiches/anomalie/{new.id}") < page.index(
        f"/conseil/fiches/conditions/{breach.id}") < page.index(f"/conseil/fiches/anomalie/{old.id}")
    # Each sheet named so that it is told apart: its number and who filed it, or its jury and day.
    assert f"Fiche anomalie n° {new.id} — {new.observed_by}" in page
    assert "Conditions d'examen — Jury 1, 1er décembre 2026" in page and "Respect du temps d'examen" in page
    assert "Temps d'examen" in page and old.observed_by in page
    assert "3 fiches." in page


def test_inbox_filters_by_session_and_status(exam_setup, council):
    first = make_anomaly(exam_setup.session, exam_setup.president)
    other = make_exam()
    second = make_anomaly(other.session, other.president)
    make_review(anomaly=second, signed=True)

    page = council.get(f"/conseil/fiches?session={other.session.id}")
    assert page.status_code == 200
    assert anomaly_url(second) in page.text and anomaly_url(first) not in page.text

    page = council.get("/conseil/fiches?statut=a-examiner")
    assert anomaly_url(first) in page.text and anomaly_url(second) not in page.text

    page = council.get(f"/conseil/fiches?statut=actions-en-cours&session={exam_setup.session.id}")
    assert "Aucune fiche pour ces filtres." in unescape(page.text)


def test_inbox_htmx_gets_the_rows_only_and_a_plain_get_the_whole_page(sheet, council):
    fragment = council.get("/conseil/fiches?statut=a-examiner", htmx=True)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="fiches">') and "<html" not in fragment.text
    assert anomaly_url(sheet) in fragment.text
    full = council.get("/conseil/fiches?statut=a-examiner")
    assert "<html" in full.text and '<div id="fiches">' in full.text


@pytest.mark.parametrize("query", ["statut=ouverte", "session=abc", "session=99999", "session=-1"])
def test_inbox_bad_filter_is_a_400_in_french(sheet, council, query):
    response = council.get(f"/conseil/fiches?{query}")
    assert response.status_code == 400
    assert "Filtre invalide" in unescape(response.text)


# --- The review page -----------------------------------------------------------------------

def test_review_page_of_an_anomaly_suggests_today_and_the_next_commission(exam_setup, sheet, council):
    other = make_anomaly(exam_setup.session, exam_setup.member)
    make_review(anomaly=other, commission="2026-07")
    page = unescape(council.get(anomaly_url(sheet)).text)
    assert sheet.description in page and sheet.consequence in page
    assert 'value="2026-08"' in page and 'value="2026-12-10"' in page
    assert "Proposer une action corrective" in page and "Clôturer la fiche" in page


def test_next_commission_number():
    assert review_ops.next_commission_number(None, 2026) == "2026-01"
    assert review_ops.next_commission_number("2026-09", 2026) == "2026-10"
    assert review_ops.next_commission_number("7", 2027) == "8"
    assert review_ops.next_commission_number("CP-099", 2027) == "CP-100"
    assert review_ops.next_commission_number("Commission de juin", 2027) == "2027-01"


def test_review_page_of_a_conditions_sheet_highlights_what_was_not_respected(exam_setup, council):
    breach = make_breach_sheet(exam_setup.jury, breached=(5, 11))
    response = council.get(f"/conseil/fiches/conditions/{breach.id}")
    page = unescape(response.text)
    assert response.status_code == 200
    assert page.count("condition-breached") == 2 and page.count("Non respectée") == 2
    assert "Organisation des jurys" in page and "Conditions générales d'examen" in page
    assert breach.observations in page and exam_setup.president.full_name in page
    assert f"/conditions/{breach.id}.pdf" in page


def test_sheets_that_are_not_the_councils_are_404(exam_setup, council):
    respected = make_breach_sheet(exam_setup.jury, breached=())
    unhanded = make_breach_sheet(make_exam().jury, handed=False)
    for sheet_id in (respected.id, unhanded.id, 9999):
        assert council.get(f"/conseil/fiches/conditions/{sheet_id}").status_code == 404
    assert council.get("/conseil/fiches/anomalie/9999").status_code == 404
    assert council.post(f"/conseil/fiches/conditions/{respected.id}/avis",
                            opinion_data()).status_code == 404


# --- Opinion -------------------------------------------------------------------------------

def test_the_opinion_is_saved_as_a_draft_on_a_review_created_then(sheet, council):
    response = council.post(f"{anomaly_url(sheet)}/avis", opinion_data())
    assert response.status_code == 303
    review = db.session.scalar(db.select(CouncilReview).filter_by(anomaly_sheet_id=sheet.id))
    assert (review.opinion_date, review.commission_number) == (date(2026, 12, 5), "2026-03")
    assert review.opinion_signed_at is None
    [entry] = audit("council.opinion")
    assert entry.entity_id == review.id and "2026-03" in entry.new_value
    # Still "to examine" until signed.
    assert inbox.inbox_rows()[0].status_label == "À examiner"
    # Changed again, same review.
    council.post(f"{anomaly_url(sheet)}/avis", opinion_data(commission_number="2026-04"))
    assert db.session.scalar(db.select(db.func.count(CouncilReview.id))) == 1
    assert db.session.get(CouncilReview, review.id).commission_number == "2026-04"


@pytest.mark.parametrize("overrides, message", [
    ({"commission_number": "  "}, "Indiquez le numéro de la commission."),
    ({"opinion_date": ""}, "Indiquez la date de l'avis."),
    ({"opinion_date": "2026-12-11"}, "La date de l'avis ne peut pas être postérieure à aujourd'hui."),
    ({"opinion_date": "05/13/2026"}, "Date invalide"),
    ({"commission_number": "x" * 41}, "ne doit pas dépasser 40 caractères"),
])
def test_a_bad_opinion_is_a_400_and_nothing_is_written(sheet, council, overrides, message):
    response = council.post(f"{anomaly_url(sheet)}/avis", opinion_data(**overrides))
    assert response.status_code == 400
    assert message in unescape(response.text)
    assert db.session.scalar(db.select(db.func.count(CouncilReview.id))) == 0
    assert audit("council.opinion") == []


def opinion_signatures() -> int:
    """The council's opinion signatures (the exam's setup may hold the jurors' own)."""
    return db.session.scalar(db.select(db.func.count(Signature.id))
                             .where(Signature.document == COUNCIL_OPINION))


def test_a_council_member_signs_the_opinion_which_is_then_read_only(sheet, council, council_user):
    council.post(f"{anomaly_url(sheet)}/avis", opinion_data())
    review = db.session.scalar(db.select(CouncilReview).filter_by(anomaly_sheet_id=sheet.id))
    adopted = make_action(review, title="Tester la connexion la veille")
    make_action(review, status=PROPOSED, title="Idée non retenue")

    url = anomaly_url(sheet)
    response = council.post(f"{url}/avis/signature", sign_data(council, url))
    assert response.status_code == 303
    db.session.refresh(review)
    assert review.opinion_signed_at is not None and review.opinion_signed_by_id == council_user.id
    [signature] = db.session.scalars(db.select(Signature).filter_by(document=COUNCIL_OPINION,
                                                                     subject_id=review.id)).all()
    assert signature.signer_role == "council" and signature.auth_method == "login"
    assert "Tester la connexion la veille" in signature.content
    assert "Idée non retenue" not in signature.content
    assert str(adopted.id) in signature.content and "2026-03" in signature.content
    assert [e.entity_id for e in audit("council.opinion_sign")] == [review.id]
    assert inbox.inbox_rows()[0].status_label == "Actions en cours"

    page = unescape(council.get(anomaly_url(sheet)).text)
    assert "L'avis est signé : il ne peut plus être modifié." in page
    assert "Enregistrer le brouillon" not in page
    # Frozen: editing or signing again is a conflict, nothing changes.
    response = council.post(f"{anomaly_url(sheet)}/avis", opinion_data(commission_number="2026-99"))
    assert response.status_code == 409
    assert "L'avis du comité de pilotage est signé" in unescape(response.text)
    assert db.session.get(CouncilReview, review.id).commission_number == "2026-03"
    response = council.post(f"{anomaly_url(sheet)}/avis/signature",
                                {"signature_method": "typed", "signature_typed": "Sylvie Moscou",
                                 "content_sha256": signature.content_sha256})
    assert response.status_code == 409
    assert opinion_signatures() == 1


def test_signing_what_the_page_did_not_show_is_refused(sheet, council):
    council.post(f"{anomaly_url(sheet)}/avis", opinion_data())
    data = sign_data(council, anomaly_url(sheet))
    # The opinion changed after the page was displayed.
    council.post(f"{anomaly_url(sheet)}/avis", opinion_data(opinion="Autre avis."))
    response = council.post(f"{anomaly_url(sheet)}/avis/signature", data)
    assert response.status_code == 409 and "Le document a changé" in unescape(response.text)
    response = council.post(f"{anomaly_url(sheet)}/avis/signature", {**data, "content_sha256": ""})
    assert response.status_code == 400
    assert opinion_signatures() == 0


def test_an_opinion_not_saved_yet_cannot_be_signed(sheet, council):
    response = council.post(f"{anomaly_url(sheet)}/avis/signature",
                                {"signature_method": "typed", "signature_typed": "Sylvie Moscou",
                                 "content_sha256": "0" * 64})
    assert response.status_code == 400
    assert "Enregistrez d'abord l'avis" in unescape(response.text)
    assert opinion_signatures() == 0


# --- Closing -------------------------------------------------------------------------------

def close(web, sheet, note=""):
    return web.post(f"{anomaly_url(sheet)}/cloture", {"note": note})


def refused_close(web, sheet, note=""):
    """A refused closing goes back to the sheet's own page, the reason beside the closing form."""
    response = close(web, sheet, note)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{anomaly_url(sheet)}#cloture"
    return web.get(response.headers["Location"])


def test_closing_is_refused_while_the_opinion_is_unsigned(sheet, council):
    response = refused_close(council, sheet)
    assert "L'avis du comité de pilotage n'est pas encore signé" in unescape(response.text)
    make_review(anomaly=sheet)
    again = refused_close(council, sheet)
    assert "L'avis du comité de pilotage n'est pas encore signé" in unescape(again.text)
    assert audit("council.close") == []


def test_closing_is_refused_while_an_adopted_action_is_not_verified(sheet, council):
    review = make_review(anomaly=sheet, signed=True)
    action = make_action(review, status=APPLIED)
    response = refused_close(council, sheet)
    assert "Une action corrective adoptée n'est pas encore vérifiée" in unescape(response.text)
    assert db.session.get(CouncilReview, review.id).closed_at is None

    action.status, action.verified_at, action.evidence_text = VERIFIED, datetime(2026, 12, 9), "Vu."
    db.session.commit()
    response = close(council, sheet, "Tout est en ordre.")
    assert response.status_code == 303
    review = db.session.get(CouncilReview, review.id)
    assert review.closed_at is not None and review.closing_note == "Tout est en ordre."
    [entry] = audit("council.close")
    assert entry.entity_id == review.id
    assert inbox.inbox_rows()[0].status_label == "Clôturée"


def test_a_proposal_left_undecided_blocks_closing_a_set_aside_one_does_not(sheet, council):
    review = make_review(anomaly=sheet, signed=True)
    proposal = make_action(review, status=PROPOSED)
    make_action(review, status=SET_ASIDE)
    make_action(review, status=VERIFIED, verified_at=datetime(2026, 12, 9), evidence_text="Fait.")
    # Closed, the proposal could be neither adopted nor set aside any more (409 on both).
    response = refused_close(council, sheet)
    assert "Une action proposée n'est ni adoptée ni écartée : décidez-en avant de clôturer la fiche." \
        in unescape(response.text)
    assert db.session.get(CouncilReview, review.id).closed_at is None
    assert audit("council.close") == []

    response = council.post(f"/conseil/actions/{proposal.id}/statut",
                                {"target": SET_ASIDE, "reason": "Redondante."})
    assert response.status_code == 303
    assert close(council, sheet).status_code == 303
    assert db.session.get(CouncilReview, review.id).closed_at is not None


def test_a_closed_review_accepts_no_change(sheet, council, council_user):
    review = make_review(anomaly=sheet, signed=True, closed=True)
    action = make_action(review, status=PROPOSED)
    url = anomaly_url(sheet)
    assert "déjà clôturée" in unescape(refused_close(council, sheet).text)
    assert council.post(f"{url}/avis", opinion_data()).status_code == 409
    response = council.post(f"{url}/actions", {"title": "Encore une", "owner": str(council_user.id),
                                                   "due_on": "2026-12-31"})
    assert response.status_code == 409 and "clôturée" in unescape(response.text)
    response = council.post(f"/conseil/actions/{action.id}/statut", {"target": ADOPTED})
    assert response.status_code == 409
    assert db.session.scalar(db.select(db.func.count(CorrectiveAction.id))) == 1
    assert db.session.get(CorrectiveAction, action.id).status == PROPOSED
    page = unescape(council.get(url).text)
    assert "Proposer une action corrective" not in page and "Adopter" not in page


# --- Who may do what -----------------------------------------------------------------------

def test_the_organiser_reads_everything_and_writes_nothing(sheet, make_web, organiser_user, council_user):
    review = make_review(anomaly=sheet)
    action = make_action(review, status=PROPOSED, owner=council_user)
    web = make_web(organiser_user)
    for url in ("/conseil/", "/conseil/fiches", anomaly_url(sheet), "/conseil/actions",
                f"/conseil/actions/{action.id}", f"/conseil/actions/nouvelle?review={review.id}"):
        response = web.get(url)
        assert response.status_code == 200, url
    page = unescape(web.get(anomaly_url(sheet)).text)
    assert "Consultation seule" in page and "Enregistrer le brouillon" not in page
    assert "Proposer une action corrective" not in page and "Clôturer la fiche" not in page
    url = anomaly_url(sheet)
    posts = {f"{url}/avis": opinion_data(), f"{url}/avis/signature": {},
             f"{url}/actions": {"title": "X", "owner": str(organiser_user.id), "due_on": "2026-12-31"},
             f"{url}/cloture": {}, f"/conseil/actions/{action.id}/statut": {"target": ADOPTED},
             f"/conseil/actions/nouvelle?review={review.id}": {"title": "X", "owner": str(organiser_user.id),
                                                                "due_on": "2026-12-31"}}
    for post_url, data in posts.items():
        assert web.post(post_url, data).status_code == 403, post_url
    assert db.session.get(CorrectiveAction, action.id).status == PROPOSED
    assert db.session.scalar(db.select(db.func.count(CorrectiveAction.id))) == 1
    assert db.session.get(CouncilReview, review.id).commission_number == "2026-01"


def test_jurors_get_403_and_anonymous_users_the_login_form(sheet, make_web, web):
    juror = make_web(make_user(JUROR))
    for url in ("/conseil/", "/conseil/fiches", anomaly_url(sheet), "/conseil/actions",
                "/conseil/actions/nouvelle?review=1"):
        assert juror.get(url).status_code == 403, url
        response = web.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert juror.post(f"{anomaly_url(sheet)}/avis", opinion_data()).status_code == 403
    assert juror.post(f"{anomaly_url(sheet)}/cloture", {}).status_code == 403


def test_an_organiser_who_is_also_on_the_council_writes(sheet, make_web):
    both = make_web(make_user(ORGANISER, "council"))
    assert both.post(f"{anomaly_url(sheet)}/avis", opinion_data()).status_code == 303


def test_unknown_sheet_kind_in_a_post_is_404(sheet, council):
    assert council.post(f"/conseil/fiches/autre/{sheet.id}/avis", opinion_data()).status_code == 404


def test_other_statuses_are_derived_for_actions_list_helpers(sheet):
    review = make_review(anomaly=sheet, signed=True)
    make_action(review, status=IN_PROGRESS)
    assert sheets.status_of(review) == sheets.ACTIONS_OPEN
    assert sheets.status_of(None) == sheets.TO_EXAMINE
