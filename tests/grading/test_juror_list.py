"""The juror's list (/jury/): candidates no longer theirs (moved, absent, carence) are
greyed and have nothing to do; sessions come by date (today, upcoming, past), exams by
slot; each session links to the juror's convocation; the list costs a fixed number of
statements however many sessions and exams it holds."""
import re
from datetime import time, timedelta

import pytest
from flask import url_for
from sqlalchemy import event

from certif.extensions import db
from certif.grading.models import Grid, Mark
from certif.jurors.models import ConflictDeclaration
from certif.sessions.models import ABSENT_EXCUSED, ABSENT_UNEXCUSED, MOVED, Exam
from certif.timeutil import paris_to_utc, to_paris, utcnow

from ..factories.jurors import make_juror
from ..factories.sessions import make_exam

TO_DECLARE = "Déclaration à faire"
CARENCE = "Jury arrêté (carence)"


def rows(page):
    """{candidate name: (li class, text)} of the list."""
    found = {}
    for cls, body in re.findall(r'<li( class="[^"]*")?>\s*<a class="exam-link"(.*?)</a>', page, re.S):
        name = re.search(r'<span class="name">([^<]+)</span>', body).group(1)
        found[name] = (cls.strip(), re.sub(r"<[^>]+>", " ", body))
    return found


def today_at(hour, days=0):
    day = to_paris(utcnow()).date() + timedelta(days=days)
    return paris_to_utc(day, time(hour, 0))


@pytest.fixture
def juror_user(app):
    return make_juror("Paule", "Juree")


def exam_with_status(juror_user, status=None, stopped=False):
    setup = make_exam("RS6240", president=juror_user, declared=False)
    if status:
        setup.exam.status = status
    if stopped:
        setup.jury.stopped_at = utcnow()
        setup.jury.absent_juror_id = setup.member.id
    db.session.commit()
    return setup


@pytest.mark.parametrize("status, label", [(MOVED, "Reporté"), (ABSENT_EXCUSED, "Absent"),
                                           (ABSENT_UNEXCUSED, "Absent"), (None, CARENCE)])
def test_a_candidate_no_longer_theirs_is_greyed_with_nothing_to_do(make_web, juror_user, status, label):
    setup = exam_with_status(juror_user, status, stopped=status is None)
    still = make_exam("RS6240", president=juror_user, declared=False)
    page = make_web(juror_user).get("/jury/").text
    listed = rows(page)
    cls, text = listed[setup.exam.candidate.full_name]
    assert cls == 'class="not-sitting"' and label in text and TO_DECLARE not in text
    assert "Évaluation" not in text
    cls, text = listed[still.exam.candidate.full_name]
    assert cls == "" and TO_DECLARE in text


@pytest.mark.parametrize("status, banner", [
    (MOVED, "Reporté : ce candidat a été reporté à une autre session"),
    (ABSENT_EXCUSED, "Absent : ce candidat a été déclaré absent"),
    (None, "Jury arrêté (carence) : la carence d&#39;un juré a arrêté ce jury")])
def test_the_grid_of_such_a_candidate_says_so_and_offers_no_declaration(make_web, juror_user, status, banner):
    setup = exam_with_status(juror_user, status, stopped=status is None)
    response = make_web(juror_user).get(f"/jury/examens/{setup.exam.id}/grille")
    assert response.status_code == 200
    page = response.text
    assert banner in page and "Je confirme et je commence" not in page
    assert page.index(banner) < page.index('class="sticky"')  # before the (read-only) grid
    assert f'action="/jury/examens/{setup.exam.id}/declaration"' not in page
    # Nor can it be declared behind the page's back.
    r = make_web(juror_user).post(f"/jury/examens/{setup.exam.id}/declaration", {"value": "none"})
    assert r.status_code == 409
    assert db.session.scalar(db.select(db.func.count(ConflictDeclaration.id))) == 0


