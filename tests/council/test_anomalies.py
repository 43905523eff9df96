"""Filing an anomaly sheet (annex 3) as a juror or the organiser, and who reads it."""
import html
import re
from datetime import date

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import JUROR, ORGANISER
from certif.council.models import AnomalySheet
from certif.extensions import db
from certif.signatures.models import ANOMALY, Signature
from certif.signatures.rules import sha256_text

from ..factories.council import make_anomaly, make_review
from ..factories.sessions import make_exam
from ..factories.users import make_user

TODAY = date(2026, 12, 2)  # the day after the session of exam_setup


@pytest.fixture(autouse=True)
def today(set_paris_today):
    set_paris_today(TODAY)

    return TODAY


def text(response) -> str:
    return html.unescape(response.text)


def sheet_form(session, **changes) -> dict:
    data = {"session_id": str(session.id), "observed_on": "2026-12-01", "anomaly_type": "technical",
            "type_detail": "", "description": "Coupure de la visioconférence pendant 5 minutes.",
            "consequence": "Épreuve prolongée de 5 minutes.", "causes": "",
            "signature_method": "typed", "signature_typed": "Paule Presidente"}
    data.update(changes)
    return data


def nothing_written():
    assert db.session.scalars(db.select(AnomalySheet)).all() == []
    assert db.session.scalars(db.select(Signature).filter_by(document=ANOMALY)).all() == []
    assert db.session.scalars(db.select(AuditEntry).filter_by(action="anomaly.file")).all() == []


# --- Filing ---------------------------------------------------------------------------

def test_juror_files_a_sheet_for_a_session_they_sit(exam_setup, make_web):
    setup = exam_setup
    juror = make_web(setup.president)
    form = juror.get(f"/anomalies/nouvelle?session={setup.session.id}")
    assert form.status_code == 200
    page = text(form)
    assert re.search(rf'<option data-day="[^"]+" selected value="{setup.session.id}">', page)
    # The date of the exam is the session's day, read-only; each option shows its session's day.
    assert 'id="observed_on" value="1er décembre 2026" readonly' in page
    assert 'name="observed_on"' not in page
    assert f'>n° {setup.session.number} — 1er décembre 2026</option>' in page
    assert f'value="{setup.president.full_name}" readonly' in page  # "Constatée par"
    for label in ("Date de l'épreuve", "Constatée par", "Type d'anomalie", "Description de l'anomalie",
                  "Conséquence de l'anomalie", "Causes probables de l'anomalie", "Si vous les connaissez"):
        assert label in page

    r = juror.post("/anomalies/nouvelle", sheet_form(setup.session, causes="Réseau du candidat."))
    [sheet] = db.session.scalars(db.select(AnomalySheet)).all()
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/anomalies/{sheet.id}")
    assert (sheet.session_id, sheet.observed_on, sheet.reporter_kind) == (setup.session.id, date(2026, 12, 1),
                                                                         "juror")
    assert sheet.reporter_user_id == setup.president.id and sheet.observed_by == setup.president.full_name
    assert sheet.causes == "Réseau du candidat."

    shown = text(juror.get(r.headers["Location"]))
    assert "Fiche anomalie enregistrée et signée" in shown
    assert "Coupure de la visioconférence pendant 5 minutes." in shown
    assert "Transmise au conseil de pilotage" in shown
    assert f"/anomalies/{sheet.id}.pdf" in shown


def test_the_signature_keeps_the_content_its_hash_and_how_the_juror_was_identified(exam_setup, make_web):
    setup = exam_setup
    make_web(setup.president).post("/anomalies/nouvelle", sheet_form(setup.session))
    sheet = db.session.scalar(db.select(AnomalySheet))
    [signature] = db.session.scalars(db.select(Signature).filter_by(document=ANOMALY)).all()
    assert signature.subject_id == sheet.id and signature.user_id == setup.president.id
    assert (signature.signer_role, signature.auth_method, signature.method) == ("juror", "login", "typed")
    assert signature.signer_key == f"user:{setup.president.id}"
    assert signature.content_sha256 == sha256_text(signature.content)
    for value in (setup.session.number, "2026-12-01", "Coupure de la visioconférence",
                  setup.president.full_name, "Épreuve prolongée de 5 minutes."):
        assert value in signature.content
    [entry] = db.session.scalars(db.select(AuditEntry).filter_by(action="anomaly.file")).all()
    assert entry.actor_id == setup.president.id and entry.entity_id == sheet.id
    assert entry.details["session_id"] == setup.session.id


def test_a_session_the_juror_does_not_sit_is_404(exam_setup, make_web):
    other = make_exam()
    juror = make_web(exam_setup.president)
    assert juror.get(f"/anomalies/nouvelle?session={other.session.id}").status_code == 404
    r = juror.post("/anomalies/nouvelle", sheet_form(other.session))
    assert r.status_code == 404
    r = juror.post("/anomalies/nouvelle", sheet_form(other.session, session_id="999999"))
    assert r.status_code == 404
    nothing_written()
    # The juror's choice lists only the sessions they sit.
    page = juror.get("/anomalies/nouvelle").text
    assert f"n° {exam_setup.session.number}" in page and f"n° {other.session.number}" not in page


