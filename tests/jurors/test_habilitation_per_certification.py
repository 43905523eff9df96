"""A juror's habilitation is decided per certification (seed 000 I.C.3 for RS6240, seed 001
5-2 for the title): the juror's page shows one card per certification with what each rule
says; the organiser decides per certification (htmx or plain form, CSRF, audited, French
errors); professionalisation attendance counts for the certification of its session."""
from datetime import date

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import JUROR, User
from certif.extensions import db
from certif.jurors.habilitations import habilitation_problem, is_habilitated
from certif.jurors.models import JurorProfile
from certif.referentials.models import Referential

from ..factories.jurors import habilitation_of, make_juror_profile, make_professionalisation, set_habilitation
from ..factories.users import make_user

RS = "/jures/{id}/habilitations/RS6240"
TITLE = "/jures/{id}/habilitations/RNCP-CM"


def audit(user):
    return db.session.scalars(db.select(AuditEntry).filter_by(action="juror.decide", entity_id=user.id)
                              .order_by(AuditEntry.id)).all()


def ref(code):
    return db.session.scalar(db.select(Referential).filter_by(code=code).order_by(Referential.version.desc()))


def test_the_page_shows_one_card_per_certification(organiser, juror_user):
    page = organiser.get(f"/jures/{juror_user.id}").text
    assert 'id="habilitation-rs6240"' in page and 'id="habilitation-rncp-cm"' in page
    # RS6240: no session of its professionalisation attended; the title asks for none.
    assert "Session de professionnalisation de cette certification suivie" in page
    assert "jury composé de professionnels" in page and "Les jurés devront être des professionnels" in page
    assert page.count("ne peut pas encore siéger dans un jury de cette certification") == 2
    assert f"/jures/{juror_user.id}/habilitations/RNCP-CM/fiche.pdf" in page


