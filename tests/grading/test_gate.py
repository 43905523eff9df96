"""Who may still grade: nothing is written in a cancelled or closed session, nor by a
juror whose habilitation is not (or no longer) favourable. A click stays cheap."""
import re

import pytest
from sqlalchemy import event

from certif.audit.models import AuditEntry
from certif.examday.models import IdentityCheck
from certif.extensions import db
from certif.grading.models import DeliberationMark, Grid, Mark
from certif.jurors.models import ConflictDeclaration, JurorProfile
from certif.sessions.models import Exam

from ..factories.examday import make_attendance
from ..factories.jurors import set_habilitation
from ..factories.sessions import make_exam

CANCELLED = "est annulée : ses candidats ne sont plus évalués"
CLOSED = "est clôturée : les évaluations et les délibérations sont verrouillées"
NOT_HABILITATED = "Votre habilitation de juré pour cette certification n&#39;est pas (ou plus) favorable"
NOT_HABILITATED_TEXT = "Votre habilitation de juré pour cette certification n'est pas (ou plus) favorable"


def enabled_choices(page):
    """The grid's choice buttons one can still click."""
    return re.findall(r'<button type="submit" name="value" value="\w+" id="b\d+-[an]"'
                      r'[^>]*aria-pressed="\w+">', page)


def url(exam, tail=""):
    return f"/jury/examens/{exam.id}{tail}"


def mark(web, setup, criterion=None, value="acquis"):
    criterion = setup.criteria[0] if criterion is None else criterion
    return web.post(url(setup.exam, f"/grille/criteres/{criterion}"), {"value": value}, htmx=True)


def fill(web, setup):
    for cid in setup.criteria:
        assert mark(web, setup, cid).status_code == 200


def set_session_status(setup, status):
    setup.session.status = status
    db.session.commit()


def counts():
    return {model.__name__: db.session.scalar(db.select(db.func.count(model.id)))
            for model in (Grid, Mark, ConflictDeclaration, DeliberationMark, AuditEntry)}




# --- The session's status ----------------------------------------------------------------

@pytest.mark.parametrize("status", ["draft", "convened", "in_progress"])
def test_a_session_being_prepared_or_under_way_is_graded(president, setup, status):
    set_session_status(setup, status)
    assert mark(president, setup).status_code == 200
    assert len(enabled_choices(president.get(url(setup.exam, "/grille")).text)) == 48


@pytest.mark.parametrize("status, message", [("cancelled", CANCELLED), ("closed", CLOSED)])
def test_nothing_is_declared_nor_marked_in_a_cancelled_or_closed_session(app, make_web, status, message):
    setup = make_exam("RS6240", declared=False)
    president = make_web(setup.president)
    set_session_status(setup, status)
    before = counts()
    r = president.post(url(setup.exam, "/declaration"), {"value": "none"})
    assert r.status_code == 409 and message.replace("'", "&#39;") in r.text
    r = mark(president, setup)
    assert r.status_code == 409 and r.mimetype == "text/plain"
    assert r.text == f"La session n° {setup.session.number} {message}" + r.text.split(message)[1]
    assert counts() == before


def test_the_grid_of_a_cancelled_session_says_so_and_offers_nothing_to_click(president, setup):
    mark(president, setup)
    set_session_status(setup, "cancelled")
    page = president.get(url(setup.exam, "/grille")).text
    assert CANCELLED in page and 'id="refus"' in page
    assert enabled_choices(page) == [] and page.count(" disabled>") == 48
    assert "Je confirme et je commence l" not in page


def test_the_declaration_form_is_not_offered_in_a_cancelled_session(app, make_web):
    setup = make_exam("RS6240", declared=False)
    set_session_status(setup, "cancelled")
    page = make_web(setup.member).get(url(setup.exam, "/grille")).text
    assert CANCELLED in page and "Je confirme et je commence l" not in page


def test_no_deliberation_opens_in_a_cancelled_session(president, member, setup):
    fill(president, setup)
    fill(member, setup)
    set_session_status(setup, "cancelled")
    assert "Ouvrir la délibération" not in president.get(url(setup.exam, "/avancement"), htmx=True).text
    r = president.post(url(setup.exam, "/deliberation/ouvrir"))
    assert r.status_code == 409 and CANCELLED in r.text
    assert db.session.get(Exam, setup.exam.id).phase == "grading"


@pytest.fixture
def deliberating(president, member, setup):
    """Both grids complete, the member disagreeing on the first criterion; deliberation open."""
    fill(president, setup)
    fill(member, setup)
    assert mark(member, setup, value="non_acquis").status_code == 200
    assert president.post(url(setup.exam, "/deliberation/ouvrir")).status_code == 303
    return setup


def deliberation_writes(setup):
    first = setup.criteria[0]
    return [(f"/deliberation/criteres/{first}", {"value": "non_acquis"}),
            ("/deliberation/commentaire", {"comment": "Bien."}),
            ("/deliberation/cloture", {"confirm": "oui", "comment": "Bien.", "shown_total": "19.33",
                                       "shown_decision": "unfavorable"})]


@pytest.mark.parametrize("status, message", [("cancelled", CANCELLED), ("closed", CLOSED)])
def test_the_deliberation_stops_in_a_cancelled_or_closed_session(president, deliberating, status, message):
    setup = deliberating
    set_session_status(setup, status)
    before = counts()
    for tail, data in deliberation_writes(setup):
        r = president.post(url(setup.exam, tail), data, htmx=True)
        assert r.status_code == 409 and message in r.text, tail
    assert counts() == before
    exam = db.session.get(Exam, setup.exam.id)
    assert exam.phase == "deliberation" and exam.president_comment is None
    page = president.get(url(setup.exam, "/deliberation")).text
    assert message.replace("'", "&#39;") in page and 'id="clore-deliberation"' not in page


