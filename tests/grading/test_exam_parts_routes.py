"""The exam's parts and the competencies' coverage on the grid page (issue 14, item 6),
through the test client: the president moves the jury on, the other juror sees it, either
juror marks the coverage; refusals with their status and French message."""
import html

import pytest

from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.grading.parts.models import CompetencyCoverage, ExamPartStart
from certif.sessions.models import CLOSED, DELIBERATION

from ..factories.sessions import make_exam


def grid(exam):
    return f"/jury/examens/{exam.id}/grille"


def advance_url(exam):
    return f"/jury/examens/{exam.id}/parties/suivante"


def coverage_url(exam):
    return f"/jury/examens/{exam.id}/couverture"


def starts(exam):
    return db.session.scalars(db.select(ExamPartStart.position).filter_by(exam_id=exam.id)
                              .order_by(ExamPartStart.position)).all()


def audited(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


# --- The parts ---------------------------------------------------------------------------

def test_the_grid_shows_the_parts_and_only_the_president_starts_them(president, member, setup):
    page = html.unescape(president.get(grid(setup.exam)).text)
    assert 'id="parties"' in page and "Déroulement de l'épreuve" in page
    assert "<strong>Épreuve théorique</strong> · 10 min" in page
    assert "<strong>Épreuve pratique</strong> · 20 min" in page
    assert "Commencer l'épreuve : Épreuve théorique" in page
    assert "parts.js" in page
    other = html.unescape(member.get(grid(setup.exam)).text)
    assert "la présidence du jury lance la première partie" in other
    assert 'id="partie-suivante"' not in other


def test_the_president_moves_through_the_parts(president, setup):
    answer = president.post(advance_url(setup.exam), {"position": "0"}, htmx=True)
    assert answer.status_code == 200, answer.text
    assert "<html" not in answer.text
    assert 'En cours : <strong id="partie-en-cours">Épreuve théorique</strong> · prévu 10 min' in answer.text
    assert "Partie suivante : Épreuve pratique" in answer.text
    # A repeated click (the same part) changes nothing.
    assert president.post(advance_url(setup.exam), {"position": "0"}, htmx=True).status_code == 200
    assert starts(setup.exam) == [0]
    # Without JavaScript: back to the grid, at the panel.
    plain = president.post(advance_url(setup.exam), {"position": "1"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"{grid(setup.exam)}#parties")
    assert starts(setup.exam) == [0, 1]
    page = html.unescape(president.get(grid(setup.exam)).text)
    assert "Épreuve pratique</strong> · prévu 20 min" in page
    assert 'id="partie-suivante"' not in page  # the last part: nothing next
    refused = president.post(advance_url(setup.exam), {"position": "2"}, htmx=True)
    assert refused.status_code == 409
    assert refused.text == ("« Épreuve pratique » est la dernière partie de l'épreuve : "
                            "il n'y a pas de partie suivante.")
    entries = audited("exam_part.start")
    assert [(e.old_value, e.new_value) for e in entries] == [
        (None, "Épreuve théorique"), ("Épreuve théorique", "Épreuve pratique")]
    assert all(e.entity_id == setup.exam.id for e in entries)


def test_the_other_juror_sees_the_part_on_the_next_poll(president, member, setup):
    poll = f"/jury/examens/{setup.exam.id}/parties"
    assert member.get(poll + "?version=-0", htmx=True).status_code == 204  # nothing changed
    president.post(advance_url(setup.exam), {"position": "0"}, htmx=True)
    answer = member.get(poll + "?version=-0", htmx=True)
    assert answer.status_code == 200 and "Épreuve théorique</strong> · prévu 10 min" in answer.text
    assert 'id="partie-suivante"' not in answer.text
    assert member.get(poll + "?version=0-0", htmx=True).status_code == 204
    assert member.get(poll).status_code == 302  # the panel lives on the grid page


def test_the_candidates_extra_minutes_extend_the_last_part(president, setup):
    setup.exam.candidate.extra_minutes = 10
    db.session.commit()
    page = html.unescape(president.get(grid(setup.exam)).text)
    assert "<strong>Épreuve théorique</strong> · 10 min" in page
    assert "<strong>Épreuve pratique</strong> · 30 min (dont 10 min d'aménagement)" in page


def test_the_rncp_grid_shows_its_three_parts(app, make_web):
    setup = make_exam("RNCP-CM")
    page = html.unescape(make_web(setup.president).get(grid(setup.exam)).text)
    for title, minutes in (("Présentation d'un projet réalisé en amont de la session de validation", 20),
                           ("Entretien technique", 25), ("Entretien final", 15)):
        assert f"<strong>{title}</strong> · {minutes} min" in page


def test_moving_on_is_refused_to_others(app, make_web, organiser, member, setup):
    refused = member.post(advance_url(setup.exam), {"position": "0"}, htmx=True)
    assert refused.status_code == 403
    assert refused.text == "Seul le président du jury fait passer l'épreuve à la partie suivante."
    assert organiser.post(advance_url(setup.exam), {"position": "0"}, htmx=True).status_code == 403
    stranger = make_web(make_exam("RS6240").president)
    assert stranger.post(advance_url(setup.exam), {"position": "0"}, htmx=True).status_code == 404
    assert starts(setup.exam) == []


@pytest.mark.parametrize("data, status", [
    ({}, 400), ({"position": "deux"}, 400), ({"position": "1"}, 409), ({"position": "7"}, 409)])
def test_bad_positions_are_refused(president, setup, data, status):
    answer = president.post(advance_url(setup.exam), data, htmx=True)
    assert answer.status_code == status
    assert answer.mimetype == "text/plain"
    assert starts(setup.exam) == []


def test_moving_on_needs_the_csrf_token(president, setup):
    answer = president.post(advance_url(setup.exam), {"position": "0"}, htmx=True, csrf=False)
    assert answer.status_code == 400 and starts(setup.exam) == []


@pytest.mark.parametrize("phase", [DELIBERATION, CLOSED])
def test_moving_on_is_refused_once_the_exam_is_no_longer_graded(president, setup, phase):
    setup.exam.phase = phase
    db.session.commit()
    answer = president.post(advance_url(setup.exam), {"position": "0"}, htmx=True)
    assert answer.status_code == 409 and "L'épreuve est terminée" in answer.text
    plain = president.post(advance_url(setup.exam), {"position": "0"})
    assert plain.status_code == 409 and "<html" in plain.text


def test_moving_on_waits_for_the_reception(app, make_web):
    setup = make_exam("RS6240", identity_checked=False)
    answer = make_web(setup.president).post(advance_url(setup.exam), {"position": "0"}, htmx=True)
    assert answer.status_code == 409 and "La grille s'ouvre une fois l'accueil" in answer.text


# --- Coverage ----------------------------------------------------------------------------

def coverage(exam, code):
    return db.session.scalar(db.select(CompetencyCoverage).filter_by(exam_id=exam.id, competency_code=code))


def test_each_competency_shows_its_coverage_marks(president, setup):
    page = html.unescape(president.get(grid(setup.exam)).text)
    assert page.count('class="coverage"') == len(setup.layout.competencies) == 7
    assert 'id="couverture-C1"' in page
    assert "Couverte par le projet :" in page and "Évaluée en entretien :" in page


def test_either_juror_sets_the_shared_coverage_mark(president, member, setup):
    answer = member.post(coverage_url(setup.exam), {"competency": "C1", "kind": "projet", "value": "oui"},
                         htmx=True)
    assert answer.status_code == 200, answer.text
    assert "<html" not in answer.text and 'id="couverture-C1"' in answer.text
    assert 'id="cv-projet-C1-oui" aria-pressed="true"' in answer.text
    plain = president.post(coverage_url(setup.exam),
                           {"competency": "C1", "kind": "entretien", "value": "non"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#couverture-C1")
    row = coverage(setup.exam, "C1")
    assert (row.covered_by_project, row.evaluated_in_interview) == (True, False)
    assert row.updated_by_id == setup.president.id
    # The same value again: nothing new in the log.
    member.post(coverage_url(setup.exam), {"competency": "C1", "kind": "projet", "value": "oui"}, htmx=True)
    entries = audited("coverage.set")
    assert [(e.actor_id, e.old_value, e.new_value) for e in entries] == [
        (setup.member.id, None, "oui"), (setup.president.id, None, "non")]
    page = html.unescape(president.get(grid(setup.exam)).text)
    assert 'id="cv-projet-C1-oui" aria-pressed="true"' in page
    assert 'id="cv-entretien-C1-non" aria-pressed="true"' in page


@pytest.mark.parametrize("data, status", [
    ({"competency": "C99", "kind": "projet", "value": "oui"}, 404),
    ({"kind": "projet", "value": "oui"}, 404),
    ({"competency": "C1", "kind": "ailleurs", "value": "oui"}, 400),
    ({"competency": "C1", "kind": "projet", "value": "bof"}, 400),
    ({"competency": "C1", "kind": "projet"}, 400),
])
def test_bad_coverage_input_is_refused(member, setup, data, status):
    answer = member.post(coverage_url(setup.exam), data, htmx=True)
    assert answer.status_code == status and answer.mimetype == "text/plain" and answer.text
    assert coverage(setup.exam, "C1") is None


def test_coverage_is_refused_to_others_and_once_closed(app, make_web, organiser, member, setup):
    data = {"competency": "C1", "kind": "projet", "value": "oui"}
    assert organiser.post(coverage_url(setup.exam), data, htmx=True).status_code == 403
    stranger = make_web(make_exam("RS6240").president)
    assert stranger.post(coverage_url(setup.exam), data, htmx=True).status_code == 404
    setup.exam.phase = CLOSED
    db.session.commit()
    closed = member.post(coverage_url(setup.exam), data, htmx=True)
    assert closed.status_code == 409 and "La délibération est close" in closed.text
    assert coverage(setup.exam, "C1") is None
    page = html.unescape(member.get(grid(setup.exam)).text)  # read-only: the answers as text
    assert "Couverte par le projet : <strong>–</strong>" in page
    assert "/couverture" not in page


def test_the_deliberation_shows_the_coverage(president, member, setup):
    member.post(coverage_url(setup.exam), {"competency": "C2", "kind": "projet", "value": "oui"}, htmx=True)
    setup.exam.phase = DELIBERATION
    db.session.commit()
    # In deliberation the marks can still be completed.
    answer = president.post(coverage_url(setup.exam),
                            {"competency": "C2", "kind": "entretien", "value": "non"}, htmx=True)
    assert answer.status_code == 200
    page = html.unescape(president.get(f"/jury/examens/{setup.exam.id}/deliberation").text)
    assert "Couverture des compétences" in page
    assert '<th scope="row">C2</th><td>oui</td><td>non</td>' in page
    assert '<th scope="row">C1</th><td>–</td><td>–</td>' in page
