"""Juries: two distinct habilitated jurors, one presiding; added, changed, removed."""
import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import ORGANISER
from certif.extensions import db
from certif.grading.models import Grid
from certif.sessions.models import Jury, JuryMember

from ..factories.candidates import make_candidate
from ..factories.jurors import make_juror
from ..factories.sessions import make_jury, make_session, place
from ..factories.users import make_user
from .helpers import text


def jury_form(first, second, president="1"):
    return {"juror_1_id": str(first.id), "juror_2_id": str(second.id), "president_id": president}


def juries_count():
    return db.session.scalar(db.select(db.func.count(Jury.id)))


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


def test_add_a_jury(app, organiser):
    session = make_session()
    claire, karim = make_juror("Claire", "Fontaine"), make_juror("Karim", "Benali")
    page = organiser.get(f"/sessions/{session.id}/jurys")
    assert page.status_code == 200 and "Claire FONTAINE" in text(page)
    r = organiser.post(f"/sessions/{session.id}/jurys", jury_form(claire, karim, president="2"))
    jury = db.session.scalar(db.select(Jury))
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/sessions/{session.id}#jury-{jury.id}")
    assert [(m.seat, m.juror_id) for m in jury.members] == [(1, claire.id), (2, karim.id)]
    assert jury.president_id == karim.id and jury.position == 1
    entry = audit("jury.create")[0]
    assert entry.new_value == "Claire FONTAINE, Karim BENALI (président)"
    second = organiser.post(f"/sessions/{session.id}/jurys", jury_form(make_juror(), make_juror()))
    assert second.status_code == 303
    assert [j.position for j in db.session.scalars(db.select(Jury).order_by(Jury.id))] == [1, 2]
    page = text(organiser.get(f"/sessions/{session.id}"))
    assert "Jury 1" in page and "Jury 2" in page and "Président" in page


def test_the_session_page_offers_the_jury_form(app, organiser):
    session = make_session()
    make_juror("Claire", "Fontaine")
    make_juror("Samia", "Haddad", profile=False)
    page = text(organiser.get(f"/sessions/{session.id}"))
    assert "Ajouter un jury" in page and "Claire FONTAINE" in page
    assert "Samia HADDAD (non habilité(e) pour cette certification)" in page


NOT_FOR_RS6240 = ("Claire FONTAINE n'est pas habilité(e) pour la certification Gérer les réseaux "
                  "sociaux d'une entreprise afin d'intégrer une stratégie social media à une "
                  "communication digitale : ")


@pytest.mark.parametrize("habilitation, message", [
    ({"result": "unfavourable"}, NOT_FOR_RS6240 + "habilitation défavorable."),
    ({"result": None}, NOT_FOR_RS6240 + "habilitation en attente de décision."),
    ({"profile": False}, NOT_FOR_RS6240 + "fiche d'habilitation non renseignée."),
    # Habilitated for the title only: not for this session's certification.
    ({"codes": ("RNCP-CM",)}, NOT_FOR_RS6240 + "habilitation en attente de décision."),
])
def test_a_juror_without_favourable_habilitation_cannot_sit(app, organiser, habilitation, message):
    session = make_session()
    claire = make_juror("Claire", "Fontaine", **habilitation)
    r = organiser.post(f"/sessions/{session.id}/jurys", jury_form(claire, make_juror()))
    assert r.status_code == 400 and message in text(r)
    assert juries_count() == 0 and not audit("jury.create")


def test_a_user_without_the_juror_role_cannot_sit(app, organiser):
    session = make_session()
    boss = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    r = organiser.post(f"/sessions/{session.id}/jurys", jury_form(make_juror(), boss))
    assert r.status_code == 400 and "Choisissez un juré dans la liste." in text(r)
    assert juries_count() == 0


@pytest.mark.parametrize("build, message", [
    (lambda a, b: jury_form(a, a), "Les deux jurés doivent être deux personnes différentes."),
    (lambda a, b: jury_form(a, b, president="3"), "Le président doit être l'un des deux jurés"),
    (lambda a, b: {**jury_form(a, b), "juror_2_id": ""}, "Choisissez le second juré."),
    (lambda a, b: {**jury_form(a, b), "juror_1_id": "999999"}, "Choisissez un juré dans la liste."),
    (lambda a, b: {**jury_form(a, b), "president_id": ""}, "Choisissez le président du jury."),
])
def test_a_jury_needs_two_distinct_jurors_and_a_president(app, organiser, build, message):
    session = make_session()
    r = organiser.post(f"/sessions/{session.id}/jurys", build(make_juror(), make_juror()))
    assert r.status_code == 400 and message in text(r)
    assert juries_count() == 0


