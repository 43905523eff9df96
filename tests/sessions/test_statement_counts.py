"""The session page, the sessions list and the jury form read the database a fixed
number of times, however many jurors the organisation has, however many juries,
candidates and declared conflicts a session holds (no N+1)."""
from certif.extensions import db
from certif.jurors.models import ConflictDeclaration

from ..factories.candidates import make_candidate
from ..factories.convocations import make_convocation
from ..factories.database import counting_statements
from ..factories.jurors import make_juror
from ..factories.sessions import make_jury, make_session, place


def build(juries: int, candidates_per_jury: int, idle_jurors: int = 0):
    """A session whose candidates each have a declared conflict, and jurors who do not sit."""
    session = make_session()
    for _ in range(juries):
        jury = make_jury(session)
        for _ in range(candidates_per_jury):
            exam = place(jury, make_candidate())
            make_convocation(session, exam=exam)
            db.session.add(ConflictDeclaration(exam_id=exam.id, juror_id=jury.members[0].juror_id,
                                               has_conflict=True, comment="Ancien collègue"))
        for member in jury.members:
            make_convocation(session, juror_user=member.juror)
    for i in range(idle_jurors):
        make_juror(last_name=f"Libre{i}", result=None if i % 2 else "favourable")
    db.session.commit()
    return session


def statements_for(web, url) -> int:
    db.session.expire_all()
    with counting_statements() as statements:
        response = web.get(url)
    assert response.status_code == 200
    return len(statements)


def test_the_session_page_costs_the_same_for_one_or_many_jurors_and_conflicts(app, organiser):
    small = build(juries=1, candidates_per_jury=1, idle_jurors=1)
    organiser.get(f"/sessions/{small.id}")  # warm up (login, caches)
    few = statements_for(organiser, f"/sessions/{small.id}")
    large = build(juries=4, candidates_per_jury=6, idle_jurors=15)
    assert statements_for(organiser, f"/sessions/{small.id}") == few  # more jurors to choose from
    assert statements_for(organiser, f"/sessions/{large.id}") == few  # more juries and conflicts
    page = organiser.get(f"/sessions/{large.id}")
    assert page.text.count("Ancien collègue") == 24


def test_the_jury_form_costs_the_same_for_one_or_many_jurors(app, organiser):
    session = build(juries=1, candidates_per_jury=0, idle_jurors=1)
    url = f"/sessions/{session.id}/jurys"
    organiser.get(url)
    few = statements_for(organiser, url)
    for i in range(12):
        make_juror(last_name=f"Autre{i}", result=None if i % 3 else "favourable")
    assert statements_for(organiser, url) == few


def test_the_sessions_list_costs_the_same_for_one_or_many_sessions(app, organiser):
    build(juries=1, candidates_per_jury=1)
    organiser.get("/sessions/")
    few = statements_for(organiser, "/sessions/")
    for _ in range(3):
        build(juries=2, candidates_per_jury=3)
    assert statements_for(organiser, "/sessions/") == few
