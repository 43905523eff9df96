"""The juror's grading routes through the test client: pages, htmx fragments,
authorisation, bad input, locking. CSRF protection is on."""
import re

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, JUROR, ORGANISER
from certif.extensions import db
from certif.grading.models import DeliberationMark, Grid, Mark
from certif.sessions.models import Exam

from ..factories.grading import closing_form
from ..factories.sessions import make_exam
from ..factories.users import make_user


def url(exam, criterion=None):
    base = f"/jury/examens/{exam.id}/grille"
    return base if criterion is None else f"{base}/criteres/{criterion}"


def marks_of(exam, juror):
    return dict(db.session.execute(
        db.select(Mark.criterion_id, Mark.value).join(Grid, Mark.grid_id == Grid.id)
        .where(Grid.exam_id == exam.id, Grid.juror_id == juror.id)).all())


def pressed(html):
    """Criterion ids whose 'Acquis' / 'Non acquis' button is pressed on a page."""
    found = re.findall(r'id="b(\d+)-([an])"\s+class="choice-[an]"\s+aria-pressed="true"', html)
    return {int(cid): kind for cid, kind in found}




def fill(web, setup, values):
    """Mark every criterion: values is a function of the criterion's position."""
    for i, cid in enumerate(setup.criteria):
        r = web.post(url(setup.exam, cid), {"value": "acquis" if values(i) else "non_acquis"}, htmx=True)
        assert r.status_code == 200, r.text


# --- Landing and pages -----------------------------------------------------------------

def test_juror_lands_on_their_own_juries_only(app, web, setup):
    other = make_exam("RS6240")
    response = web.login(setup.president)
    assert response.headers["Location"].endswith("/jury/")
    page = web.get("/jury/").text
    assert setup.exam.candidate.full_name in page
    assert other.exam.candidate.full_name not in page


def test_juror_list_shows_their_own_progress_and_the_final_decision(president, member, setup):
    for cid in setup.criteria[:3]:
        president.post(url(setup.exam, cid), {"value": "acquis"}, htmx=True)
    assert "Ma grille : 3/24" in president.get("/jury/").text
    assert "Ma grille : 0/24" in member.get("/jury/").text


def test_grid_page_shows_the_rs6240_grid(president, setup):
    page = president.get(url(setup.exam))
    assert page.status_code == 200
    assert page.text.count('<li id="critere-') == 24
    assert "C7 · La campagne sponsorisée" in page.text
    assert "Le coût par clic est calculé et juste" in page.text
    assert "Total : <strong>–</strong> / 20" in page.text  # nothing marked yet: no score
    assert "Critères non notés : <strong>24</strong> / 24" in page.text
    assert "<html" in page.text


def test_rncp_grid_page_shows_blocks_and_no_points(app, make_web):
    setup = make_exam("RNCP-CM")
    web = make_web(setup.president)
    page = web.get(url(setup.exam)).text
    assert page.count('<li id="critere-') == 65
    for code in ("BC01", "BC02", "BC03"):
        assert f'id="bloc-{code}"' in page
    assert "/ 20" not in page
    assert "Blocs validés : <strong>0</strong> / 3" in page


# --- A click ---------------------------------------------------------------------------

def test_htmx_click_returns_only_the_fragments_that_changed(president, setup):
    first = setup.criteria[0]
    r = president.post(url(setup.exam, first), {"value": "acquis"}, htmx=True)
    assert r.status_code == 200
    assert "<html" not in r.text
    assert len(r.data) <= 4096
    assert pressed(r.text) == {first: "a"}
    assert 'id="statut-C1" class="comp-status" data-hx-swap-oob="true"' in r.text
    assert "Note : <strong>0,67</strong> / 2" in r.text
    assert 'id="synthese"' in r.text and "Critères non notés : <strong>23</strong>" in r.text
    assert marks_of(setup.exam, setup.president) == {first: True}


