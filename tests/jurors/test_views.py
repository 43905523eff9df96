"""The jurors' screens: who reaches what, creating and editing a juror (the decision per
certification: test_habilitation_per_certification.py)."""
from datetime import date
from urllib.parse import urlsplit

import pytest

from certif.audit.models import AuditEntry
from certif.auth import tokens
from certif.auth.models import JUROR, User
from certif.extensions import db
from certif.jurors.models import JurorProfile

from ..factories.jurors import habilitation_of, set_habilitation
from ..factories.mail import last_link_to
from ..factories.users import make_user
from ..factories.web import CSRF_RE

NEW = {
    "first_name": "Élodie", "last_name": "Marchand", "email": "Elodie.Marchand@exemple.fr",
    "address": "3 place Bellecour", "postal_code": "69002", "city": "Lyon",
    "phone": "+33 6 11 22 33 44", "profession": "Formatrice en communication digitale",
    "workplace": "Organisme Formadigit", "years_experience": "9", "external": "oui",
    "professionalisation_date": "2026-01-20",
}


def audit(action, entity_id=None):
    query = db.select(AuditEntry).filter_by(action=action)
    if entity_id is not None:
        query = query.filter_by(entity_id=entity_id)
    return db.session.scalars(query.order_by(AuditEntry.id)).all()


def profile_of(user_id):
    return db.session.scalar(db.select(JurorProfile).filter_by(user_id=user_id))


# --- Who reaches what ------------------------------------------------------------------

def organiser_pages(juror_user):
    return ["/jures/", "/jures/nouveau", f"/jures/{juror_user.id}", f"/jures/{juror_user.id}/modifier"]


def test_anonymous_is_sent_to_login(web, juror_user):
    for url in organiser_pages(juror_user) + ["/jures/mon-profil", f"/jures/{juror_user.id}/cv",
                                         f"/jures/{juror_user.id}/habilitations/RS6240/fiche.pdf"]:
        response = web.get(url)
        assert response.status_code == 302, url
        assert "/connexion" in response.headers["Location"]
    response = web.post(f"/jures/{juror_user.id}/habilitations/RS6240", {"rs6240-result": "favourable"},
                        csrf=False)
    assert response.status_code in (302, 400)
    assert habilitation_of(juror_user) is None


def test_juror_cannot_reach_the_organiser_pages(juror, juror_user, other_juror_user):
    assert juror.get("/jures/").status_code == 403
    assert juror.get("/jures/nouveau").status_code == 403
    assert juror.get(f"/jures/{other_juror_user.id}").status_code == 403
    assert juror.get(f"/jures/{other_juror_user.id}/modifier").status_code == 403
    assert juror.post(f"/jures/{other_juror_user.id}/modifier", {**NEW}).status_code == 403
    assert juror.post("/jures/nouveau", {**NEW}).status_code == 403
    # Not even on themself: the decision is the organiser's.
    response = juror.post(f"/jures/{juror_user.id}/habilitations/RS6240",
                          {"rs6240-result": "favourable", "rs6240-comment": "Moi"})
    assert response.status_code == 403
    assert habilitation_of(juror_user) is None
    assert db.session.scalar(db.select(User).filter_by(email="elodie.marchand@exemple.fr")) is None


def test_juror_own_page_leads_to_their_profile(juror, juror_user):
    response = juror.get(f"/jures/{juror_user.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/jures/mon-profil")


def test_council_gets_403(council_user, make_web, juror_user):
    web = make_web(council_user)
    for url in organiser_pages(juror_user) + ["/jures/mon-profil"]:
        assert web.get(url).status_code == 403, url


def test_organiser_reaches_every_page(organiser, juror_user):
    for url in organiser_pages(juror_user):
        assert organiser.get(url).status_code == 200, url
    # Not a juror, or no such account: 404.
    assert organiser.get("/jures/999999").status_code == 404
    organiser_only = make_user("organiser")
    assert organiser.get(f"/jures/{organiser_only.id}").status_code == 404


