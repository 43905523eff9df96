"""Annex 4, the exam-conditions sheet: the 12 conditions, filling, signing, handing, the PDF."""
import io
import json
from datetime import time, timedelta

import pypdf
import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, ORGANISER
from certif.errors import InvalidInput
from certif.examday.conditions import queries, rules, writes
from certif.examday.models import ConditionsSheet
from certif.extensions import db
from certif.signatures.models import CONDITIONS as SIGNED
from certif.signatures.models import Signature
from certif.signatures.rules import canonical_json, sha256_text
from certif.timeutil import french_date, paris_day, paris_to_utc, paris_today, utcnow

from ..factories.jurors import make_juror
from ..factories.sessions import make_exam
from ..factories.users import make_user
from .helpers import sign

TYPED = {"signature_method": "typed", "signature_typed": "Nom Signé"}
ALL_RESPECTED = {f"condition_{n}": "respectee" for n in range(1, 13)}


def on_day(setup, offset=0):
    """Put the session on today's Paris date (+ offset days)."""
    setup.session.starts_at = paris_to_utc(paris_today() + timedelta(days=offset), time(9, 0))
    for i, exam in enumerate(setup.jury.exams):
        exam.starts_at = setup.session.starts_at + timedelta(minutes=30 * i)
    db.session.commit()
    return setup


@pytest.fixture
def setup(app):
    return on_day(make_exam())



def url(setup, suffix=""):
    return f"/jury/jurys/{setup.jury.id}/conditions{suffix}"


def sign_sheet(client, setup):
    """Sign the sheet as the juror's page shows it (with its fingerprint)."""
    return sign(client, url(setup), url(setup, "/signature"), TYPED)


def the_sheet(setup):
    return db.session.scalar(db.select(ConditionsSheet).filter_by(jury_id=setup.jury.id))