def test_plain_form_post_redirects_to_the_whole_page(president, setup):
    first = setup.criteria[0]
    r = president.post(url(setup.exam, first), {"value": "non_acquis"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"{url(setup.exam)}#critere-Cr1")
    page = president.get(r.headers["Location"]).text
    assert "<html" in page and pressed(page) == {first: "n"}


def test_a_click_sets_rather_than_toggles_and_a_repeat_changes_nothing(president, setup):
    first = setup.criteria[0]
    for _ in range(3):
        r = president.post(url(setup.exam, first), {"value": "acquis"}, htmx=True)
        assert r.status_code == 200 and pressed(r.text) == {first: "a"}
    assert marks_of(setup.exam, setup.president) == {first: True}
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 1
    entries = db.session.scalars(db.select(AuditEntry).filter_by(action="mark.set")).all()
    assert len(entries) == 1


def test_every_mark_change_is_audited_with_old_and_new_value(president, setup):
    first = setup.criteria[0]
    president.post(url(setup.exam, first), {"value": "acquis"}, htmx=True)
    president.post(url(setup.exam, first), {"value": "non_acquis"}, htmx=True)
    entries = db.session.scalars(db.select(AuditEntry).filter_by(action="mark.set")
                                 .order_by(AuditEntry.id)).all()
    assert [(e.actor_id, e.old_value, e.new_value) for e in entries] == [
        (setup.president.id, None, "acquis"), (setup.president.id, "acquis", "non acquis")]
    assert entries[0].details == {"exam_id": setup.exam.id, "criterion": "Cr1"}
    assert entries[0].at is not None


def test_completing_the_grid_gives_the_provisional_decision(president, setup):
    fill(president, setup, lambda i: True)
    page = president.get(url(setup.exam)).text
    assert "Total : <strong>20,00</strong> / 20" in page
    assert "Avis favorable" in page


def test_last_click_signals_a_complete_grid(president, setup):
    *most, last = setup.criteria
    for cid in most:
        r = president.post(url(setup.exam, cid), {"value": "acquis"}, htmx=True)
        assert "HX-Trigger" not in r.headers
    r = president.post(url(setup.exam, last), {"value": "acquis"}, htmx=True)
    assert r.headers["HX-Trigger"] == "grid-complete"


# --- Bad input -------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [True, False])
def test_missing_csrf_token_is_refused(president, setup, htmx):
    r = president.post(url(setup.exam, setup.criteria[0]), {"value": "acquis"}, htmx=htmx, csrf=False)
    assert r.status_code == 400
    assert "Jeton de sécurité" in r.text
    assert marks_of(setup.exam, setup.president) == {}


def test_invalid_value_is_a_400_with_a_message(president, setup):
    for value in ("oui", "", "ACQUIS"):
        r = president.post(url(setup.exam, setup.criteria[0]), {"value": value}, htmx=True)
        assert r.status_code == 400
        assert r.text == "Valeur invalide : choisissez « Acquis » ou « Non acquis »."
    r = president.post(url(setup.exam, setup.criteria[0]), {"value": "peut-être"})
    assert r.status_code == 400 and "<html" in r.text and "Valeur invalide" in r.text
    assert marks_of(setup.exam, setup.president) == {}


def test_unknown_candidate_or_criterion_is_a_404(app, president, setup):
    rncp = make_exam("RNCP-CM", president=setup.president)
    foreign_criterion = rncp.criteria[0]
    assert president.post(f"/jury/examens/999999/grille/criteres/{setup.criteria[0]}",
                          {"value": "acquis"}, htmx=True).status_code == 404
    r = president.post(url(setup.exam, 999999), {"value": "acquis"}, htmx=True)
    assert r.status_code == 404 and "Critère introuvable" in r.text
    # A criterion of another referential is not part of this grid.
    assert president.post(url(setup.exam, foreign_criterion), {"value": "acquis"},
                          htmx=True).status_code == 404
    assert president.get("/jury/examens/999999/grille").status_code == 404
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0


# --- Authorisation ---------------------------------------------------------------------

def test_a_juror_of_another_jury_gets_404_and_changes_nothing(app, make_web, setup):
    outsider = make_web(make_user(JUROR))
    assert outsider.get(url(setup.exam)).status_code == 404
    assert outsider.get(f"/jury/examens/{setup.exam.id}/avancement", htmx=True).status_code == 404
    assert outsider.get(f"/jury/examens/{setup.exam.id}/deliberation").status_code == 404
    r = outsider.post(url(setup.exam, setup.criteria[0]), {"value": "acquis"}, htmx=True)
    assert r.status_code == 404
    assert outsider.post(f"/jury/examens/{setup.exam.id}/deliberation/ouvrir").status_code == 404
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Grid.id))) == 0


