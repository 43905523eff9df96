"""Section 3 of the general minutes ("Déroulement des épreuves") follows the session's record:
conditions not respected, anomaly sheets, carences, absences, accommodations; the annex's
fixed sentence only when the record holds nothing. The signed content holds it."""
import io
import json
from datetime import datetime

import pypdf
import pytest

from certif.audit.services import record
from certif.examday.models import CandidateUnsigned
from certif.extensions import db
from certif.minutes import conduct
from certif.minutes import documents as minutes_documents
from certif.minutes.models import Minutes
from certif.sessions.models import ABSENT_EXCUSED, ABSENT_UNEXCUSED, MOVED
from certif.signatures.models import CANDIDATE_ATTENDANCE, Signature

from ..factories.council import make_anomaly
from ..factories.examday import make_breach_sheet
from ..factories.sessions import make_jury, make_session, place
from .helpers import exams_of, sign

FIXED = "Aucun incident majeur n'a été constaté"


def pdf_text(data: bytes) -> str:
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def juror_page(make_web, setup) -> str:
    response = make_web(setup.president).get(f"/jury/sessions/{setup.session.id}/proces-verbal")
    assert response.status_code == 200
    return " ".join(response.text.replace("&#39;", "'").split())


# --- What each kind of fact prints --------------------------------------------------------

def _breach(s):
    make_breach_sheet(s.jury, breached=(4, 11), observations="Le candidat a eu 5 minutes de moins.")
    return ["Fiche des conditions d'examen du 1er décembre 2026 (Jury 1) : conditions non respectées "
            "« 4. La mise à disposition du matériel pour la présentation », "
            "« 11. Respect du temps d'examen ».",
            "Observations du jury : Le candidat a eu 5 minutes de moins."]


def _anomaly(s):
    sheet = make_anomaly(s.session, s.president)
    return [f"Fiche d'anomalie n° {sheet.id} du 1er décembre 2026 "
            "(Technique (connexion, visioconférence, matériel)), constatée par : juré."]


def _absences(s):
    excused, unexcused = place(s.jury), place(s.jury)
    excused.status, unexcused.status = ABSENT_EXCUSED, ABSENT_UNEXCUSED
    db.session.commit()
    return [f"Candidat(e) absent(e) : {excused.candidate.full_name} (absence excusée).",
            f"Candidat(e) absent(e) : {unexcused.candidate.full_name} (absence non excusée)."]


def _absent_then_moved(s):
    exam = place(s.jury)
    exam.status = MOVED  # marked absent on the day, then moved to another session
    record(None, "exam.move", "exam", exam.id, ABSENT_EXCUSED, MOVED, reason="absence")
    db.session.commit()
    return [f"Candidat(e) absent(e) : {exam.candidate.full_name} (reporté(e) à une autre session)."]


def _carence(s):
    jury = make_jury(s.session)
    absent = jury.jurors[1]
    jury.stopped_at, jury.absent_juror, jury.stop_reason = (datetime(2026, 12, 1, 7, 30), absent,
                                                            "Juré malade")
    db.session.commit()
    return [f"Carence : le Jury 2 n'a pas pu siéger en l'absence de {absent.full_name} ; ses "
            "candidats sont convoqués à une session de remplacement. Motif : Juré malade."]


def _unsigned(s):
    exam = exams_of(s)[0]
    db.session.execute(db.delete(Signature).where(Signature.document == CANDIDATE_ATTENDANCE,
                                                  Signature.subject_id == exam.id))
    db.session.add(CandidateUnsigned(exam_id=exam.id, reason="Main droite plâtrée",
                                     recorded_by_id=s.president.id))
    db.session.commit()
    return [f"{exam.candidate.full_name} n'a pas pu émarger la feuille de présence ; motif "
            "consigné par le jury : Main droite plâtrée."]


def _accommodation(s):
    candidate = exams_of(s)[0].candidate
    candidate.accommodation, candidate.extra_minutes = "Pauses autorisées", 10
    db.session.commit()
    return [f"Aménagement appliqué pour {candidate.full_name} : Pauses autorisées ; temps "
            "supplémentaire de 10 minutes."]


RECORDS = [
    pytest.param(_breach, id="condition-not-respected"),
    pytest.param(_anomaly, id="anomaly-sheet"),
    pytest.param(_absences, id="absences"),
    pytest.param(_absent_then_moved, id="absent-then-moved"),
    pytest.param(_carence, id="carence"),
    pytest.param(_unsigned, id="candidate-could-not-sign"),
    pytest.param(_accommodation, id="accommodation"),
]