def test_organiser_decides_for_one_certification(organiser, organiser_user, juror_user):
    response = organiser.post(TITLE.format(id=juror_user.id), {"rncp-cm-result": "favourable"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#habilitation-rncp-cm")
    decision = habilitation_of(juror_user, "RNCP-CM")
    assert (decision.result, decision.decided_by_id) == ("favourable", organiser_user.id)
    assert habilitation_of(juror_user, "RS6240") is None
    assert is_habilitated(juror_user.id, ref("RNCP-CM")) and not is_habilitated(juror_user.id, ref("RS6240"))
    [entry] = audit(juror_user)
    assert (entry.old_value, entry.new_value, entry.actor_id) == (None, "favourable", organiser_user.id)
    assert entry.details["certification"] == "RNCP-CM" and entry.details["recommended"] is True


def test_htmx_answers_the_card_and_the_history_stays_in_the_audit(organiser, juror_user):
    url = RS.format(id=juror_user.id)
    response = organiser.post(url, {"rs6240-result": "unfavourable", "rs6240-comment": "CV à compléter."},
                              htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card habilitation" id="habilitation-rs6240"')
    assert "CV à compléter." in response.text and "<html" not in response.text
    response = organiser.post(url, {"rs6240-result": "favourable",
                                    "rs6240-comment": "Session suivie depuis."}, htmx=True)
    assert response.status_code == 200 and "Modifier la décision" in response.text
    assert [(e.old_value, e.new_value, e.details["previous_comment"]) for e in audit(juror_user)] == [
        (None, "unfavourable", None), ("unfavourable", "favourable", "CV à compléter.")]


@pytest.mark.parametrize("data, message", [
    ({}, "Choisissez le résultat"),
    ({"rs6240-result": "peut-etre"}, "Choisissez le résultat"),
    ({"rs6240-result": "unfavourable"}, "Expliquez l'avis défavorable"),
    # RS6240's rules are not all met (no professionalisation session): a favourable needs a reason.
    ({"rs6240-result": "favourable"}, "justifiez l'avis favorable"),
    ({"rs6240-result": "favourable", "rs6240-comment": "x" * 2001}, "2000 caractères au maximum"),
])
def test_bad_input_is_refused_in_french(organiser, juror_user, data, message):
    url = RS.format(id=juror_user.id)
    response = organiser.post(url, data, htmx=True)
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert message in response.text
    response = organiser.post(url, data)
    assert response.status_code == 400 and "<html" in response.text
    assert message.replace("'", "&#39;") in response.text
    assert habilitation_of(juror_user) is None and audit(juror_user) == []


def test_who_may_decide(make_web, organiser, juror, juror_user, council_user, web):
    data = {"rs6240-result": "favourable", "rs6240-comment": "Moi"}
    assert juror.post(RS.format(id=juror_user.id), data).status_code == 403
    assert make_web(council_user).post(RS.format(id=juror_user.id), data).status_code == 403
    assert web.post(RS.format(id=juror_user.id), data, csrf=False).status_code in (302, 400)
    # Without its CSRF token, even the organiser writes nothing.
    assert organiser.post(RS.format(id=juror_user.id), data, csrf=False).status_code == 400
    assert organiser.post(f"/jures/{juror_user.id}/habilitations/RS9999",
                          {"rs9999-result": "favourable"}).status_code == 404
    assert organiser.get(f"/jures/{juror_user.id}/habilitations/RS9999/fiche.pdf").status_code == 404
    assert organiser.post(RS.format(id=999999), data).status_code == 404
    assert habilitation_of(juror_user) is None and audit(juror_user) == []


def test_professionalisation_counts_for_its_own_certification(organiser, juror_user, set_paris_today):
    set_paris_today(date(2026, 3, 12))
    make_professionalisation(date(2026, 3, 10), juror_user, attended=True, code="RNCP-CM")
    url = RS.format(id=juror_user.id)
    # A session of the title does not make the RS6240 rules met.
    assert organiser.post(url, {"rs6240-result": "favourable"}).status_code == 400
    make_professionalisation(date(2026, 3, 11), juror_user, attended=True)
    assert organiser.post(url, {"rs6240-result": "favourable"}).status_code == 303
    assert audit(juror_user)[0].details["recommended"] is True


def test_a_profile_changed_after_a_decision_is_flagged_on_that_card(organiser, juror, juror_user):
    organiser.post(TITLE.format(id=juror_user.id), {"rncp-cm-result": "favourable"})
    same = {"first_name": "Claire", "last_name": "Fontaine", "address": "12 rue des Lilas",
            "postal_code": "69003", "city": "Lyon", "phone": "06 12 34 56 78",
            "profession": "Community manager", "workplace": "Agence Sociale",
            "years_experience": "7", "external": "oui", "professionalisation_date": "2025-09-15"}
    juror.post("/jures/mon-profil", same)
    assert "modifiée après la décision" not in organiser.get(f"/jures/{juror_user.id}").text
    juror.post("/jures/mon-profil", {**same, "profession": "Développeur web"})
    page = organiser.get(f"/jures/{juror_user.id}").text
    assert page.count("La fiche a été modifiée après la décision") == 1  # the title's card only
    assert "Claire FONTAINE : Profession" in page
    assert "Fiche modifiée depuis la décision" in organiser.get("/jures/").text
    assert habilitation_of(juror_user, "RNCP-CM").result == "favourable"  # it stands


def test_the_juror_sees_their_habilitations(juror, juror_user):
    set_habilitation(juror_user, "favourable", codes=("RNCP-CM",))
    page = juror.get("/jures/mon-profil").text
    assert "Mes habilitations" in page and 'id="habilitation-rs6240"' in page
    assert "Favorable" in page and "En attente de décision" in page
    assert 'name="rs6240-result"' not in page  # no decision form on their own page


def test_habilitation_problem_names_the_certification(app):
    title, rs = ref("RNCP-CM"), ref("RS6240")
    no_profile = make_user(JUROR, first_name="Paul", last_name="Vide")
    assert habilitation_problem(no_profile, title) == (
        "Paul VIDE n'est pas habilité(e) pour la certification Community manager : fiche "
        "d'habilitation non renseignée.")
    pending = make_user(JUROR, first_name="Anne", last_name="Attente")
    make_juror_profile(pending)
    assert habilitation_problem(pending, title) == (
        "Anne ATTENTE n'est pas habilité(e) pour la certification Community manager : "
        "habilitation en attente de décision.")
    set_habilitation(pending, "unfavourable", codes=("RNCP-CM",))
    set_habilitation(pending, "favourable", codes=("RS6240",))
    assert habilitation_problem(db.session.get(User, pending.id), title).endswith(
        ": habilitation défavorable.")
    assert habilitation_problem(pending.id, rs) is None and is_habilitated(pending.id, rs)
    organiser_user = make_user("organiser", first_name="Org", last_name="Anisatrice")
    assert "n'a pas de compte de juré" in habilitation_problem(organiser_user, rs)
    assert db.session.scalar(db.select(JurorProfile).filter_by(user_id=no_profile.id)) is None