@pytest.mark.parametrize("role", [ORGANISER, COUNCIL])
def test_other_roles_cannot_grade(app, make_web, setup, role):
    web = make_web(make_user(role))
    assert web.get("/jury/").status_code == 403
    assert web.get(url(setup.exam)).status_code == 403
    assert web.post(url(setup.exam, setup.criteria[0]), {"value": "acquis"}, htmx=True).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0


def test_organiser_who_is_also_a_juror_grades_their_own_jury(app, make_web):
    both = make_user(ORGANISER, JUROR)
    setup = make_exam("RS6240", president=both)
    web = make_web(both)
    assert web.get(url(setup.exam)).status_code == 200
    assert web.get("/sessions/").status_code == 200


def test_jurors_cannot_reach_the_sessions_overview(president):
    assert president.get("/sessions/").status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(client, setup):
    r = client.get(url(setup.exam))
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    r = client.post(url(setup.exam, setup.criteria[0]), data={"value": "acquis"},
                    headers={"HX-Request": "true"})
    assert r.status_code == 401 and "/connexion" in r.headers["HX-Redirect"]
    r = client.get(f"/jury/examens/{setup.exam.id}/avancement", headers={"HX-Request": "true"})
    assert r.status_code == 401 and "/connexion" in r.headers["HX-Redirect"]
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0


# --- Independence ----------------------------------------------------------------------

def test_a_juror_never_sees_the_other_jurors_marks_only_their_progress(president, member, setup):
    for cid in setup.criteria[:3]:
        member.post(url(setup.exam, cid), {"value": "acquis"}, htmx=True)
    page = president.get(url(setup.exam)).text
    assert pressed(page) == {}
    assert "Critères non notés : <strong>24</strong>" in page
    progress = f"Autre juré ({setup.member.full_name}) : <strong>3/24</strong>"
    assert progress in page
    fragment = president.get(f"/jury/examens/{setup.exam.id}/avancement", htmx=True)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert progress in fragment.text
    assert "acquis" not in fragment.text.lower().replace("critères", "")


def test_the_deliberation_is_closed_to_both_jurors_until_opened(president, member, setup):
    for web in (president, member):
        # A bookmark, or the other juror arriving early: back to the grid, which says why.
        r = web.get(f"/jury/examens/{setup.exam.id}/deliberation")
        assert r.status_code == 303 and r.headers["Location"].endswith(f"/examens/{setup.exam.id}/grille")
        grid = web.get(r.headers["Location"])
        assert "pas encore ouverte" in grid.text
        # The fragment (htmx) still answers with the reason, where the user acted.
        r = web.get(f"/jury/examens/{setup.exam.id}/deliberation", htmx=True)
        assert r.status_code == 409 and "pas encore ouverte" in r.text


# --- Deliberation ----------------------------------------------------------------------

def deliberation_url(exam, action=""):
    return f"/jury/examens/{exam.id}/deliberation{action}"


@pytest.fixture
def both_graded(president, member, setup):
    """President: all acquis. Member: non acquis on C6 (Cr19, Cr20) and Cr1."""
    fill(president, setup, lambda i: True)
    fill(member, setup, lambda i: i not in (0, 18, 19))
    return setup


def test_only_the_president_opens_and_only_when_both_grids_are_complete(president, member, setup):
    fill(president, setup, lambda i: True)
    r = president.post(deliberation_url(setup.exam, "/ouvrir"))
    assert r.status_code == 409 and "Les deux grilles doivent être complètes" in r.text
    fill(member, setup, lambda i: True)
    page = president.get(f"/jury/examens/{setup.exam.id}/avancement", htmx=True).text
    assert "Ouvrir la délibération" in page
    assert "Ouvrir la délibération" not in member.get(
        f"/jury/examens/{setup.exam.id}/avancement", htmx=True).text
    assert member.post(deliberation_url(setup.exam, "/ouvrir")).status_code == 403
    r = president.post(deliberation_url(setup.exam, "/ouvrir"), htmx=True)
    assert r.status_code == 204 and r.headers["HX-Redirect"] == deliberation_url(setup.exam)
    assert db.session.get(Exam, setup.exam.id).phase == "deliberation"


