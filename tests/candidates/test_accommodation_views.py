"""A candidate's disability accommodation (seed 000, I.D.3): the organiser records the
procedure on the candidate's page (referent, request, decision and its date, medical details
for the organiser only), audited; a bad form is refused with 400 at the page's own URL; the
jurors see the measures only, never the medical details, on any page or PDF."""
import io
from datetime import date, timedelta

import pypdf
import pytest

from certif.audit.models import AuditEntry
from certif.candidates.accommodation import Accommodation
from certif.extensions import db

from ..factories.candidates import make_accommodation, make_candidate
from ..factories.grading import fast_close
from ..factories.sessions import make_exam
from ..factories.users import make_user

SECRET = "Diagnostic-CONFIDENTIEL-7731"


def url(candidate_id):
    return f"/candidats/{candidate_id}/amenagement"


def form(**overrides):
    data = {"referent": "Mme Claire Référente", "requested_on": "2026-01-05",
            "decision": "granted", "decided_on": "2026-01-12", "medical_details": SECRET}
    data.update(overrides)
    return data


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)
                              .order_by(AuditEntry.id)).all()


def record_of(candidate):
    return db.session.scalar(db.select(Accommodation).filter_by(candidate_id=candidate.id))


def pdf_text(data: bytes) -> str:
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_organiser_records_then_changes_the_decision(organiser):
    candidate = make_candidate(extra_minutes=15, accommodation="Pauses autorisées")
    page = organiser.get(f"/candidats/{candidate.id}").text
    assert "Aucune demande d'aménagement enregistrée" in page and url(candidate.id) in page
    assert organiser.get(url(candidate.id)).status_code == 200
    r = organiser.post(url(candidate.id), form())
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/candidats/{candidate.id}#amenagement")
    row = record_of(candidate)
    assert (row.referent, row.requested_on, row.decision, row.decided_on) == (
        "Mme Claire Référente", date(2026, 1, 5), "granted", date(2026, 1, 12))
    assert row.medical_details == SECRET
    [saved] = audit("accommodation.save")
    assert saved.old_value is None and "accordé le 2026-01-12" in saved.new_value
    assert SECRET not in str(saved.new_value) + str(saved.details)  # the procedure, not the health data
    page = organiser.get(f"/candidats/{candidate.id}").text
    assert "Mme Claire Référente" in page and "Accordé le 12 janvier 2026" in page
    assert "15 minutes supplémentaires" in page and "Pauses autorisées" in page
    assert SECRET not in page  # the candidate's page says the details exist, without them

    r = organiser.post(url(candidate.id), form(decision="refused", decided_on="2026-01-20",
                                               medical_details=""))
    assert r.status_code == 303
    db.session.refresh(row)
    assert row.decision == "refused" and row.medical_details is None
    second = audit("accommodation.save")[-1]
    assert "accordé" in second.old_value and "refusé le 2026-01-20" in second.new_value
    assert second.details["medical_details_changed"] is True
    assert db.session.scalar(db.select(db.func.count(Accommodation.id))) == 1


def test_reading_the_medical_details_is_audited(organiser):
    candidate = make_candidate()
    make_accommodation(candidate, medical_details=SECRET)
    page = organiser.get(url(candidate.id)).text
    assert SECRET in page
    [read] = audit("accommodation.read")
    assert read.entity_id == candidate.id and SECRET not in str(read.details)
    other = make_candidate()
    make_accommodation(other)  # no medical details: nothing read
    assert organiser.get(url(other.id)).status_code == 200
    assert len(audit("accommodation.read")) == 1