def test_a_cancelled_session_is_refused(exam_setup, make_web):
    exam_setup.session.status = "cancelled"
    db.session.commit()
    juror = make_web(exam_setup.president)
    r = juror.post("/anomalies/nouvelle", sheet_form(exam_setup.session))
    assert r.status_code == 409 and "est annulée" in text(r)
    assert f"n° {exam_setup.session.number}" not in juror.get("/anomalies/nouvelle").text
    nothing_written()


def test_the_organiser_files_for_any_session(exam_setup, organiser_user, make_web):
    staff = make_web(organiser_user)
    assert f"n° {exam_setup.session.number}" in staff.get("/anomalies/nouvelle").text
    r = staff.post("/anomalies/nouvelle", sheet_form(exam_setup.session, anomaly_type="other",
                                                     type_detail="Salle non chauffée"))
    assert r.status_code == 303
    sheet = db.session.scalar(db.select(AnomalySheet))
    assert sheet.reporter_kind == "organiser" and sheet.reporter_user_id == organiser_user.id
    assert sheet.type_label == "Autre : Salle non chauffée"
    signature = db.session.scalar(db.select(Signature).filter_by(document=ANOMALY))
    assert signature.signer_role == "organiser"


def test_missing_fields_are_400_with_french_messages_and_nothing_written(exam_setup, make_web):
    juror = make_web(exam_setup.president)
    r = juror.post("/anomalies/nouvelle", sheet_form(exam_setup.session, anomaly_type="",
                                                     description=" ", consequence="",
                                                     signature_typed=""))
    assert r.status_code == 400
    page = text(r)
    for message in ("Choisissez le type d'anomalie.",
                    "Décrivez l'anomalie.", "Indiquez la conséquence de l'anomalie.",
                    "Tapez votre nom complet pour signer.", "La fiche n'est pas enregistrée"):
        assert message in page
    assert "Coupure" not in page  # nothing typed was kept for the description, which was blank
    # The rules' messages come with the form's: one post shows every problem.
    r = juror.post("/anomalies/nouvelle",
                   sheet_form(exam_setup.session, anomaly_type="other", description=""))
    page = text(r)
    assert r.status_code == 400
    for message in ("Décrivez l'anomalie.", "Précisez le type d'anomalie (« Autre »)."):
        assert message in page
    r = juror.post("/anomalies/nouvelle", sheet_form(exam_setup.session, session_id=""))
    assert r.status_code == 400 and "Choisissez la session." in text(r)
    nothing_written()


@pytest.mark.parametrize("changes, message", [
    ({"anomaly_type": "other"}, "Précisez le type d'anomalie (« Autre »)."),
    ({"anomaly_type": "meteo"}, "Choisissez un type d'anomalie dans la liste."),
    ({"description": "x" * 5001}, "5000 caractères au plus."),
    ({"causes": "x" * 5001}, "5000 caractères au plus."),
    ({"signature_method": ""}, "Choisissez comment signer"),
])
def test_bad_input_is_400_and_nothing_written(exam_setup, make_web, changes, message):
    r = make_web(exam_setup.president).post("/anomalies/nouvelle", sheet_form(exam_setup.session, **changes))
    assert r.status_code == 400
    assert message in text(r)
    nothing_written()


@pytest.mark.parametrize("posted", ["2026-11-30", "2026-12-25", "31/02/2026", ""])
def test_the_date_of_the_exam_is_the_sessions_day_whatever_is_posted(exam_setup, make_web, posted):
    r = make_web(exam_setup.president).post("/anomalies/nouvelle",
                                            sheet_form(exam_setup.session, observed_on=posted))
    assert r.status_code == 303
    sheet = db.session.scalar(db.select(AnomalySheet))
    assert sheet.observed_on == date(2026, 12, 1)  # the session's day
    page = text(make_web(exam_setup.president).get(f"/anomalies/{sheet.id}"))
    assert "Date de l'épreuve</dt><dd>1er décembre 2026" in page


def test_a_session_still_to_come_takes_no_sheet_yet(make_web):
    from datetime import datetime

    from ..factories.sessions import make_exam
    later = make_exam()
    later.session.starts_at = datetime(2026, 12, 20, 8, 0)
    db.session.commit()
    r = make_web(later.president).post("/anomalies/nouvelle", sheet_form(later.session))
    assert r.status_code == 400
    assert (f"La session n° {later.session.number} n'a pas encore eu lieu (elle se tient le "
            "20 décembre 2026)") in text(r)
    nothing_written()