def test_list_shows_recommendation_and_decision(organiser, juror_user, other_juror_user):
    profile = profile_of(other_juror_user.id)
    profile.years_experience = 3
    db.session.commit()
    set_habilitation(other_juror_user, "unfavourable", codes=("RS6240",))
    incomplete = make_user(JUROR, first_name="Zoé", last_name="Sansfiche")
    page = organiser.get("/jures/").text
    assert "Claire FONTAINE" in page and "Karim BENALI" in page and "Zoé SANSFICHE" in page
    assert "Conditions remplies" in page  # the title's rule: a professional of the field
    assert "Conditions non remplies" in page
    assert "Profil incomplet" in page
    assert "Défavorable" in page and "En attente de décision" in page
    assert juror_user.email in page
    assert incomplete.email in page


# --- Creating a juror -----------------------------------------------------------------

def session_cookie(web) -> dict:
    """What the signed (not encrypted) session cookie holds, decoded."""
    app = web.client.application
    cookie = web.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def test_create_juror_sends_an_invitation_instead_of_a_password(organiser, organiser_user):
    response = organiser.post("/jures/nouveau", NEW)
    user = db.session.scalar(db.select(User).filter_by(email="elodie.marchand@exemple.fr"))
    assert user is not None and user.roles == {JUROR}
    assert response.status_code == 303
    assert response.headers["Location"] == f"/jures/{user.id}"
    profile = profile_of(user.id)
    assert profile.profession == "Formatrice en communication digitale"
    assert profile.years_experience == 9 and profile.external is True
    assert profile.professionalisation_date == date(2026, 1, 20)
    assert profile.postal_code == "69002" and habilitation_of(profile.user) is None
    # No password anywhere: the juror chooses one through the emailed link.
    assert user.password_hash is None
    page = organiser.get(f"/jures/{user.id}").text
    assert "Invitation envoyée à elodie.marchand@exemple.fr." in page
    assert "Mot de passe provisoire" not in page
    link = last_link_to(user.email, "/mot-de-passe/")
    row = tokens.lookup(link.rsplit("/", 1)[-1])
    assert row.user_id == user.id and row.purpose == tokens.INVITATION
    assert tokens.problem(row) is None
    entry = audit("juror.create", user.id)[0]
    assert entry.actor_id == organiser_user.id
    assert audit("user.invite", user.id)[0].actor_id == organiser_user.id


def test_the_invitation_link_is_never_shown_to_the_organiser(organiser):
    response = organiser.post("/jures/nouveau", NEW)
    user = db.session.scalar(db.select(User).filter_by(email="elodie.marchand@exemple.fr"))
    token = last_link_to(user.email, "/mot-de-passe/").rsplit("/", 1)[-1]
    assert token not in response.text and token not in response.headers.get("Set-Cookie", "")
    assert token not in str(session_cookie(organiser))
    assert token not in organiser.get(f"/jures/{user.id}").text
    assert all(token not in (e.new_value or "") + str(e.details) for e in audit("user.invite"))


def test_new_juror_chooses_a_password_through_the_link_and_logs_in(organiser, web):
    organiser.post("/jures/nouveau", NEW)
    path = urlsplit(last_link_to("elodie.marchand@exemple.fr", "/mot-de-passe/")).path
    page = web.get(path)
    assert page.status_code == 200
    chosen = "Lanterne-Bleue-Orage-58"
    response = web._call("post", path, data={
        "new_password": chosen, "confirmation": chosen,
        "csrf_token": CSRF_RE.search(page.text).group(1)})
    assert response.status_code == 303
    user = db.session.scalar(db.select(User).filter_by(email="elodie.marchand@exemple.fr"))
    login = web.login(user, password=chosen)
    assert login.headers["Location"].endswith("/jury/")
    assert web.get("/jures/mon-profil").status_code == 200


def test_create_with_an_existing_email_is_refused(organiser, juror_user):
    response = organiser.post("/jures/nouveau", {**NEW, "email": juror_user.email.upper()})
    assert response.status_code == 400
    assert "Un compte existe déjà avec cette adresse e-mail." in response.text
    assert db.session.scalar(db.select(db.func.count(User.id)).filter_by(last_name="Marchand")) == 0