@pytest.mark.parametrize("record", RECORDS)
def test_section_3_states_what_the_record_holds(closed_setup, make_web, record):
    s = closed_setup
    expected = record(s)
    text = pdf_text(minutes_documents.general_minutes_pdf(s.session))
    section = text.split("3. DEROULEMENT DES EPREUVES")[1].split("4. RESULTATS")[0]
    assert conduct.INTRODUCTION in section
    for sentence in expected:
        assert sentence in section
    assert FIXED not in text
    page = juror_page(make_web, s)  # the preview the jurors sign from says the same
    assert FIXED not in page and all(sentence in page for sentence in expected)


def test_the_fixed_sentence_only_when_the_record_holds_nothing(closed_setup, make_web):
    s = closed_setup
    text = pdf_text(minutes_documents.general_minutes_pdf(s.session))
    assert FIXED in text and conduct.INTRODUCTION not in text
    assert FIXED in juror_page(make_web, s)


def test_what_is_no_incident_says_nothing(closed_setup):
    s = closed_setup
    make_breach_sheet(s.jury, breached=(), observations=None)
    other = make_jury(s.session)  # a jury that sat without incident
    make_anomaly(make_session(), s.president)
    moved = place(s.jury)  # moved to another session before the day: not an absence
    moved.status = MOVED
    record(None, "exam.move", "exam", moved.id, "scheduled", MOVED, reason="report")
    db.session.commit()
    assert other.stopped_at is None
    text = pdf_text(minutes_documents.general_minutes_pdf(s.session))
    assert FIXED in text


def test_the_signed_content_holds_the_record_and_the_presidents_observations(closed_setup, make_web):
    s = closed_setup
    make_breach_sheet(s.jury)
    president = make_web(s.president)
    path = f"/jury/sessions/{s.session.id}/proces-verbal"
    r = president.post(path, {"opened_at": "", "closed_at": "", "place": "",
                              "observations": "Le jury a accordé 5 minutes de plus au candidat suivant."})
    assert r.status_code == 303
    assert sign(president, s).status_code == 303
    minutes = db.session.scalar(db.select(Minutes).filter_by(session_id=s.session.id))
    signed = json.loads(minutes.content)
    assert signed["conduct"]["conditions"][0]["breached"][0]["position"] == 11
    assert signed["observations"] == "Le jury a accordé 5 minutes de plus au candidat suivant."
    # A sheet filed after the first signature is not in what was signed.
    make_anomaly(s.session, s.member)
    text = pdf_text(minutes_documents.general_minutes_pdf(s.session))
    assert "« 11. Respect du temps d'examen »" in text
    assert "Le jury a accordé 5 minutes de plus au candidat suivant." in text
    assert "Fiche d'anomalie" not in text and FIXED not in text


# --- The sentences, and minutes frozen before section 3 followed the record ------------------

@pytest.mark.parametrize("content, expected", [
    ({}, []),  # minutes signed before (version 1): the fixed sentence they were signed with
    ({"conduct": {"conditions": [], "anomalies": [], "carences": [], "absences": [],
                  "accommodations": []}}, []),
    ({"conduct": {"absences": [{"candidate": "Emma Durand", "excused": None, "moved": True}]}},
     ["Candidat(e) absent(e) : Emma Durand (reporté(e) à une autre session)."]),
    ({"conduct": {"carences": [{"jury": "Jury 1", "absent_juror": "Alice Martin", "reason": None}]}},
     ["Carence : le Jury 1 n'a pas pu siéger en l'absence d'Alice Martin ; ses candidats sont "
      "convoqués à une session de remplacement."]),
    ({"conduct": {"conditions": [{"jury": "Jury 1", "day": "2026-12-01", "observations": None,
                                  "breached": [{"position": 2, "label": "Habilitation du jury"}]}]}},
     ["Fiche des conditions d'examen du 1er décembre 2026 (Jury 1) : condition non respectée "
      "« 2. Habilitation du jury »."]),
    ({"conduct": {"accommodations": [{"candidate": "Léa Roy", "measures": "Interprète LSF.",
                                      "extra_minutes": 0}]}},
     ["Aménagement appliqué pour Léa Roy : Interprète LSF."]),
])
def test_sentences(content, expected):
    assert conduct.lines(content) == expected