TOMORROW = (date.today() + timedelta(days=2)).isoformat()
BAD = [
    ({"referent": "  "}, "referent", "Indiquez le référent handicap"),
    ({"referent": "x" * 201}, "referent", "ne doit pas dépasser 200 caractères"),
    ({"requested_on": ""}, "requested_on", "Indiquez la date de la demande"),
    ({"requested_on": "31/02/2026"}, "requested_on", "Date de la demande invalide"),
    ({"requested_on": TOMORROW, "decided_on": ""}, "requested_on", "ne peut pas être dans le futur"),
    ({"decided_on": ""}, "decided_on", "Indiquez la date de la décision"),
    ({"decision": "pending"}, "decided_on", "Une décision en attente n&#39;a pas de"),
    ({"decided_on": "2026-01-01"}, "decided_on", "La décision ne peut pas précéder la demande"),
    ({"decision": "maybe"}, "decision", "Décision inconnue"),
    ({"medical_details": "x" * 2001}, "medical_details", "ne doivent pas dépasser 2000 caractères"),
]


@pytest.mark.parametrize("overrides, field, message", BAD)
def test_bad_input_re_renders_the_page_at_its_own_url(organiser, overrides, field, message):
    candidate = make_candidate()
    r = organiser.post(url(candidate.id), form(**overrides))
    assert r.status_code == 400
    assert message in r.text and f'id="{field}-error"' in r.text
    assert f'action="{url(candidate.id)}"' in r.text  # the forms of the page still work
    assert record_of(candidate) is None and not audit("accommodation.save")


def test_only_organisers_with_csrf(app, organiser, web, make_web, council_user):
    candidate = make_candidate()
    make_accommodation(candidate, medical_details=SECRET)
    assert web.get(url(candidate.id)).status_code in (302, 303)
    juror = make_web(make_user("juror"))
    for client in (juror, make_web(council_user)):
        r = client.get(url(candidate.id))
        assert r.status_code == 403 and SECRET not in r.text
        assert client.post(url(candidate.id), form(referent="Autre")).status_code == 403
    r = organiser.post(url(candidate.id), form(referent="Sans jeton"), csrf=False)
    assert r.status_code == 400 and record_of(candidate).referent == "Mme Référente"
    assert organiser.get(url(999999)).status_code == 404
    assert organiser.post(url(999999), form()).status_code == 404
    assert organiser.get(url(2**40)).status_code == 404
    assert not audit("accommodation.save") and not audit("accommodation.read")


def test_a_juror_sees_the_measures_never_the_medical_details(app, make_web):
    setup = make_exam(candidates=1)
    exam, candidate = setup.exam, setup.exam.candidate
    candidate.extra_minutes, candidate.accommodation = 15, "Pauses autorisées"
    db.session.commit()
    make_accommodation(candidate, referent="Mme Référente-Handicap", medical_details=SECRET)
    juror = make_web(setup.president)

    reception = juror.get(f"/jury/examens/{exam.id}/accueil")
    assert reception.status_code == 200
    assert "Temps supplémentaire : 15 minutes" in reception.text and "Pauses autorisées" in reception.text
    grid = juror.get(f"/jury/examens/{exam.id}/grille")
    assert grid.status_code == 200
    pages = [reception, grid, juror.get("/jury/"), juror.get(f"/jury/jurys/{setup.jury.id}/conditions"),
             juror.get(f"/jury/sessions/{setup.session.id}/proces-verbal")]
    for page in pages:
        assert SECRET not in page.text and "Mme Référente-Handicap" not in page.text

    fast_close(setup, [exam])
    pdfs = [f"/examens/{exam.id}/proces-verbal.pdf", f"/examens/{exam.id}/grille.pdf",
            f"/sessions/{setup.session.id}/proces-verbal.pdf",
            f"/jury/examens/{exam.id}/emargement-candidat.pdf",
            f"/jury/jurys/{setup.jury.id}/emargement-jury.pdf"]
    for path in pdfs:
        r = juror.get(path)
        assert r.status_code == 200, path
        text = pdf_text(r.data)
        assert SECRET not in text and "Référente-Handicap" not in text, path
    minutes = pdf_text(juror.get(f"/examens/{exam.id}/proces-verbal.pdf").data)
    assert candidate.full_name in minutes
    assert not audit("accommodation.read")  # a juror never reads them