@pytest.mark.parametrize("field, value, message", [
    ("first_name", "", "Saisissez le prénom."),
    ("email", "pas-une-adresse", "Adresse e-mail invalide."),
    ("years_experience", "-1", "Saisissez un nombre d&#39;années entre 0 et 80."),
    ("years_experience", "cinq", "Saisissez un nombre entier d&#39;années"),
    ("professionalisation_date", "2026-13-45", "Date invalide"),
    ("postal_code", "6900", "Code postal invalide"),
])
def test_create_with_bad_input_writes_nothing(organiser, field, value, message):
    response = organiser.post("/jures/nouveau", {**NEW, field: value})
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert db.session.scalar(db.select(db.func.count(User.id)).filter_by(last_name="Marchand")) == 0
    assert audit("juror.create") == []


# --- Editing ----------------------------------------------------------------------------

def test_organiser_edits_a_profile(organiser, juror_user, organiser_user):
    page = organiser.get(f"/jures/{juror_user.id}/modifier").text
    assert 'value="Community manager"' in page and 'value="69003"' in page
    response = organiser.post(f"/jures/{juror_user.id}/modifier", {
        **NEW, "first_name": "Claire", "last_name": "Fontaine", "email": "claire@exemple.fr",
        "years_experience": "12"})
    assert response.status_code == 303
    profile = profile_of(juror_user.id)
    assert profile.years_experience == 12
    assert db.session.get(User, juror_user.id).email == "claire@exemple.fr"
    entry = audit("juror.update", juror_user.id)[-1]
    assert entry.actor_id == organiser_user.id
    assert "years_experience" in entry.details["fields"] and "email" in entry.details["fields"]
    assert '"years_experience": 7' in entry.old_value and '"years_experience": 12' in entry.new_value


@pytest.mark.parametrize("field, value", [
    ("years_experience", "-3"), ("years_experience", "douze"), ("years_experience", "81"),
    ("professionalisation_date", "32/01/2026"), ("email", "claire@"), ("phone", "appelez-moi"),
])
def test_edit_with_bad_input_writes_nothing(organiser, juror_user, field, value):
    before = organiser.get(f"/jures/{juror_user.id}/modifier")
    assert before.status_code == 200
    data = {**NEW, "first_name": "Claire", "last_name": "Fontaine", "email": juror_user.email,
            field: value}
    response = organiser.post(f"/jures/{juror_user.id}/modifier", data)
    assert response.status_code == 400
    assert "Le formulaire contient des erreurs" in response.text
    profile = profile_of(juror_user.id)
    assert profile.years_experience == 7 and profile.profession == "Community manager"
    assert audit("juror.update") == []


def test_edit_to_an_email_already_taken(organiser, juror_user, other_juror_user):
    data = {**NEW, "first_name": "Claire", "last_name": "Fontaine", "email": other_juror_user.email}
    response = organiser.post(f"/jures/{juror_user.id}/modifier", data)
    assert response.status_code == 400
    assert "Un compte existe déjà avec cette adresse e-mail." in response.text
    assert db.session.get(User, juror_user.id).email == juror_user.email
    assert profile_of(juror_user.id).profession == "Community manager"


def test_juror_edits_their_own_profile_but_not_their_email(juror, juror_user):
    page = juror.get("/jures/mon-profil")
    assert page.status_code == 200
    assert 'value="Community manager"' in page.text and 'name="email"' not in page.text
    response = juror.post("/jures/mon-profil", {
        **NEW, "first_name": "Claire", "last_name": "Fontaine", "email": "pirate@exemple.fr"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/jures/mon-profil")
    user = db.session.get(User, juror_user.id)
    assert user.email != "pirate@exemple.fr"
    assert profile_of(juror_user.id).profession == "Formatrice en communication digitale"
    assert audit("juror.update", juror_user.id)[-1].actor_id == juror_user.id


def test_juror_own_profile_bad_input(juror, juror_user):
    response = juror.post("/jures/mon-profil", {
        **NEW, "first_name": "Claire", "last_name": "Fontaine", "years_experience": "-2"})
    assert response.status_code == 400
    assert profile_of(juror_user.id).years_experience == 7


def test_juror_without_profile_fills_it_in(make_web):
    user = make_user(JUROR, first_name="Nina", last_name="Nouvelle")
    web = make_web(user)
    assert web.get("/jures/mon-profil").status_code == 200
    response = web.post("/jures/mon-profil", {**NEW, "first_name": "Nina", "last_name": "Nouvelle"})
    assert response.status_code == 303
    assert profile_of(user.id).years_experience == 9