def test_a_juror_sits_on_one_jury_per_session(app, organiser):
    session = make_session()
    first = make_jury(session)
    busy = first.members[0].juror
    r = organiser.post(f"/sessions/{session.id}/jurys", jury_form(busy, make_juror()))
    assert r.status_code == 409
    assert f"{busy.full_name} siège déjà dans le Jury 1 de cette session" in text(r)
    assert juries_count() == 1
    # Another session is fine.
    other = make_session()
    assert organiser.post(f"/sessions/{other.id}/jurys", jury_form(busy, make_juror())).status_code == 303


@pytest.mark.parametrize("status", ["in_progress", "deliberated", "closed", "cancelled"])
def test_juries_are_composed_before_the_day(app, organiser, status):
    session = make_session(status=status)
    r = organiser.post(f"/sessions/{session.id}/jurys", jury_form(make_juror(), make_juror()))
    assert r.status_code == 409 and "ne peuvent plus être composés" in text(r)
    assert juries_count() == 0


def test_change_the_president_and_a_juror(app, organiser):
    session = make_session()
    jury = make_jury(session)
    first, second = jury.jurors
    page = organiser.get(f"/sessions/jurys/{jury.id}")
    assert page.status_code == 200 and "Modifier le Jury 1" in text(page)
    r = organiser.post(f"/sessions/jurys/{jury.id}", jury_form(first, second, president="2"))
    assert r.status_code == 303
    db.session.refresh(jury)
    assert jury.president_id == second.id
    newcomer = make_juror("Élodie", "Marchand")
    r = organiser.post(f"/sessions/jurys/{jury.id}", jury_form(newcomer, second, president="1"))
    assert r.status_code == 303
    db.session.refresh(jury)
    assert [m.juror_id for m in jury.members] == [newcomer.id, second.id]
    assert jury.president_id == newcomer.id
    assert db.session.scalar(db.select(db.func.count(JuryMember.id))) == 2
    assert len(audit("jury.update")) == 2
    # The same composition again records nothing.
    organiser.post(f"/sessions/jurys/{jury.id}", jury_form(newcomer, second, president="1"))
    assert len(audit("jury.update")) == 2


def test_a_jury_that_started_grading_cannot_change(app, organiser):
    session = make_session()
    jury = make_jury(session)
    exam = place(jury, make_candidate())
    first, second = jury.jurors
    db.session.add(Grid(exam_id=exam.id, juror_id=first.id))
    db.session.commit()
    r = organiser.post(f"/sessions/jurys/{jury.id}", jury_form(first, second, president="2"))
    assert r.status_code == 409 and "a déjà commencé à évaluer" in text(r)
    db.session.refresh(jury)
    assert jury.president_id == first.id


def test_edit_jury_with_a_juror_of_another_jury_is_a_conflict(app, organiser):
    session = make_session()
    one, two = make_jury(session), make_jury(session)
    r = organiser.post(f"/sessions/jurys/{two.id}", jury_form(one.jurors[0], two.jurors[1]))
    assert r.status_code == 409 and "siège déjà dans le Jury 1" in text(r)


def test_delete_an_empty_jury_renumbers_the_others(app, organiser):
    session = make_session()
    one, two = make_jury(session).id, make_jury(session).id
    r = organiser.post(f"/sessions/jurys/{one}/suppression")
    assert r.status_code == 303
    assert db.session.get(Jury, one) is None
    assert db.session.get(Jury, two).position == 1
    assert audit("jury.delete")[0].entity_id == one


def test_a_jury_with_candidates_cannot_be_deleted(app, organiser):
    session = make_session()
    jury = make_jury(session)
    place(jury, make_candidate())
    r = organiser.post(f"/sessions/jurys/{jury.id}/suppression")
    assert r.status_code == 409 and "a des candidats" in text(r)
    assert juries_count() == 1


def test_jury_routes_refuse_council_and_jurors(app, council, juror):
    session = make_session()
    jury = make_jury(session)
    for web in (council, juror):
        assert web.get(f"/sessions/jurys/{jury.id}").status_code == 403
        assert web.post(f"/sessions/jurys/{jury.id}", jury_form(*jury.jurors, "2")).status_code == 403
        assert web.post(f"/sessions/jurys/{jury.id}/suppression").status_code == 403
    assert juries_count() == 1 and db.session.get(Jury, jury.id).president_id == jury.jurors[0].id


def test_unknown_jury_is_404(app, organiser):
    assert organiser.get("/sessions/jurys/999999").status_code == 404
    assert organiser.post("/sessions/jurys/999999/suppression").status_code == 404