def test_after_a_carence_only_the_replacement_sitting_is_to_do(make_web, juror_user):
    """The stopped jury's sitting moved to the replacement session: same candidate twice,
    only the new one is to declare and grade."""
    old = exam_with_status(juror_user, MOVED, stopped=True)
    new = make_exam("RS6240", president=juror_user, declared=False)
    new.exam.candidate = old.exam.candidate
    new.session.replaces_jury_id = old.jury.id
    old.exam.moved_to = new.exam
    db.session.commit()
    page = make_web(juror_user).get("/jury/").text
    items = re.findall(r'<li( class="not-sitting")?>\s*<a class="exam-link" href="([^"]+)"', page)
    assert sorted(items) == sorted([(' class="not-sitting"', f"/jury/examens/{old.exam.id}/grille"),
                                    ("", f"/jury/examens/{new.exam.id}/grille")])
    assert page.count(TO_DECLARE) == 1 and page.count('class="not-sitting"') == 1
    assert "Jury arrêté (carence) le" in page


def test_sessions_by_date_today_first_then_upcoming_then_past(make_web, juror_user):
    offsets = [-10, 10, 0, -3, 3]
    numbers = {}
    for days in offsets:
        setup = make_exam("RS6240", president=juror_user, candidates=2)
        setup.session.starts_at = today_at(9, days)
        for i, exam in enumerate(setup.jury.exams):
            exam.starts_at = setup.session.starts_at + timedelta(minutes=30 * i)
        numbers[days] = setup.session.number
    db.session.commit()
    page = make_web(juror_user).get("/jury/").text
    shown = re.findall(r"<h2>Session n° (\S+) ", page)
    assert shown == [numbers[d] for d in (0, 3, 10, -3, -10)]
    assert "Aujourd'hui" in page


def test_exams_within_a_jury_by_slot(make_web, juror_user):
    setup = make_exam("RS6240", president=juror_user, candidates=3)
    first, second, third = setup.jury.exams
    # The last created comes first in time.
    third.starts_at, first.starts_at = first.starts_at, third.starts_at
    db.session.commit()
    page = make_web(juror_user).get("/jury/").text
    names = list(rows(page))
    assert names == [e.candidate.full_name for e in (third, second, first)]


def test_each_session_links_to_the_jurors_own_convocation(app, make_web, juror_user):
    one = make_exam("RS6240", president=juror_user)
    two = make_exam("RS6240", member=juror_user)
    page = make_web(juror_user).get("/jury/").text
    for setup in (one, two):
        with app.test_request_context():
            href = url_for("convocations.juror_pdf", session_id=setup.session.id, juror_id=juror_user.id)
        assert f'href="{href}"' in page
    assert page.count("Ma convocation (PDF)") == 2
    response = make_web(juror_user).get(href)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


# --- The cost of the list -------------------------------------------------------------

def statements_for(web):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = web.get("/jury/")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen)


def test_the_list_reads_the_database_a_fixed_number_of_times(make_web, juror_user):
    make_exam("RS6240", president=juror_user)
    web = make_web(juror_user)
    web.get("/jury/")  # the grid layout is cached after its first load
    small = statements_for(web)
    for days in (-5, 0, 5):
        setup = make_exam("RS6240", president=juror_user, candidates=3)
        setup.session.starts_at = today_at(9, days)
        first, second, _ = setup.jury.exams
        first.status = MOVED
        second.status = ABSENT_EXCUSED
        grid = Grid(exam_id=setup.exam.id, juror_id=juror_user.id)
        db.session.add(grid)
        db.session.flush()
        db.session.add(Mark(grid_id=grid.id, criterion_id=setup.criteria[0], value=True))
    stopped = make_exam("RS6240", member=juror_user, candidates=2)
    stopped.jury.stopped_at = utcnow()
    db.session.commit()
    big = statements_for(web)
    assert big == small, (small, big)
    assert db.session.scalar(db.select(db.func.count(Exam.id))) == 12
