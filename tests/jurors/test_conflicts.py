"""Conflict of interest: each juror declares, before grading a candidate, that they do
not know them; a declared conflict blocks that juror's grading of that candidate."""
import pytest

from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.grading.models import Grid, Mark
from certif.jurors.models import ConflictDeclaration
from certif.jurors.services import declarations_for_exam
from certif.sessions.jurors import conflicts_for_exams

from ..factories.sessions import make_exam

DECLARE_FIRST = "Déclarez d&#39;abord que vous ne connaissez pas ce candidat"
BLOCKED = ("Vous avez déclaré connaître ce candidat : vous ne pouvez pas l&#39;évaluer. "
           "Le responsable d&#39;organisation doit le confier à un autre jury.")


@pytest.fixture
def setup(app):
    return make_exam("RS6240", declared=False)



def declare_url(exam):
    return f"/jury/examens/{exam.id}/declaration"


def mark_url(exam, criterion):
    return f"/jury/examens/{exam.id}/grille/criteres/{criterion}"


def marks_count():
    return db.session.scalar(db.select(db.func.count(Mark.id)))


def declaration(exam, juror_user):
    return db.session.scalar(db.select(ConflictDeclaration).filter_by(exam_id=exam.id,
                                                                      juror_id=juror_user.id))


def test_grid_asks_for_the_declaration_first(president, setup):
    page = president.get(f"/jury/examens/{setup.exam.id}/grille").text
    name = setup.exam.candidate.full_name
    assert f"Je déclare ne pas connaître personnellement ou professionnellement {name}." in page
    assert "Je confirme et je commence l'évaluation" in page
    assert "Je connais ce candidat : je le signale au responsable d'organisation" in page
    assert '<li id="critere-' not in page  # no grid yet
    assert "Déclaration à faire" in president.get("/jury/").text


def test_mark_without_declaration_is_refused(president, setup):
    response = president.post(mark_url(setup.exam, setup.criteria[0]), {"value": "acquis"})
    assert response.status_code == 409
    assert DECLARE_FIRST in response.text
    htmx = president.post(mark_url(setup.exam, setup.criteria[0]), {"value": "acquis"}, htmx=True)
    assert htmx.status_code == 409 and htmx.mimetype == "text/plain"
    assert marks_count() == 0
    assert db.session.scalar(db.select(db.func.count(Grid.id))) == 0


def test_declare_no_conflict_then_grade(president, setup):
    response = president.post(declare_url(setup.exam), {"value": "none"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/jury/examens/{setup.exam.id}/grille")
    d = declaration(setup.exam, setup.president)
    assert d.has_conflict is False and d.comment is None
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="conflict.declare"))
    assert (entry.actor_id, entry.entity, entry.entity_id, entry.new_value) == (
        setup.president.id, "exam", setup.exam.id, "aucun conflit")
    page = president.get(f"/jury/examens/{setup.exam.id}/grille").text
    assert page.count('<li id="critere-') == 24 and "Je déclare ne pas connaître" not in page
    response = president.post(mark_url(setup.exam, setup.criteria[0]), {"value": "acquis"}, htmx=True)
    assert response.status_code == 200
    assert marks_count() == 1
    assert "Ma grille : 1/24" in president.get("/jury/").text


def test_declared_conflict_blocks_grading(member, president, setup):
    response = member.post(declare_url(setup.exam), {"value": "conflict",
                                                     "comment": "C'est mon ancien collègue."})
    assert response.status_code == 303
    d = declaration(setup.exam, setup.member)
    assert d.has_conflict is True and d.comment == "C'est mon ancien collègue."
    page = member.get(f"/jury/examens/{setup.exam.id}/grille").text
    assert "vous ne pouvez pas l'évaluer" in page and '<li id="critere-' not in page
    assert "Conflit déclaré" in member.get("/jury/").text
    response = member.post(mark_url(setup.exam, setup.criteria[0]), {"value": "acquis"})
    assert response.status_code == 409
    assert BLOCKED in response.text
    assert marks_count() == 0
    # The other juror is not blocked by it, but the jury cannot deliberate.
    president.post(declare_url(setup.exam), {"value": "none"})
    assert president.post(mark_url(setup.exam, setup.criteria[0]), {"value": "acquis"},
                          htmx=True).status_code == 200
    response = president.post(f"/jury/examens/{setup.exam.id}/deliberation/ouvrir", {})
    assert response.status_code == 409
    assert "Un juré a déclaré connaître ce candidat" in response.text
    db.session.refresh(setup.exam)
    assert setup.exam.phase == "grading"


def test_declaring_twice_is_refused(member, setup):
    assert member.post(declare_url(setup.exam), {"value": "none"}).status_code == 303
    response = member.post(declare_url(setup.exam), {"value": "conflict"})
    assert response.status_code == 409
    assert "Vous avez déjà déclaré pour ce candidat" in response.text
    assert declaration(setup.exam, setup.member).has_conflict is False
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))
                             .filter_by(action="conflict.declare")) == 1


@pytest.mark.parametrize("data", [{}, {"value": "peut-etre"}])
def test_declaration_bad_value(member, setup, data):
    response = member.post(declare_url(setup.exam), data)
    assert response.status_code == 400
    assert "Choisissez votre déclaration" in response.text
    assert declaration(setup.exam, setup.member) is None


def test_another_jurys_exam_is_404(setup, make_web):
    stranger = make_exam("RS6240", declared=False)
    web = make_web(stranger.president)
    assert web.post(declare_url(setup.exam), {"value": "none"}).status_code == 404
    assert web.get(f"/jury/examens/{setup.exam.id}/grille").status_code == 404
    assert declaration(setup.exam, stranger.president) is None


def test_anonymous_and_organiser_cannot_declare(setup, web, make_web):
    response = web.post(declare_url(setup.exam), {"value": "none"}, csrf=False)
    assert response.status_code in (302, 400)
    from certif.auth.models import ORGANISER

    from ..factories.users import make_user
    organiser_user = make_web(make_user(ORGANISER))
    assert organiser_user.post(declare_url(setup.exam), {"value": "none"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(ConflictDeclaration.id))) == 0


def test_no_declaration_once_grading_is_over(member, setup):
    setup.exam.phase = "deliberation"
    db.session.commit()
    response = member.post(declare_url(setup.exam), {"value": "none"})
    assert response.status_code == 409
    assert declaration(setup.exam, setup.member) is None


def test_conflicts_for_the_session_page(member, president, setup):
    assert conflicts_for_exams([setup.exam.id]) == {}
    member.post(declare_url(setup.exam), {"value": "conflict"})
    president.post(declare_url(setup.exam), {"value": "none"})
    found = conflicts_for_exams([setup.exam.id])
    assert list(found) == [setup.exam.id]
    assert [d.juror_id for d in found[setup.exam.id]] == [setup.member.id]
    assert [d.has_conflict for d in declarations_for_exam(setup.exam.id)] == [True, False]
    # Moved to another jury: the conflict is resolved for the session page, kept on record.
    other = make_exam("RS6240")
    exam = db.session.get(type(setup.exam), setup.exam.id)
    exam.jury_id = other.jury.id
    db.session.commit()
    assert conflicts_for_exams([setup.exam.id]) == {}
    assert list(conflicts_for_exams([setup.exam.id], sitting_only=False)) == [setup.exam.id]
    assert conflicts_for_exams([]) == {}


def test_factory_exams_are_declared_by_default(app):
    make_exam("RS6240", candidates=2)
    rows = db.session.scalars(db.select(ConflictDeclaration)).all()
    assert len(rows) == 4 and not any(r.has_conflict for r in rows)