def actions(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


# --- The annex's table (pure) ----------------------------------------------------------

def test_twelve_conditions_verbatim_and_in_the_annex_order():
    assert len(rules.CONDITIONS) == 12
    assert rules.CONDITIONS[0] == "Organisation des jurys"
    assert rules.CONDITIONS[3] == "La mise à disposition du matériel pour la présentation"
    assert rules.CONDITIONS[4] == "Contrôle de l'identité de la convocation des candidats"
    assert rules.CONDITIONS[8] == "Organisation délibération"
    assert rules.CONDITIONS[11] == "Conditions générales d'examen"
    assert rules.HINTS[5] == "Contrôle de l'identité et de la convocation des candidats"


@pytest.mark.parametrize("form, expected", [
    ({}, {}),
    ({"condition_1": "respectee", "condition_12": "non_respectee", "observations": "x"},
     {1: True, 12: False}),
    ({"condition_3": ""}, {}),
])
def test_parse_answers(form, expected):
    assert rules.parse_answers(form) == expected


@pytest.mark.parametrize("form", [{"condition_13": "respectee"}, {"condition_0": "respectee"},
                                  {"condition_x": "respectee"}, {"condition_2": "oui"}])
def test_parse_answers_refuses_unknown_positions_and_values(form):
    with pytest.raises(InvalidInput):
        rules.parse_answers(form)


def test_signing_problem():
    full = {n: True for n in range(1, 13)}
    assert rules.signing_problem(full, None) is None
    missing = rules.signing_problem({1: True}, None)
    assert "2. Habilitation du jury" in missing and "12. Conditions générales d'examen" in missing
    breach = {**full, 7: False}
    assert rules.signing_problem(breach, " ") == rules.MSG_OBSERVATIONS_REQUIRED
    assert rules.signing_problem(breach, "Feuille incomplète") is None


# --- Authorisation -------------------------------------------------------------------

def test_anonymous_goes_to_login(setup, web):
    response = web.get(url(setup))
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_only_the_jury_s_jurors_reach_the_sheet(setup, make_web):
    assert make_web(make_user(ORGANISER)).get(url(setup)).status_code == 403
    other = make_web(make_juror("Autre", "Jure"))
    assert other.get(url(setup)).status_code == 404
    assert other.post(url(setup), ALL_RESPECTED).status_code == 404
    assert sign_sheet(other, setup).status_code == 404
    assert the_sheet(setup) is None


def test_juror_page_shows_the_twelve_conditions_as_fieldsets(setup, president):
    page = president.get(url(setup))
    assert page.status_code == 200
    assert page.text.count("<fieldset class=\"condition-choice\"") == 12
    # Respectée / non respectée each, and "sans objet" for condition 10 (no accommodation today).
    assert page.text.count('type="radio" name="condition_') == 25
    assert page.text.count('name="condition_10" value="sans_objet"') == 1
    for label in rules.CONDITIONS:
        assert label.replace("'", "&#39;") in page.text
    assert page.text.index("Organisation des jurys") < page.text.index("Conditions générales")


# --- Filling -------------------------------------------------------------------------

def test_save_answers_and_observations(setup, president, member):
    response = president.post(url(setup), {"condition_1": "respectee", "condition_2": "non_respectee",
                                           "observations": "  Habilitation expirée  "})
    assert response.status_code == 303
    sheet = the_sheet(setup)
    assert queries.sheet_answers(sheet) == {1: True, 2: False}
    assert sheet.observations == "Habilitation expirée"
    assert sheet.day == paris_today()
    # The other juror goes on with the same sheet; unposted observations are kept.
    response = member.post(url(setup), {"condition_2": "respectee"}, htmx=True)
    assert response.status_code == 200 and "Enregistré" in response.text
    assert "data-hx-swap-oob" in response.text and "3. Convocation écrite des jurés" in response.text
    db.session.expire_all()
    sheet = the_sheet(setup)
    assert queries.sheet_answers(sheet) == {1: True, 2: True}
    assert sheet.observations == "Habilitation expirée" and sheet.updated_by_id == setup.member.id
    assert len(actions("conditions.save")) == 2 and len(actions("conditions.create")) == 1


@pytest.mark.parametrize("data", [{"condition_13": "respectee"}, {"condition_2": "peut-etre"},
                                  {"observations": "x" * 4001}])
def test_bad_input_is_refused_and_nothing_written(setup, president, data):
    response = president.post(url(setup), {"condition_1": "respectee", **data})
    assert response.status_code == 400
    assert the_sheet(setup) is None and not actions("conditions.save")


def test_not_before_the_exam_day(app, make_web):
    setup = on_day(make_exam(), offset=1)
    web = make_web(setup.president)
    tomorrow = french_date(paris_today() + timedelta(days=1))
    response = web.post(url(setup), ALL_RESPECTED)
    assert response.status_code == 409 and tomorrow in response.text
    assert "le jour de l" in web.get(url(setup)).text
    assert the_sheet(setup) is None


def test_not_for_a_cancelled_session(setup, president):
    setup.session.status = "cancelled"
    db.session.commit()
    response = president.post(url(setup), ALL_RESPECTED)
    assert response.status_code == 409 and "annulée" in response.text
    assert the_sheet(setup) is None


# --- Signing -------------------------------------------------------------------------

def test_signing_needs_every_condition(setup, president):
    president.post(url(setup), {"condition_1": "respectee"})
    response = sign_sheet(president, setup)
    assert response.status_code == 400
    assert "Répondez à toutes les conditions" in response.text and "Habilitation du jury" in response.text
    assert "Organisation des jurys" not in response.text.split("Sans réponse")[1]
    assert db.session.scalar(db.select(db.func.count(Signature.id)).where(Signature.document == SIGNED)) == 0


def test_a_breach_needs_observations(setup, president):
    president.post(url(setup), {**ALL_RESPECTED, "condition_11": "non_respectee", "observations": ""})
    response = sign_sheet(president, setup)
    assert response.status_code == 400
    assert "Précisez dans les observations ce qui n&#39;a pas été respecté." in response.text
    assert db.session.scalar(db.select(db.func.count(Signature.id)).where(Signature.document == SIGNED)) == 0


def test_edits_refused_after_the_first_signature(setup, president, member):
    president.post(url(setup), ALL_RESPECTED)
    assert sign_sheet(president, setup).status_code == 303
    response = member.post(url(setup), {"condition_1": "non_respectee"})
    assert response.status_code == 409
    assert "La fiche est signée : elle ne peut plus être modifiée." in response.text
    htmx = member.post(url(setup), {"condition_1": "non_respectee"}, htmx=True)
    assert htmx.status_code == 409 and htmx.text == writes.MSG_SIGNED
    assert queries.sheet_answers(the_sheet(setup))[1] is True
    assert the_sheet(setup).handed_at is None
    # Signing twice is refused too.
    assert sign_sheet(president, setup).status_code == 409
    page = member.get(url(setup))
    assert "La fiche est signée" in page.text and "Signer la fiche" in page.text


def test_both_signatures_hand_the_sheet_with_its_breach(setup, president, member):
    president.post(url(setup), {**ALL_RESPECTED, "condition_6": "non_respectee",
                                "observations": "Un candidat n'a pas signé la feuille."})
    sign_sheet(president, setup)
    assert the_sheet(setup).handed_at is None
    assert sign_sheet(member, setup).status_code == 303
    sheet = the_sheet(setup)
    assert sheet.handed_at is not None and sheet.has_breach is True
    hand = actions("conditions.hand")
    assert len(hand) == 1 and hand[0].entity_id == sheet.id
    assert "signalée au conseil de pilotage" in member.get(url(setup)).text


def test_all_respected_is_handed_without_breach(setup, president, member):
    president.post(url(setup), ALL_RESPECTED)
    sign_sheet(president, setup)
    sign_sheet(member, setup)
    sheet = the_sheet(setup)
    assert sheet.handed_at is not None and sheet.has_breach is False


def test_signature_evidence_hashes_the_sheet_content(setup, president, member):
    president.post(url(setup), {**ALL_RESPECTED, "condition_2": "non_respectee", "observations": "Obs"})
    sign_sheet(president, setup)
    sign_sheet(member, setup)
    sheet = the_sheet(setup)
    sigs = db.session.scalars(db.select(Signature).filter_by(document=SIGNED, subject_id=sheet.id)
                              .order_by(Signature.id)).all()
    assert [s.user_id for s in sigs] == [setup.president.id, setup.member.id]
    assert all(s.signer_role == "juror" and s.auth_method == "login" for s in sigs)
    assert sigs[0].content == sigs[1].content  # both signed the same frozen sheet
    content = json.loads(sigs[0].content)
    assert content["document"] == "annexe 4 — fiche de validation des conditions d'examen"
    assert content["session"] == setup.session.number and content["jury"] == "Jury 1"
    assert content["date"] == paris_today().isoformat()
    assert content["certification"] == setup.session.referential.document_title
    assert [c["n"] for c in content["conditions"]] == list(range(1, 13))
    # certif proposed "respectée" (both jurors habilitated): the jury's "non respectée" says so.
    assert content["conditions"][1] == {
        "n": 2, "label": "Habilitation du jury", "respectee": False,
        "origine": "proposée par certif (respectée), modifiée par le jury",
        "faits": "2 jurés habilités sur 2 (avis favorable sur la fiche d'habilitation)."}
    assert content["conditions"][3]["origine"] == "saisie par le jury"  # 4: equipment, no proposal
    assert content["observations"] == "Obs"
    assert content["jurors"] == [setup.president.full_name, setup.member.full_name]
    assert sigs[0].content_sha256 == sha256_text(canonical_json(content))


def test_carence_present_juror_fills_and_hands(setup, president, member):
    setup.jury.stopped_at = utcnow()
    setup.jury.absent_juror_id = setup.member.id
    db.session.commit()
    assert member.post(url(setup), ALL_RESPECTED).status_code == 409
    president.post(url(setup), {**ALL_RESPECTED, "condition_1": "non_respectee",
                                "observations": "Carence d'un juré."})
    assert sign_sheet(member, setup).status_code == 409
    assert sign_sheet(president, setup).status_code == 303
    sheet = the_sheet(setup)
    assert sheet.handed_at is not None and sheet.has_breach is True


# --- Organiser, PDF, dashboard ----------------------------------------------------------

def test_organiser_page_shows_each_jury_s_state(setup, president, member, make_web):
    organiser = make_web(make_user(ORGANISER))
    page_url = f"/sessions/{setup.session.id}/conditions"
    assert "À remplir" in organiser.get(page_url).text
    president.post(url(setup), {**ALL_RESPECTED, "condition_3": "non_respectee", "observations": "O"})
    assert "En cours" in organiser.get(page_url).text
    sign_sheet(president, setup)
    assert f"Signée par {setup.president.full_name}" in organiser.get(page_url).text
    sign_sheet(member, setup)
    page = organiser.get(page_url)
    assert page.status_code == 200
    assert f"Remise le {french_date(paris_day(utcnow()))}" in page.text  # handed now, by the real clock
    assert "signalée au conseil de pilotage" in page.text
    assert f"/conditions/{the_sheet(setup).id}.pdf" in page.text
    assert make_web(make_user(COUNCIL)).get(page_url).status_code == 200
    assert president.get(page_url).status_code == 403
    assert organiser.get("/sessions/999999/conditions").status_code == 404


def _layout_lines(data):
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text(extraction_mode="layout") for p in reader.pages).splitlines()


