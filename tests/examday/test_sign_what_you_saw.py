"""Every exam-day signature signs what the signer's page displayed (its content fingerprint),
and a candidate's link dies when the attendance is closed (minutes signed, jury stopped,
the juror who gave the code knows the candidate)."""
import re
from datetime import time, timedelta
from html import unescape

import pytest

from certif.audit.models import AuditEntry
from certif.examday import guards
from certif.examday.models import AttendanceLink
from certif.extensions import db
from certif.jurors.models import ConflictDeclaration
from certif.minutes.models import Minutes
from certif.signatures.models import CANDIDATE_ATTENDANCE, CONDITIONS, JURY_ATTENDANCE, Signature
from certif.timeutil import paris_to_utc, paris_today, utcnow

from ..factories.sessions import make_exam
from ..factories.web import CSRF_RE, Browserless
from .helpers import IDENTITY, TYPED, seen_hash, sign

CHANGED = ("Le document a changé depuis que vous l'avez ouvert : relisez-le (la page est "
           "rechargée) puis signez à nouveau.")
INCOMPLETE = "Le formulaire de signature est incomplet : rechargez la page."
ALL_RESPECTED = {f"condition_{n}": "respectee" for n in range(1, 13)}


def exam_url(setup, path="accueil"):
    return f"/jury/examens/{setup.exam.id}/{path}"


def count(document):
    return db.session.scalar(db.select(db.func.count(Signature.id)).filter_by(document=document))


def reschedule(setup, minutes=30):
    """What the page showed is no longer so: the exam moved by half an hour."""
    setup.exam.starts_at += timedelta(minutes=minutes)
    db.session.commit()


@pytest.fixture
def checked(setup, president):
    assert president.post(exam_url(setup, "identite"), IDENTITY).status_code == 303
    return setup


@pytest.fixture
def candidate(app):
    client = Browserless(app.test_client())
    client.token = CSRF_RE.search(client.get("/emargement").text).group(1)
    return client


def give_code(setup, juror):
    assert juror.post(exam_url(setup, "lien-emargement")).status_code == 303
    page = unescape(juror.get(exam_url(setup)).text)
    return re.search(r'class="attendance-code"[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})<', page).group(1)


# --- The fingerprint on every signing form ------------------------------------------------

def test_jury_attendance_stale_missing_and_right_fingerprint(setup, president):
    action = exam_url(setup, "emargement-jure")
    seen = seen_hash(president, exam_url(setup), action)
    assert seen and len(seen) == 64
    setup.exam.candidate.last_name = "Renommé"  # the line to sign changed meanwhile
    db.session.commit()
    stale = president.post(action, {**TYPED, "content_sha256": seen})
    assert stale.status_code == 409 and CHANGED in unescape(stale.text)
    for bad in ({}, {"content_sha256": ""}, {"content_sha256": "abc"}, {"content_sha256": "z" * 64}):
        response = president.post(action, {**TYPED, **bad})
        assert response.status_code == 400 and INCOMPLETE in unescape(response.text)
    assert count(JURY_ATTENDANCE) == 0
    assert sign(president, exam_url(setup), action).status_code == 303
    sig = db.session.scalar(db.select(Signature).filter_by(document=JURY_ATTENDANCE))
    assert "RENOMMÉ" in sig.content and sig.content_sha256 != seen


def test_stale_fingerprint_over_htmx_is_plain_text(setup, president):
    action = exam_url(setup, "emargement-jure")
    seen = seen_hash(president, exam_url(setup), action)
    setup.exam.candidate.first_name = "Autre"
    db.session.commit()
    response = president.post(action, {**TYPED, "content_sha256": seen}, htmx=True)
    assert response.status_code == 409 and response.mimetype == "text/plain"
    assert response.text == CHANGED