# --- The juror's habilitation ------------------------------------------------------------

@pytest.mark.parametrize("result", ["unfavourable", None])
def test_a_juror_without_favourable_habilitation_cannot_declare_nor_mark(app, make_web, result):
    setup = make_exam("RS6240", declared=False)
    set_habilitation(setup.member, result)
    member = make_web(setup.member)
    before = counts()
    r = member.post(url(setup.exam, "/declaration"), {"value": "none"})
    assert r.status_code == 409 and NOT_HABILITATED in r.text
    assert "doit vous remplacer dans ce jury" in r.text
    assert counts() == before
    # Once declared (before the decision), marking is refused all the same.
    db.session.add(ConflictDeclaration(exam_id=setup.exam.id, juror_id=setup.member.id,
                                       has_conflict=False))
    db.session.commit()
    before = counts()
    r = mark(member, setup)
    assert r.status_code == 409 and r.text.startswith(NOT_HABILITATED_TEXT)
    assert counts() == before
    page = member.get(url(setup.exam, "/grille")).text
    assert NOT_HABILITATED in page and enabled_choices(page) == []


def test_a_juror_without_a_profile_cannot_mark(app, make_web, setup):
    db.session.execute(db.delete(JurorProfile).where(JurorProfile.user_id == setup.member.id))
    set_habilitation(setup.member, None)
    r = mark(make_web(setup.member), setup)
    assert r.status_code == 409 and r.text.startswith(NOT_HABILITATED_TEXT)


def test_a_juror_habilitated_for_another_certification_only_cannot_mark(app, make_web, setup):
    """The check reads the habilitation for the session's certification (RS6240 here)."""
    set_habilitation(setup.member, None, codes=("RS6240",))
    assert setup.member.juror_habilitations[0].referential_code == "RNCP-CM"
    r = mark(make_web(setup.member), setup)
    assert r.status_code == 409 and r.text.startswith(NOT_HABILITATED_TEXT)


def test_the_other_juror_of_the_jury_still_grades(president, setup):
    set_habilitation(setup.member, "unfavourable")
    assert mark(president, setup).status_code == 200


def test_a_president_without_habilitation_cannot_open_the_deliberation(president, member, setup):
    fill(president, setup)
    fill(member, setup)
    set_habilitation(setup.president, "unfavourable")
    r = president.post(url(setup.exam, "/deliberation/ouvrir"))
    assert r.status_code == 409 and NOT_HABILITATED in r.text
    assert db.session.get(Exam, setup.exam.id).phase == "grading"


def test_a_president_without_habilitation_cannot_deliberate(president, deliberating):
    setup = deliberating
    set_habilitation(setup.president, "unfavourable")
    before = counts()
    for tail, data in deliberation_writes(setup):
        r = president.post(url(setup.exam, tail), data, htmx=True)
        assert r.status_code == 409 and r.text.startswith(NOT_HABILITATED_TEXT), tail
    assert counts() == before
    assert db.session.get(Exam, setup.exam.id).phase == "deliberation"


# --- The cost of a click -----------------------------------------------------------------

def statements_of(web, send):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = send()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.text
    return len(seen)


def test_a_click_runs_at_most_seven_sql_statements(president, setup):
    exam_id, criteria = setup.exam.id, setup.criteria  # read before counting
    target = f"/jury/examens/{exam_id}/grille/criteres/{{}}"
    first = statements_of(president, lambda: president.post(target.format(criteria[0]),
                                                            {"value": "acquis"}, htmx=True))
    later = statements_of(president, lambda: president.post(target.format(criteria[1]),
                                                            {"value": "acquis"}, htmx=True))
    change = statements_of(president, lambda: president.post(target.format(criteria[1]),
                                                             {"value": "non_acquis"}, htmx=True))
    # BEGIN, the user, BEGIN IMMEDIATE, the exam with everything its gate needs (session,
    # jury, habilitation, declaration: one statement), the grid, the mark, the audit entry;
    # the first click also creates the grid.
    assert first <= 8 and later <= 7 and change <= 7


def test_grading_waits_for_the_identity_check(app, make_web):
    """Seed 000, I.C.2: the jury checks identity and convocation before evaluating."""
    setup = make_exam(identity_checked=False)
    criterion = setup.criteria[0]
    web = make_web(setup.president)
    response = web.post(f"/jury/examens/{setup.exam.id}/grille/criteres/{criterion}",
                        {"value": "acquis"}, htmx=True)
    assert response.status_code == 409
    assert "identité" in response.text
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0
    db.session.add(IdentityCheck(exam_id=setup.exam.id, document_type="passport",
                                 convocation_checked=True, mode="camera",
                                 checked_by_id=setup.member.id))
    db.session.commit()
    make_attendance(setup.exam, (setup.president, setup.member))  # the sheets are signed too
    response = web.post(f"/jury/examens/{setup.exam.id}/grille/criteres/{criterion}",
                        {"value": "acquis"}, htmx=True)
    assert response.status_code == 200


def test_signed_minutes_lock_every_grade_of_the_session(app, make_web):
    """DESIGN: once the minutes are signed, a later change is refused with a clear message."""
    from certif.minutes.models import Minutes
    from certif.timeutil import utcnow
    setup = make_exam()
    db.session.add(Minutes(session_id=setup.session.id, locked_at=utcnow()))
    db.session.commit()
    web = make_web(setup.president)
    response = web.post(f"/jury/examens/{setup.exam.id}/grille/criteres/{setup.criteria[0]}",
                        {"value": "acquis"}, htmx=True)
    assert response.status_code == 409
    assert "procès-verbal de la session" in response.text and "verrouillées" in response.text
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0