def test_deliberation_shows_both_grids_and_highlights_disagreements(president, member, both_graded):
    setup = both_graded
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    page = president.get(deliberation_url(setup.exam)).text
    assert page.count("is-disagreement") == 3
    assert "3 désaccords entre les jurés" in page
    for code in ("Cr1", "Cr19", "Cr20"):
        assert f'<a id="lien-{code}" href="#critere-{code}">{code}</a>' in page
    assert page.count("voix prépondérante du président") == 3
    # The president's values stand: all acquis, 20/20.
    assert "Total : <strong>20,00</strong> / 20" in page
    # Both jurors' names appear; the member sees the same grids, without controls.
    other = member.get(deliberation_url(setup.exam)).text
    assert "3 désaccords" in other and "/deliberation/criteres/" not in other


def test_individual_grids_lock_when_the_deliberation_opens(president, member, both_graded):
    setup = both_graded
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    r = member.post(url(setup.exam, setup.criteria[0]), {"value": "acquis"}, htmx=True)
    assert r.status_code == 409 and "grilles individuelles sont verrouillées" in r.text
    assert marks_of(setup.exam, setup.member)[setup.criteria[0]] is False


def test_the_jury_records_another_value_on_a_disagreement(president, member, both_graded):
    setup = both_graded
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    cr19, cr20 = setup.criteria[18], setup.criteria[19]
    for cid in (cr19, cr20):
        r = president.post(deliberation_url(setup.exam, f"/criteres/{cid}"), {"value": "non_acquis"},
                           htmx=True)
        assert r.status_code == 200 and "<html" not in r.text
    assert "valeur retenue par le jury" in r.text
    # C6 now not acquired: 17/20 and unfavourable although the total is above 14.
    assert "Total : <strong>17,00</strong> / 20" in r.text
    assert "Avis défavorable" in r.text
    # Agreed criteria cannot be overridden; members cannot record.
    r = president.post(deliberation_url(setup.exam, f"/criteres/{setup.criteria[5]}"),
                       {"value": "non_acquis"}, htmx=True)
    assert r.status_code == 409 and "d'accord" in r.text
    r = member.post(deliberation_url(setup.exam, f"/criteres/{cr19}"), {"value": "acquis"}, htmx=True)
    assert r.status_code == 403
    entries = db.session.scalars(db.select(AuditEntry).filter_by(action="deliberation.mark")).all()
    assert [(e.old_value, e.new_value, e.details["criterion"]) for e in entries] == [
        ("acquis", "non acquis", "Cr19"), ("acquis", "non acquis", "Cr20")]
    assert db.session.scalar(db.select(db.func.count(DeliberationMark.id))) == 2


def test_closing_freezes_the_result_and_refuses_every_later_write(president, member, both_graded):
    setup = both_graded
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    r = president.post(deliberation_url(setup.exam, "/commentaire"),
                       {"comment": "Très bonne maîtrise de Meta Business Suite."}, htmx=True)
    assert r.status_code == 200 and "Commentaire enregistré" in r.text
    r = president.post(deliberation_url(setup.exam, "/cloture"), closing_form(setup.president, setup.exam.id))
    assert r.status_code == 303
    exam = db.session.get(Exam, setup.exam.id)
    assert (exam.phase, exam.decision, str(exam.total)) == ("closed", "favorable", "20.00")
    assert exam.president_comment == "Très bonne maîtrise de Meta Business Suite."

    writes = [
        (president, url(setup.exam, setup.criteria[0]), {"value": "non_acquis"}),
        (member, url(setup.exam, setup.criteria[0]), {"value": "acquis"}),
        (president, deliberation_url(setup.exam, f"/criteres/{setup.criteria[0]}"), {"value": "non_acquis"}),
        (president, deliberation_url(setup.exam, "/commentaire"), {"comment": "changé"}),
        (president, deliberation_url(setup.exam, "/cloture"), {"confirm": "oui"}),
    ]
    for web, target, data in writes:
        r = web.post(target, data, htmx=True)
        assert r.status_code == 409, target
        assert "délibération est close" in r.text
    page = member.get(url(setup.exam)).text
    assert "Délibération close le" in page and "disabled" in page
    assert "Avis favorable" in member.get("/jury/").text
    exam = db.session.get(Exam, setup.exam.id)
    assert exam.president_comment == "Très bonne maîtrise de Meta Business Suite."
    assert marks_of(setup.exam, setup.president)[setup.criteria[0]] is True