def test_candidate_in_person_stale_missing_and_right_fingerprint(checked, president):
    action = exam_url(checked, "emargement-candidat")
    seen = seen_hash(president, exam_url(checked), action)
    reschedule(checked)
    stale = president.post(action, {**TYPED, "content_sha256": seen})
    assert stale.status_code == 409 and CHANGED in unescape(stale.text)
    assert president.post(action, TYPED).status_code == 400
    assert count(CANDIDATE_ATTENDANCE) == 0
    assert sign(president, exam_url(checked), action).status_code == 303
    assert count(CANDIDATE_ATTENDANCE) == 1


def test_candidate_link_stale_missing_and_right_fingerprint(checked, president, candidate):
    code = give_code(checked, president)
    assert candidate.post("/emargement", {"code": code}).status_code == 303
    seen = seen_hash(candidate, "/emargement/signer", "/emargement/signer")
    reschedule(checked)  # the time on the sheet the candidate read is no longer right
    stale = candidate.post("/emargement/signer", {**TYPED, "content_sha256": seen})
    assert stale.status_code == 409 and CHANGED in unescape(stale.text)
    missing = candidate.post("/emargement/signer", TYPED)
    assert missing.status_code == 400 and INCOMPLETE in unescape(missing.text)
    assert count(CANDIDATE_ATTENDANCE) == 0
    assert db.session.scalar(db.select(AttendanceLink)).used_at is None  # still usable
    assert sign(candidate, "/emargement/signer", "/emargement/signer").status_code == 303
    assert count(CANDIDATE_ATTENDANCE) == 1


@pytest.fixture
def sheet_day(setup):
    """The conditions sheet is filled on the session's day: put the session on today."""
    setup.session.starts_at = paris_to_utc(paris_today(), time(9, 0))
    for i, exam in enumerate(setup.jury.exams):
        exam.starts_at = setup.session.starts_at + timedelta(minutes=30 * i)
    db.session.commit()
    return setup


def sheet_url(setup, suffix=""):
    return f"/jury/jurys/{setup.jury.id}/conditions{suffix}"


def test_conditions_changed_by_the_other_juror_is_409(setup, sheet_day, president, member):
    assert president.post(sheet_url(setup), {**ALL_RESPECTED, "observations": ""}).status_code == 303
    action = sheet_url(setup, "/signature")
    seen = seen_hash(member, sheet_url(setup), action)
    assert seen
    # The president changes a condition while the member reads the sheet.
    president.post(sheet_url(setup), {"condition_4": "non_respectee", "observations": "Micro en panne"})
    stale = member.post(action, {**TYPED, "content_sha256": seen})
    assert stale.status_code == 409 and CHANGED in unescape(stale.text)
    assert member.post(action, TYPED).status_code == 400
    assert count(CONDITIONS) == 0
    # Reloaded, the member reads the breach and signs it.
    page = unescape(member.get(sheet_url(setup)).text)
    assert "Micro en panne" in page
    assert sign(member, sheet_url(setup), action).status_code == 303
    sig = db.session.scalar(db.select(Signature).filter_by(document=CONDITIONS))
    assert "Micro en panne" in sig.content


def test_conditions_autosave_refreshes_the_fingerprint(setup, sheet_day, president):
    """The juror's own answers, saved by htmx as they go, do not make their signature stale."""
    president.post(sheet_url(setup), {**ALL_RESPECTED, "observations": ""})
    saved = president.post(sheet_url(setup), {"condition_2": "non_respectee",
                                              "observations": "Habilitation expirée"}, htmx=True)
    assert saved.status_code == 200
    oob = re.search(r'name="content_sha256" id="fiche-empreinte" value="([0-9a-f]{64})" '
                    r'data-hx-swap-oob="true"', saved.text)
    assert oob
    assert oob.group(1) == seen_hash(president, sheet_url(setup), sheet_url(setup, "/signature"))
    signed = president.post(sheet_url(setup, "/signature"), {**TYPED, "content_sha256": oob.group(1)})
    assert signed.status_code == 303


def test_conditions_incomplete_sheet_has_no_fingerprint_yet(setup, sheet_day, president):
    president.post(sheet_url(setup), {"condition_1": "respectee"})
    assert seen_hash(president, sheet_url(setup), sheet_url(setup, "/signature")) is None
    response = president.post(sheet_url(setup, "/signature"), TYPED)
    assert response.status_code == 400 and "Répondez à toutes les conditions" in unescape(response.text)


