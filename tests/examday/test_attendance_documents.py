"""The organiser's attendance overview and the annexes 1 and 2 as PDFs."""
import io
import json

import pypdf
import pytest

from certif.extensions import db
from certif.signatures.models import Signature

from ..factories.files import drawn_png
from ..factories.jurors import make_juror
from .helpers import IDENTITY, TYPED, sign


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # table headers wrap inside their cells


@pytest.fixture
def signed(setup, president, member):
    exam = setup.exam.id
    page = f"/jury/examens/{exam}/accueil"
    assert sign(president, page, f"/jury/examens/{exam}/emargement-jure",
                TYPED | {"signature_typed": "Paule P"}).status_code == 303
    president.post(f"/jury/examens/{exam}/identite", IDENTITY)
    assert sign(president, page, f"/jury/examens/{exam}/emargement-candidat",
                {"signature_method": "drawn", "signature_image": drawn_png()}).status_code == 303
    return setup


def test_organiser_page_lists_identity_and_signatures(signed, organiser):
    page = organiser.get(f"/sessions/{signed.session.id}/emargements")
    assert page.status_code == 200
    text = page.text
    assert signed.exam.candidate.full_name in text and "Vérifiée" in text
    assert signed.president.full_name in text
    assert "Sur l&#39;appareil du jury" in text
    assert text.count("preuve.json") == 2  # the candidate's and the president's
    assert "Non signé" in text  # the member has not signed
    sig = db.session.scalar(db.select(Signature).filter_by(signer_role="candidate"))
    evidence = organiser.get(f"/signatures/{sig.id}/preuve.json")
    data = json.loads(evidence.text)
    assert data["authentication"]["method"] == "jury_device"
    assert data["content_sha256"] == sig.content_sha256


def test_organiser_pages_are_forbidden_to_jurors(signed, president, web):
    assert president.get(f"/sessions/{signed.session.id}/emargements").status_code == 403
    assert president.get(f"/sessions/{signed.session.id}/emargement-candidats.pdf").status_code == 403
    assert president.get(f"/jurys/{signed.jury.id}/emargement-jury.pdf").status_code == 403
    anonymous = web.get(f"/sessions/{signed.session.id}/emargements")
    assert anonymous.status_code == 302 and "/connexion" in anonymous.headers["Location"]


def test_candidate_attendance_pdf(signed, organiser):
    response = organiser.get(f"/sessions/{signed.session.id}/emargement-candidats.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "FEUILLE D'EMARGEMENT DU CANDIDAT" in text
    assert "PASSAGE A LA CERTIFICATION" in text
    assert "GERER LA COMMUNICATION DIGITALE" in text
    assert "DATE DE L'EXAMEN" in text and "HEURE" in text and "SIGNATURE" in text
    assert signed.exam.candidate.last_name.upper() in text
    assert f"n° {signed.session.number}" in text
    assert "1er décembre 2026" in text and "signé le" in text


def test_jury_attendance_pdf(signed, organiser, make_web):
    response = organiser.get(f"/jurys/{signed.jury.id}/emargement-jury.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "FEUILLE D'EMARGEMENT DU JURY" in text and "Date de l'épreuve" in text
    assert "NOM & PRENOM JURE 1" in text and "NOM & PRENOM JURE 2" in text
    assert signed.president.last_name.upper() in text and signed.member.last_name.upper() in text
    assert "Paule P" in text  # the president's typed mark
    assert "Non signé" in text  # the member's empty cell


def test_jurors_download_their_own_jury_pdfs_only(signed, president, make_web):
    mine = president.get(f"/jury/jurys/{signed.jury.id}/emargement-jury.pdf")
    assert mine.status_code == 200 and "FEUILLE D'EMARGEMENT DU JURY" in pdf_text(mine.data)
    annex1 = president.get(f"/jury/examens/{signed.exam.id}/emargement-candidat.pdf")
    assert annex1.status_code == 200 and signed.exam.candidate.last_name.upper() in pdf_text(annex1.data)
    stranger = make_web(make_juror())
    assert stranger.get(f"/jury/jurys/{signed.jury.id}/emargement-jury.pdf").status_code == 404
    assert stranger.get(f"/jury/examens/{signed.exam.id}/emargement-candidat.pdf").status_code == 404