def test_the_service_refuses_what_the_form_would_let_through(exam_setup):
    """A request that bypasses the form is refused just the same."""
    from certif.council import anomalies
    from certif.signatures.rules import Mark
    fields = anomalies.AnomalyFields(session_id=exam_setup.session.id, observed_on=date(2026, 12, 1),
                                     anomaly_type="technical", description="x" * 5001, consequence="\x07")
    with pytest.raises(anomalies.InvalidFields) as refused:
        anomalies.file_anomaly(anomalies.Reporter(user=exam_setup.president), fields,
                               Mark("typed", typed_name="P"))
    assert set(refused.value.errors) == {"description", "consequence"}
    nothing_written()


# --- Reading --------------------------------------------------------------------------

def test_a_juror_reads_only_their_own_sheets(exam_setup, make_web):
    mine = make_anomaly(exam_setup.session, exam_setup.president, description="Ma fiche")
    theirs = make_anomaly(exam_setup.session, exam_setup.member, description="Sa fiche")
    juror = make_web(exam_setup.president)
    assert juror.get(f"/anomalies/{mine.id}").status_code == 200
    assert juror.get(f"/anomalies/{theirs.id}").status_code == 404
    assert juror.get(f"/anomalies/{theirs.id}.pdf").status_code == 404
    assert juror.get("/anomalies/999999").status_code == 404
    page = text(juror.get("/anomalies/"))
    assert "Mes fiches anomalie" in page
    assert f"/anomalies/{mine.id}\"" in page and f"/anomalies/{theirs.id}\"" not in page


def test_council_and_organiser_read_every_sheet_newest_first(exam_setup, organiser_user, council_user,
                                                              make_web):
    from datetime import datetime
    old = make_anomaly(exam_setup.session, exam_setup.president, filed_at=datetime(2026, 12, 1, 10, 0))
    new = make_anomaly(exam_setup.session, exam_setup.member, filed_at=datetime(2026, 12, 1, 16, 0))
    for user in (organiser_user, council_user):
        web = make_web(user)
        page = web.get("/anomalies/").text
        assert page.index(f"/anomalies/{new.id}\"") < page.index(f"/anomalies/{old.id}\"")
        shown = web.get(f"/anomalies/{old.id}")
        assert shown.status_code == 200 and exam_setup.president.full_name in text(shown)
        assert web.get(f"/anomalies/{old.id}.pdf").status_code == 200


def test_the_page_shows_the_councils_status_and_the_evidence_link(exam_setup, council_user, make_web):
    setup = exam_setup
    make_web(setup.president).post("/anomalies/nouvelle", sheet_form(setup.session))
    sheet = db.session.scalar(db.select(AnomalySheet))
    signature = db.session.scalar(db.select(Signature).filter_by(document=ANOMALY))
    make_review(anomaly=sheet, signed=True, commission="2026-07")
    page = text(make_web(council_user).get(f"/anomalies/{sheet.id}"))
    assert "Examinée" in page and "2026-07" in page and "Anomalie technique, à prévenir." in page
    assert f"/signatures/{signature.id}/preuve.json" in page
    # The council reads the observer's signature evidence too.
    assert make_web(council_user).get(f"/signatures/{signature.id}/preuve.json").status_code == 200


def test_anonymous_goes_to_login_and_other_roles_are_refused(exam_setup, web, council_user, make_web):
    sheet = make_anomaly(exam_setup.session, exam_setup.president)
    for url in ("/anomalies/", "/anomalies/nouvelle", f"/anomalies/{sheet.id}", f"/anomalies/{sheet.id}.pdf"):
        r = web.get(url)
        assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    # The council reads, it does not file.
    council = make_web(council_user)
    assert council.get("/anomalies/nouvelle").status_code == 403
    assert council.post("/anomalies/nouvelle", sheet_form(exam_setup.session)).status_code == 403


def test_entry_points_link_to_the_form(exam_setup, organiser_user, make_web):
    juries = make_web(exam_setup.president).get("/jury/").text
    assert f"/anomalies/nouvelle?session={exam_setup.session.id}" in juries
    session_page = make_web(organiser_user).get(f"/sessions/{exam_setup.session.id}").text
    assert f"/anomalies/nouvelle?session={exam_setup.session.id}" in session_page


def test_a_juror_who_is_also_organiser_files_as_juror_on_their_own_session(app, make_web):
    both = make_user(JUROR, ORGANISER, first_name="Sephora", last_name="Labi")
    setup = make_exam(president=both)
    elsewhere = make_exam()
    web = make_web(both)
    assert web.post("/anomalies/nouvelle", sheet_form(setup.session)).status_code == 303
    assert web.post("/anomalies/nouvelle", sheet_form(elsewhere.session)).status_code == 303
    kinds = {s.session_id: s.reporter_kind for s in db.session.scalars(db.select(AnomalySheet))}
    assert kinds == {setup.session.id: "juror", elsewhere.session.id: "organiser"}