# --- A link dies when the attendance is closed --------------------------------------------

def lock_minutes(setup):
    db.session.add(Minutes(session_id=setup.session.id, locked_at=utcnow()))
    db.session.commit()


def test_locked_minutes_close_open_links(checked, president, candidate):
    code = give_code(checked, president)
    assert candidate.post("/emargement", {"code": code}).status_code == 303
    seen = seen_hash(candidate, "/emargement/signer", "/emargement/signer")
    lock_minutes(checked)
    message = (f"Le procès-verbal de la session n° {checked.session.number} est signé : "
               "l'émargement des candidats est clos.")
    for response in (candidate.post("/emargement/signer", {**TYPED, "content_sha256": seen}),
                     candidate.get("/emargement/signer"),
                     candidate.post("/emargement", {"code": code})):
        assert response.status_code == 410 and message in unescape(response.text)
        assert "Ce lien ne peut plus servir" in unescape(response.text)
    assert count(CANDIDATE_ATTENDANCE) == 0
    assert db.session.scalar(db.select(AttendanceLink)).used_at is None
    assert not db.session.scalar(db.select(AuditEntry).filter_by(action="attendance_link.use"))
    # The jury's page no longer shows the code; no new one can be given.
    assert code not in unescape(president.get(exam_url(checked)).text)
    assert president.post(exam_url(checked, "lien-emargement")).status_code == 409
    assert db.session.scalar(db.select(db.func.count(AttendanceLink.id))) == 1


def test_stopped_jury_closes_links_and_refuses_new_ones(checked, president, candidate):
    code = give_code(checked, president)
    checked.jury.stopped_at = utcnow()
    checked.jury.absent_juror_id = checked.member.id
    db.session.commit()
    response = candidate.post("/emargement", {"code": code})
    assert response.status_code == 410
    assert guards.MSG_ATTENDANCE_JURY_STOPPED in unescape(response.text)
    refused = president.post(exam_url(checked, "lien-emargement"))
    assert refused.status_code == 409
    assert db.session.scalar(db.select(db.func.count(AttendanceLink.id))) == 1


def test_stopped_jury_is_refused_in_any_phase(checked, president):
    """The refusal does not hang on the grading phase (it held only while grading)."""
    checked.jury.stopped_at = utcnow()
    checked.exam.phase = "deliberation"
    db.session.commit()
    response = president.post(exam_url(checked, "lien-emargement"))
    assert response.status_code == 409
    assert guards.MSG_ATTENDANCE_JURY_STOPPED in unescape(response.text)
    assert db.session.scalar(db.select(db.func.count(AttendanceLink.id))) == 0


def test_code_from_a_juror_who_then_declares_a_conflict_dies(app, make_web, candidate):
    setup = make_exam("RS6240", identity_checked=False, declared=False)
    president, member = make_web(setup.president), make_web(setup.member)
    db.session.add(ConflictDeclaration(exam=setup.exam, juror=setup.president, has_conflict=False))
    db.session.commit()
    assert president.post(exam_url(setup, "identite"), IDENTITY).status_code == 303
    code = give_code(setup, member)  # the member has not declared yet
    db.session.add(ConflictDeclaration(exam=setup.exam, juror=setup.member, has_conflict=True))
    db.session.commit()
    response = candidate.post("/emargement", {"code": code})
    assert response.status_code == 410
    assert guards.MSG_LINK_CREATOR_CONFLICT in unescape(response.text)
    assert member.post(exam_url(setup, "lien-emargement")).status_code == 409
    # The other juror gives a new code, which works.
    code = give_code(setup, president)
    assert candidate.post("/emargement", {"code": code}).status_code == 303
    assert sign(candidate, "/emargement/signer", "/emargement/signer").status_code == 303
    assert count(CANDIDATE_ATTENDANCE) == 1
