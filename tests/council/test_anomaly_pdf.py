"""The anomaly sheet's PDF, faithful to annex 3, with and without the council's opinion."""
import io
from datetime import date, datetime
from types import SimpleNamespace

import pypdf
import pytest

from certif.council.anomalies import anomaly_pdf, pdf_filename
from certif.council.models import AnomalySheet
from certif.extensions import db
from certif.signatures.models import COUNCIL_OPINION, Signature
from certif.signatures.rules import canonical_json, sha256_text

from ..factories.council import make_action, make_review

TODAY = date(2026, 12, 2)
HEADINGS = ("FICHE ANOMALIE", "Date de l'épreuve", "Session N°", "Constatée par", "TYPE D'ANOMALIE",
            "Description de l'anomalie", "Conséquence de l'anomalie", "Causes probables de l'anomalie",
            "SIGNATURE", "AVIS DU COMITE DE PILOTAGE", "Date :", "Commission N°",
            "Actions correctives retenues")


@pytest.fixture(autouse=True)
def today(set_paris_today):
    set_paris_today(TODAY)



def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def sheet(exam_setup, make_web):
    """A sheet filed and signed by the jury's president through the form."""
    make_web(exam_setup.president).post("/anomalies/nouvelle", {
        "session_id": str(exam_setup.session.id), "observed_on": "2026-12-01", "anomaly_type": "timing",
        "description": "Le chronomètre du jury s'est arrêté.", "consequence": "Temps d'examen estimé.",
        "causes": "Onglet du navigateur fermé.", "signature_method": "typed",
        "signature_typed": "Paule Presidente"})
    return db.session.scalar(db.select(AnomalySheet))


def sign_opinion(review, member):
    content = canonical_json({"review": review.id, "opinion": review.opinion})
    db.session.add(Signature(document=COUNCIL_OPINION, subject_id=review.id, signer_key=f"user:{member.id}",
                             signer_role="council", signer_name=member.full_name, user_id=member.id,
                             method="typed", typed_name=member.full_name, auth_method="login",
                             signed_at=datetime(2026, 12, 5, 10, 0), content=content,
                             content_sha256=sha256_text(content)))
    db.session.commit()


def test_pdf_without_review_has_the_annex_headings_the_values_and_empty_boxes(sheet, exam_setup):
    content = pdf_text(anomaly_pdf(sheet))
    for heading in HEADINGS:
        assert heading in content, heading
    assert "« GERER LA COMMUNICATION DIGITALE" in content  # the certification's title, in capitals
    for value in ("1er décembre 2026", exam_setup.session.number, exam_setup.president.full_name,
                  "Temps d'examen", "Le chronomètre du jury s'est arrêté.", "Temps d'examen estimé.",
                  "Onglet du navigateur fermé.", "Paule Presidente", "empreinte SHA-256"):
        assert value in content, value
    assert "....." in content  # the council's part is still blank, like the paper form


def test_pdf_with_the_councils_opinion_lists_only_the_retained_actions(sheet, council_user):
    review = make_review(anomaly=sheet, signed=True, commission="2026-07")
    make_action(review, owner=council_user, title="Tester le chronomètre avant chaque épreuve")
    make_action(review, status="verified", title="Former les jurés au chronomètre",
                verified_at=datetime(2026, 12, 20), evidence_text="Formation faite le 18/12.")
    make_action(review, status="proposed", title="Action seulement proposée")
    make_action(review, status="set_aside", title="Action écartée")
    sign_opinion(review, council_user)
    content = pdf_text(anomaly_pdf(db.session.get(AnomalySheet, sheet.id)))
    for value in ("5 décembre 2026", "2026-07", "Anomalie technique, à prévenir.",
                  "Tester le chronomètre avant chaque épreuve", council_user.full_name, "31 décembre 2026",
                  "Adoptée", "Former les jurés au chronomètre", "Vérifiée"):
        assert value in content, value
    assert "Action seulement proposée" not in content and "Action écartée" not in content
    assert content.count("empreinte SHA-256") == 2  # the observer's and the council's signatures


def test_pdf_route_serves_the_document_to_whoever_may_read_the_sheet(sheet, exam_setup, make_web,
                                                                     organiser_user):
    r = make_web(exam_setup.president).get(f"/anomalies/{sheet.id}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert f"fiche-anomalie-{sheet.id}" in r.headers["Content-Disposition"]
    assert "FICHE ANOMALIE" in pdf_text(r.data)
    assert make_web(organiser_user).get(f"/anomalies/{sheet.id}.pdf").status_code == 200
    assert make_web(exam_setup.member).get(f"/anomalies/{sheet.id}.pdf").status_code == 404


@pytest.mark.parametrize(("number", "expected"), [
    ("S-2026-01", "fiche-anomalie-7-session-S-2026-01.pdf"),  # the case is kept
    ("RS 6240 / 01", "fiche-anomalie-7-session-RS-6240-01.pdf"),
    ("--", "fiche-anomalie-7-session-session.pdf"),  # nothing left: "session"
])
def test_the_pdf_file_name_says_the_sheet_and_its_session(number, expected):
    sheet = SimpleNamespace(id=7, session=SimpleNamespace(number=number))
    assert pdf_filename(sheet) == expected