def test_closing_needs_the_confirmation_and_keeps_the_comment_typed_with_it(president, member, both_graded):
    setup = both_graded
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    president.post(deliberation_url(setup.exam, "/commentaire"), {"comment": "Première phrase."}, htmx=True)
    r = president.post(deliberation_url(setup.exam, "/cloture"),
                       {"comment": "Première phrase. Seconde phrase."}, htmx=True)
    assert r.status_code == 400 and "Cochez la case de confirmation" in r.text
    exam = db.session.get(Exam, setup.exam.id)
    assert exam.phase == "deliberation" and exam.president_comment == "Première phrase."
    r = president.post(deliberation_url(setup.exam, "/cloture"),
                       closing_form(setup.president, setup.exam.id,
                                    comment="Première phrase. Seconde phrase."), htmx=True)
    assert r.status_code == 204
    exam = db.session.get(Exam, setup.exam.id)
    assert exam.phase == "closed" and exam.president_comment == "Première phrase. Seconde phrase."
    actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.entity == "exam")
                                 .order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["deliberation.comment", "deliberation.close"]


def test_saving_the_comment_without_javascript_says_so(president, member, both_graded):
    president.post(deliberation_url(both_graded.exam, "/ouvrir"))
    r = president.post(deliberation_url(both_graded.exam, "/commentaire"), {"comment": "Bien."})
    assert r.status_code == 303
    assert "Commentaire enregistré." in president.get(r.headers["Location"]).text


def test_comment_length_is_checked(president, member, both_graded):
    setup = both_graded
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    r = president.post(deliberation_url(setup.exam, "/commentaire"), {"comment": "x" * 2001}, htmx=True)
    assert r.status_code == 400 and "2000 caractères" in r.text


def test_a_jury_without_president_cannot_deliberate(app, make_web):
    setup = make_exam("RS6240")
    setup.jury.president_id = None
    db.session.commit()
    web = make_web(setup.president)
    r = web.post(deliberation_url(setup.exam, "/ouvrir"))
    assert r.status_code == 409 and "Aucun président" in r.text


def test_rncp_title_decision_after_deliberation(app, make_web):
    setup = make_exam("RNCP-CM")
    president, member = make_web(setup.president), make_web(setup.member)
    fill(president, setup, lambda i: True)
    fill(member, setup, lambda i: True)
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    president.post(deliberation_url(setup.exam, "/cloture"), closing_form(setup.president, setup.exam.id))
    page = member.get(deliberation_url(setup.exam)).text
    assert "Avis favorable : titre attribué" in page
    assert page.count("Bloc validé") == 3
    assert db.session.get(Exam, setup.exam.id).decision == "favorable"


# --- History (organiser, council) -------------------------------------------------------

