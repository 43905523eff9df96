"""The convocations as documents: what the candidate's and the juror's PDFs say."""
import io
import re

import pypdf
import pytest

from certif.convocations import content
from certif.extensions import db
from certif.timeutil import french_date

from ..factories.convocations import make_session_to_convene


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_candidate_convocation_rs6240_remote(app, ctx):
    setup = make_session_to_convene("RS6240", candidates=2)
    exam = setup.exams[1]  # second slot: 9 h 30 Paris
    text = pdf_text(content.candidate_pdf(exam))
    ref = setup.session.referential
    assert "CONVOCATION À LA CERTIFICATION" in text
    assert "ALLOKOM" in text
    assert ref.title in text and "RS6240" in text
    assert exam.candidate.full_name in text and "3 allée des Lilas" in text and "69003 Lyon" in text
    assert "Mise en situation réelle" in text
    assert "Épreuve théorique (10 minutes)" in text and "Épreuve pratique (20 minutes)" in text
    day = french_date(exam.starts_at)
    assert day in text and "9 h 30" in text and "30 minutes" in text
    for item in ref.details["exam"]["to_present"]:
        assert item in text, item
    assert "À distance" in text
    assert "https://visio.test/salle-rs" in text
    assert "Prérequis techniques" in text and "webcam" in text
    assert "pièce d'identité en cours de validité" in text
    assert re.search(r"http://localhost/c/[\w.-]+", text), "the candidate's personal link"
    assert "autre session de certification" in text
    assert "dossier technique" not in text


def test_candidate_convocation_on_site_with_extra_time(app, ctx):
    setup = make_session_to_convene("RS6240", candidates=1, mode="on_site", video_link=None,
                         place="ALLOKOM, 12 rue de la Paix, 75002 Paris")
    exam = setup.exam
    exam.candidate.accommodation = "Temps majoré (référent handicap)"
    exam.duration_minutes = 45
    db.session.commit()
    text = pdf_text(content.candidate_pdf(exam))
    assert "45 minutes, dont 15 minutes de temps supplémentaire" in text
    assert "Aménagement prévu : Temps majoré (référent handicap)" in text
    assert "12 rue de la Paix" in text
    assert "Prérequis techniques" not in text and "Lien de connexion" not in text


def test_session_prerequisites_replace_the_default(app, ctx):
    setup = make_session_to_convene(
        technical_requirements="- Casque audio obligatoire\n- Double écran conseillé")
    text = pdf_text(content.candidate_pdf(setup.exam))
    assert "Casque audio obligatoire" in text and "Double écran conseillé" in text
    assert "navigateur internet récent" not in text


def test_rncp_convocation_mentions_the_technical_dossier(app, ctx):
    setup = make_session_to_convene("RNCP-CM", candidates=1)
    text = pdf_text(content.candidate_pdf(setup.exam))
    assert "Community manager" in text
    assert "dossier technique" in text and "10 jours avant la session" in text
    due = content.technical_dossier_due(setup.session)[1]
    assert french_date(due) in text
    assert "La stratégie de gestion de crise" in text  # to_present of the RNCP title


def test_juror_convocation_lists_their_slots_and_jury(app, ctx):
    setup = make_session_to_convene(candidates=3)
    text = pdf_text(content.juror_pdf(setup.session, setup.member))
    assert "CONVOCATION DU JURY" in text
    assert setup.member.full_name in text and f"n° {setup.session.number}" in text
    assert french_date(setup.session.starts_at) in text
    assert "https://visio.test/salle-rs" in text
    assert f"{setup.president.full_name} (président du jury)" in text
    slots = ("9 h 00 – 9 h 30", "9 h 30 – 10 h 00", "10 h 00 – 10 h 30")
    for exam, slot in zip(setup.exams, slots, strict=True):
        assert exam.candidate.full_name in text
        assert slot in text
    for reminder in ("conflit d'intérêts", "feuille d'émargement", "conditions d'examen",
                     "fiche anomalie"):
        assert reminder in text


def test_pdf_preview_routes(app, setup, organiser):
    r = organiser.get(f"/convocations/examens/{setup.exam.id}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert setup.exam.candidate.full_name in pdf_text(r.data)
    r = organiser.get(f"/convocations/sessions/{setup.session.id}/jures/{setup.member.id}.pdf")
    assert r.status_code == 200 and setup.member.full_name in pdf_text(r.data)
    assert organiser.get("/convocations/examens/999999.pdf").status_code == 404


def test_candidate_convocation_uses_the_referential_title_and_keeps_headings_with_lists(app, ctx):
    setup = make_session_to_convene("RS6240", candidates=1)
    exam = setup.exam
    ref = setup.session.referential
    reader = pypdf.PdfReader(io.BytesIO(content.candidate_pdf(exam)))
    first = " ".join(reader.pages[0].extract_text().split())
    # One title: the referential's (its capitalised annex heading is not repeated here).
    assert ref.title in first
    if ref.document_title and ref.document_title != ref.title:
        assert ref.document_title not in first
    # The "what to present" heading is on the same page as its list.
    heading = "Ce que vous devez présenter"
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    [page] = [p for p in pages if heading in p]
    assert ref.details["exam"]["to_present"][0] in page