def test_pdf_annex_4(setup, president, member, make_web):
    president.post(url(setup), {**ALL_RESPECTED, "condition_4": "non_respectee",
                                "condition_10": "non_respectee", "observations": "Micro en panne"})
    sign_sheet(president, setup)
    sign_sheet(member, setup)
    sheet = the_sheet(setup)
    response = make_web(make_user(ORGANISER)).get(f"/conditions/{sheet.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    lines = _layout_lines(response.data)
    text = " ".join(" ".join(lines).split())
    assert "FICHE DE VALIDATION DES CONDITIONS D'EXAMEN" in text
    assert setup.session.referential.document_title in text
    assert "DATE :" in text and f"Session N° {setup.session.number}" in text
    assert "Micro en panne" in text
    assert setup.president.last_name.upper() in text and setup.member.last_name.upper() in text
    assert "Nom Signé" in text  # the typed signatures
    # Each answer says where it came from: certif's proposal confirmed or changed, or the jury's.
    assert text.count("Réponse ") == len(rules.CONDITIONS)
    assert "Réponse saisie par le jury" in text or "confirmée par le jury" in text
    header = next(line for line in lines if "RESPECTEES" in line)
    non_col = header.index("NON RESPECTEES")
    for n, label in enumerate(rules.CONDITIONS, start=1):
        line = next(line for line in lines if label in line)
        cross = line.rindex("X")
        assert cross > line.index(label) + len(label) - 1
        assert (cross >= non_col) is (n in (4, 10)), label


def test_pdf_access(setup, president, make_web):
    president.post(url(setup), {"condition_1": "respectee"})
    pdf_url = f"/conditions/{the_sheet(setup).id}.pdf"
    assert president.get(pdf_url).status_code == 200
    assert make_web(make_user(COUNCIL)).get(pdf_url).status_code == 200
    assert make_web(make_juror("Autre", "Jure")).get(pdf_url).status_code == 404
    assert president.get("/conditions/999999.pdf").status_code == 404
    text = "\n".join(_layout_lines(president.get(pdf_url).data))
    assert "Non signé" in text and "pas encore signée" in text


def test_sheets_for_jury(setup, president):
    assert queries.sheets_for_jury(setup.jury.id) == []
    president.post(url(setup), {"condition_1": "respectee"})
    assert [s.id for s in queries.sheets_for_jury(setup.jury.id)] == [the_sheet(setup).id]


def test_sheets_not_handed(setup, president, member):
    today = paris_today()
    assert queries.sheets_not_handed(today) == []  # the day is not over
    tomorrow = today + timedelta(days=1)
    assert [(j.id, s.id) for j, s in queries.sheets_not_handed(tomorrow)] == \
        [(setup.jury.id, setup.session.id)]
    president.post(url(setup), ALL_RESPECTED)
    sign_sheet(president, setup)
    assert len(queries.sheets_not_handed(tomorrow)) == 1  # one signature is not enough
    sign_sheet(member, setup)
    assert queries.sheets_not_handed(tomorrow) == []


def test_sheets_not_handed_skips_cancelled_and_stopped(app):
    cancelled, stopped = on_day(make_exam()), on_day(make_exam())
    cancelled.session.status = "cancelled"
    stopped.jury.stopped_at = utcnow()
    db.session.commit()
    assert queries.sheets_not_handed(paris_today() + timedelta(days=1)) == []


def test_other_juror_gets_404_even_with_bad_input(setup, make_web):
    other = make_web(make_juror("Autre", "Jure"))
    assert other.post(url(setup), {"condition_99": "x"}).status_code == 404