def test_the_organiser_reads_who_changed_what_and_when(app, make_web, president, member, both_graded):
    setup = both_graded
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    president.post(deliberation_url(setup.exam, f"/criteres/{setup.criteria[18]}"), {"value": "non_acquis"})
    organiser = make_web(make_user(ORGANISER))
    page = organiser.get(f"/sessions/examens/{setup.exam.id}/historique")
    assert page.status_code == 200
    assert page.text.count("Note d&#39;un juré") == 48
    assert "Ouverture de la délibération" in page.text
    assert "Valeur retenue par le jury" in page.text
    assert "acquis (voix du président)" in page.text and "non acquis (valeur du jury)" in page.text
    assert setup.president.full_name in page.text and setup.member.full_name in page.text
    assert "grading" not in page.text and "évaluation" in page.text
    president.post(deliberation_url(setup.exam, "/cloture"), closing_form(setup.president, setup.exam.id))
    page = organiser.get(f"/sessions/examens/{setup.exam.id}/historique")
    assert "délibération close : Avis favorable (18,50)" in page.text
    assert organiser.get("/sessions/examens/999999/historique").status_code == 404
    assert president.get(f"/sessions/examens/{setup.exam.id}/historique").status_code == 403


def test_an_organiser_on_the_jury_cannot_read_the_other_jurors_marks_early(app, make_web):
    both = make_user(ORGANISER, JUROR)
    setup = make_exam("RS6240", president=both)
    member = make_web(setup.member)
    member.post(url(setup.exam, setup.criteria[0]), {"value": "acquis"}, htmx=True)
    r = make_web(both).get(f"/sessions/examens/{setup.exam.id}/historique")
    assert r.status_code == 409 and "sera visible" in r.text
    assert "acquis" not in r.text


# --- The whole authorisation matrix ------------------------------------------------------

def juror_routes(setup):
    e, c = setup.exam.id, setup.criteria[0]
    return [
        ("get", "/jury/", None),
        ("get", f"/jury/examens/{e}/grille", None),
        ("post", f"/jury/examens/{e}/grille/criteres/{c}", {"value": "acquis"}),
        ("get", f"/jury/examens/{e}/avancement", None),
        ("get", f"/jury/examens/{e}/deliberation", None),
        ("post", f"/jury/examens/{e}/deliberation/ouvrir", {}),
        ("post", f"/jury/examens/{e}/deliberation/criteres/{c}", {"value": "acquis"}),
        ("post", f"/jury/examens/{e}/deliberation/commentaire", {"comment": "x"}),
        ("post", f"/jury/examens/{e}/deliberation/cloture", {}),
    ]


@pytest.mark.parametrize("role", [ORGANISER, COUNCIL])
def test_every_juror_route_refuses_other_roles(app, make_web, setup, role):
    web = make_web(make_user(role))
    for method, target, data in juror_routes(setup):
        r = getattr(web, method)(target, data, htmx=True) if method == "post" else web.get(target, htmx=True)
        assert r.status_code == 403, (method, target)


def test_every_exam_route_hides_the_exam_from_jurors_of_other_juries(app, make_web, setup):
    web = make_web(make_user(JUROR))
    for method, target, data in juror_routes(setup)[1:]:
        r = getattr(web, method)(target, data, htmx=True) if method == "post" else web.get(target, htmx=True)
        assert r.status_code == 404, (method, target)
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(
        AuditEntry.entity.in_(["grid", "exam"]))) == 0


def test_every_juror_route_sends_anonymous_users_to_the_login_page(web, setup):
    for method, target, data in juror_routes(setup):
        if method == "get":
            r = web.get(target)
            assert r.status_code == 302 and "/connexion" in r.headers["Location"], target
        else:
            r = web._call("post", target, data=data, headers={
                "HX-Request": "true", "HX-Current-URL": f"http://localhost/jury/examens/{setup.exam.id}/grille"})
            assert r.status_code == 401, target
            assert r.headers["HX-Redirect"] == f"/connexion?next=/jury/examens/{setup.exam.id}/grille"
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0


def test_an_expired_session_says_the_click_was_not_saved(web, setup):
    web.login(setup.president)
    web.client.delete_cookie("session")
    r = web.post(url(setup.exam, setup.criteria[0]), {"value": "acquis"}, htmx=True,
                 headers={"HX-Current-URL": f"http://localhost{url(setup.exam)}"})
    assert r.status_code == 401
    login_page = web.get(r.headers["HX-Redirect"]).text
    assert "votre dernière action n&#39;a pas été enregistrée" in login_page
    assert marks_of(setup.exam, setup.president) == {}


def test_ids_out_of_range_are_404_not_500(president, setup):
    for target in ("/jury/examens/9223372036854775808/grille", "/jury/examens/2147483648/grille",
                   "/jury/examens/0/grille", f"{url(setup.exam)}/criteres/2147483648"):
        if "criteres" in target:
            r = president.post(target, {"value": "acquis"}, htmx=True)
        else:
            r = president.get(target)
        assert r.status_code == 404, target


def test_nul_bytes_are_refused_with_a_400(president, setup):
    r = president.post(url(setup.exam, setup.criteria[0]), {"value": "acquis\x00"}, htmx=True)
    assert r.status_code == 400 and r.text == "Caractère invalide dans la requête."


def test_progress_without_htmx_is_the_grid_page(president, setup):
    r = president.get(f"/jury/examens/{setup.exam.id}/avancement")
    assert r.status_code == 302 and r.headers["Location"] == url(setup.exam)


def test_a_csrf_token_is_still_good_hours_later(president, setup, monkeypatch):
    import time
    later = time.time() + 11 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    r = president.post(url(setup.exam, setup.criteria[0]), {"value": "acquis"}, htmx=True)
    assert r.status_code == 200


# --- Deliberation details ------------------------------------------------------------------

def test_a_member_with_a_bad_value_is_told_they_are_not_president(president, member, both_graded):
    president.post(deliberation_url(both_graded.exam, "/ouvrir"))
    r = member.post(deliberation_url(both_graded.exam, f"/criteres/{both_graded.criteria[0]}"),
                    {"value": "peut-être"}, htmx=True)
    assert r.status_code == 403


def test_comment_must_be_sent_and_crlf_counts_as_one_character(president, member, both_graded):
    setup = both_graded
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    r = president.post(deliberation_url(setup.exam, "/commentaire"), {}, htmx=True)
    assert r.status_code == 400 and "absent" in r.text
    text = ("a" * 99 + "\r\n") * 20  # 2000 characters as the browser counts them
    r = president.post(deliberation_url(setup.exam, "/commentaire"), {"comment": text}, htmx=True)
    assert r.status_code == 200
    assert db.session.get(Exam, setup.exam.id).president_comment == text.replace("\r\n", "\n").strip()


def test_the_president_of_record_is_frozen_when_the_deliberation_opens(president, member, both_graded):
    setup = both_graded
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    setup.jury.president_id = setup.member.id  # the organiser renames the president later
    db.session.commit()
    page = member.get(deliberation_url(setup.exam)).text
    assert f"présidence : {setup.president.full_name}" in page
    assert "/deliberation/criteres/" not in page  # the member still cannot decide
    closing = closing_form(setup.president, setup.exam.id)
    assert president.post(deliberation_url(setup.exam, "/cloture"), closing).status_code == 303


def test_the_members_page_polls_and_gets_nothing_until_something_changes(president, member, both_graded):
    setup = both_graded
    president.post(deliberation_url(setup.exam, "/ouvrir"))
    page = member.get(deliberation_url(setup.exam)).text
    version = re.search(r"deliberation\?version=(\d+)", page).group(1)
    poll = f"{deliberation_url(setup.exam)}?version={version}"
    assert member.get(poll, htmx=True).status_code == 204
    president.post(deliberation_url(setup.exam, f"/criteres/{setup.criteria[0]}"), {"value": "non_acquis"})
    changed = member.get(poll, htmx=True)
    assert changed.status_code == 200 and "valeur retenue par le jury" in changed.text


def test_progress_poll_when_the_deliberation_opens(president, member, setup):
    """The president's poll goes to the deliberation (a reload could overtake their own
    redirect after opening it); the member's grid reloads and says it is open."""
    setup.exam.phase = "deliberation"
    db.session.commit()
    url = f"/jury/examens/{setup.exam.id}/avancement?phase=grading"
    r = president.get(url, htmx=True)
    assert r.status_code == 204
    assert r.headers["HX-Redirect"].endswith(f"/jury/examens/{setup.exam.id}/deliberation")
    r = member.get(url, htmx=True)
    assert r.status_code == 204 and r.headers["HX-Refresh"] == "true"
