"""The organiser's candidate screens through the test client (CSRF on)."""
import io
from datetime import date, timedelta

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, JUROR
from certif.candidates.links import candidate_from_token, make_token
from certif.candidates.models import Candidate
from certif.errors import NotFound
from certif.extensions import db
from certif.sessions.models import Exam

from ..factories.candidates import make_candidate
from ..factories.sessions import make_exam
from ..factories.users import make_user
from .helpers import FORM, JEANNE, candidate_count, csv_bytes


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)
                              .order_by(AuditEntry.id)).all()


def upload(web, data: bytes, name="candidats.csv"):
    return web.post("/candidats/import", {"file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")


# --- Authorisation --------------------------------------------------------------------------

PAGES = ["/candidats/", "/candidats/nouveau", "/candidats/{id}", "/candidats/{id}/modifier",
         "/candidats/import", "/candidats/import/modele.csv"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_goes_to_login(app, web, page):
    candidate = make_candidate(**JEANNE)
    response = web.get(page.format(id=candidate.id))
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


@pytest.mark.parametrize("role", [JUROR, COUNCIL])
@pytest.mark.parametrize("page", PAGES)
def test_jurors_and_council_get_403(app, make_web, role, page):
    candidate = make_candidate(**JEANNE)
    web = make_web(make_user(role))
    assert web.get(page.format(id=candidate.id)).status_code == 403
    assert web.post(f"/candidats/{candidate.id}/lien").status_code == 403
    assert web.post("/candidats/nouveau", FORM).status_code == 403
    assert candidate_count() == 1


@pytest.mark.parametrize("page", PAGES)
def test_organiser_reaches_every_page(organiser, page):
    candidate = make_candidate(**JEANNE)
    assert organiser.get(page.format(id=candidate.id)).status_code == 200


def test_unknown_candidate_is_404(organiser):
    assert organiser.get("/candidats/999").status_code == 404
    assert organiser.get("/candidats/999/modifier").status_code == 404
    assert organiser.post("/candidats/999/lien").status_code == 404
    assert organiser.post("/candidats/999/modifier", FORM).status_code == 404


# --- Create ---------------------------------------------------------------------------------

def test_create_a_candidate(organiser, organiser_user):
    response = organiser.post("/candidats/nouveau", FORM)
    assert response.status_code == 303
    candidate = db.session.scalar(db.select(Candidate))
    assert response.headers["Location"].endswith(f"/candidats/{candidate.id}")
    assert (candidate.full_name, candidate.email, candidate.birth_date, candidate.pathway,
            candidate.postal_code) == ("Jean DUPONT", "jean.dupont@exemple.fr", date(1985, 3, 2),
                                       "vae", "69001")
    [entry] = audit("candidate.create")
    assert (entry.actor_id, entry.entity_id, entry.new_value) == (organiser_user.id, candidate.id,
                                                                  "Jean DUPONT")
    page = organiser.get(response.headers["Location"]).text
    assert "Candidat Jean DUPONT enregistré." in page
    assert "VAE" in page and "30 avril 2026" in page
    assert "30 juillet 2026" in page  # sits within 3 months after the end of training


def test_french_dates_are_accepted_by_the_form_too(organiser):
    response = organiser.post("/candidats/nouveau", {**FORM, "birth_date": "02/03/1985",
                                               "training_end_date": ""})
    assert response.status_code == 303
    candidate = db.session.scalar(db.select(Candidate))
    assert (candidate.birth_date, candidate.training_end_date) == (date(1985, 3, 2), None)


@pytest.mark.parametrize("changes, message", [
    ({"last_name": ""}, "Nom obligatoire."),
    ({"first_name": "x" * 101}, "Prénom trop long (100 caractères au plus)."),
    ({"email": "jean@"}, "Adresse e-mail invalide."),
    ({"postal_code": "690"}, "Code postal invalide : 5 chiffres attendus."),
    ({"birth_date": (date.today() + timedelta(days=1)).isoformat()},
     "Date de naissance invalide : elle doit être passée."),
    ({"birth_date": "2020-02-30"}, "Date de naissance invalide : date au format jj/mm/aaaa attendue."),
    ({"extra_minutes": "30"}, "Des minutes supplémentaires exigent l&#39;aménagement décidé avec le "
                              "référent handicap."),
    ({"extra_minutes": "241", "accommodation": "Tiers temps"},
     "Minutes supplémentaires invalides : un nombre entier de 0 à 240 attendu."),
    ({"extra_minutes": "dix", "accommodation": "Tiers temps"},
     "Minutes supplémentaires invalides : un nombre entier de 0 à 240 attendu."),
    ({"pathway": "apprentissage"}, "Parcours inconnu : « formation », « partenaire » ou « vae » "
                                "attendu."),
    ({"phone": "0" * 41}, "Téléphone trop long (40 caractères au plus)."),
])
def test_bad_input_is_400_and_nothing_is_written(organiser, changes, message):
    response = organiser.post("/candidats/nouveau", {**FORM, **changes})
    assert response.status_code == 400
    assert message in response.text
    assert "Le formulaire contient des erreurs" in response.text
    assert candidate_count() == 0
    assert audit("candidate.create") == []


def test_the_csrf_token_is_required(organiser):
    response = organiser.post("/candidats/nouveau", FORM, csrf=False)
    assert response.status_code == 400
    assert candidate_count() == 0


@pytest.mark.parametrize("changes, reason", [
    ({"email": "JEANNE.martin@exemple.fr"}, "même adresse e-mail jeanne.martin@exemple.fr"),
    ({"last_name": "MARTIN", "first_name": "jeanne", "birth_date": "17/05/1990", "email": ""},
     "même nom, même prénom et même date de naissance"),
])
def test_duplicate_is_409_naming_the_existing_candidate(organiser, changes, reason):
    existing = make_candidate(**JEANNE)
    response = organiser.post("/candidats/nouveau", {**FORM, **changes})
    assert response.status_code == 409
    assert f"Ce candidat existe déjà : Jeanne MARTIN ({reason})." in response.text
    assert f'href="/candidats/{existing.id}"' in response.text
    assert candidate_count() == 1


def test_homonym_with_another_birth_date_is_not_a_duplicate(organiser):
    make_candidate(**JEANNE)
    response = organiser.post("/candidats/nouveau", {**FORM, "last_name": "Martin", "first_name": "Jeanne",
                                               "birth_date": "1991-05-17"})
    assert response.status_code == 303
    assert candidate_count() == 2


# --- Edit -----------------------------------------------------------------------------------

def test_edit_form_is_filled_with_the_candidate(organiser):
    candidate = make_candidate(**{**JEANNE, "training_end_date": date(2026, 4, 30)})
    page = organiser.get(f"/candidats/{candidate.id}/modifier").text
    assert 'value="1990-05-17"' in page and 'value="2026-04-30"' in page
    assert 'value="jeanne.martin@exemple.fr"' in page


def test_edit_records_only_changed_fields(organiser, organiser_user):
    candidate = make_candidate(**JEANNE, birth_name="Martin")  # as the form stores it
    form = {**FORM, "last_name": "Martin", "first_name": "Jeanne", "birth_date": "1990-05-17",
            "email": "jeanne.martin@exemple.fr", "phone": "07 11 22 33 44",
            "address": "", "postal_code": "", "city": "", "training_end_date": "",
            "pathway": "training"}
    response = organiser.post(f"/candidats/{candidate.id}/modifier", form)
    assert response.status_code == 303
    assert db.session.get(Candidate, candidate.id).phone == "07 11 22 33 44"
    [entry] = audit("candidate.update")
    assert entry.actor_id == organiser_user.id and entry.entity_id == candidate.id
    assert entry.details == {"changes": {"phone": [None, "07 11 22 33 44"]}}
    assert entry.old_value == "phone=" and entry.new_value == "phone=07 11 22 33 44"
    assert db.session.get(Candidate, candidate.id).updated_at is not None
    # Saving the same values again changes nothing and records nothing.
    response = organiser.post(f"/candidats/{candidate.id}/modifier", form)
    assert response.status_code == 303
    assert len(audit("candidate.update")) == 1
    assert "Aucune modification." in organiser.get(response.headers["Location"]).text


def test_edit_with_bad_input_writes_nothing(organiser):
    candidate = make_candidate(**JEANNE)
    response = organiser.post(f"/candidats/{candidate.id}/modifier", {**FORM, "email": "pas-un-email"})
    assert response.status_code == 400
    assert "Adresse e-mail invalide." in response.text
    assert db.session.get(Candidate, candidate.id).last_name == "Martin"
    assert audit("candidate.update") == []


def test_edit_into_another_candidate_is_409(organiser):
    make_candidate(**JEANNE)
    other = make_candidate(**{**JEANNE, "first_name": "Paul", "email": "paul@exemple.fr"})
    response = organiser.post(f"/candidats/{other.id}/modifier",
                        {**FORM, "first_name": "Paul", "email": "jeanne.martin@exemple.fr"})
    assert response.status_code == 409
    assert "Ce candidat existe déjà : Jeanne MARTIN" in response.text
    assert db.session.get(Candidate, other.id).email == "paul@exemple.fr"


def test_new_extra_minutes_reschedule_the_jury(organiser):
    setup = make_exam("RS6240", candidates=3)
    first, second, third = setup.jury.exams
    candidate = first.candidate
    start = setup.session.starts_at
    form = {**FORM, "last_name": candidate.last_name, "first_name": candidate.first_name,
            "birth_date": "", "email": "", "accommodation": "Tiers temps", "extra_minutes": "15"}
    response = organiser.post(f"/candidats/{candidate.id}/modifier", form)
    assert response.status_code == 303
    exams = db.session.scalars(db.select(Exam).where(Exam.jury_id == setup.jury.id)
                               .order_by(Exam.position)).all()
    assert [(e.starts_at - start, e.duration_minutes) for e in exams] == [
        (timedelta(0), 45), (timedelta(minutes=45), 30), (timedelta(minutes=75), 30)]
    [entry] = audit("candidate.update")
    assert entry.details["rescheduled_juries"] == [setup.jury.id]
    assert entry.details["changes"]["extra_minutes"] == [0, 15]


def test_a_graded_exam_is_not_rescheduled(organiser):
    setup = make_exam("RS6240", candidates=2)
    first = setup.jury.exams[0]
    first.phase = "closed"
    db.session.commit()
    candidate = first.candidate
    form = {**FORM, "last_name": candidate.last_name, "first_name": candidate.first_name,
            "birth_date": "", "email": "", "accommodation": "Tiers temps", "extra_minutes": "15"}
    assert organiser.post(f"/candidats/{candidate.id}/modifier", form).status_code == 303
    assert db.session.get(Exam, first.id).duration_minutes == 30
    assert "rescheduled_juries" not in audit("candidate.update")[0].details


# --- The candidate's page and link ----------------------------------------------------------

def test_show_lists_the_attempts_with_links_to_the_exam(organiser):
    setup = make_exam("RS6240")
    exam = setup.exam
    exam.phase, exam.decision, exam.total = "closed", "defavorable", 12.5
    db.session.commit()
    page = organiser.get(f"/candidats/{exam.candidate_id}").text
    assert f"Session n° {setup.session.number}" in page
    assert f'href="/sessions/examens/{exam.id}"' in page
    assert "Avis défavorable" in page and "12,50/20" in page
    assert "/c/" in page  # the personal link, to copy


def test_renew_link_revokes_the_old_one(organiser):
    candidate = make_candidate(**JEANNE)
    old = make_token(candidate)
    assert candidate_from_token(old).id == candidate.id
    response = organiser.post(f"/candidats/{candidate.id}/lien")
    assert response.status_code == 303
    db.session.expire_all()
    with pytest.raises(NotFound):
        candidate_from_token(old)
    fresh = db.session.get(Candidate, candidate.id)
    assert candidate_from_token(make_token(fresh)).id == candidate.id
    [entry] = audit("candidate.link_renewed")
    assert entry.entity_id == candidate.id
    assert "les liens envoyés auparavant ne fonctionnent plus" in organiser.get(
        response.headers["Location"]).text


# --- List and search ------------------------------------------------------------------------

def test_list_is_alphabetical_with_badges_and_attempts(organiser):
    make_candidate(**{**JEANNE, "last_name": "Zola", "first_name": "Émile", "email": None})
    make_candidate(**{**JEANNE, "last_name": "Abel", "first_name": "Anne", "email": "anne@exemple.fr",
                   "accommodation": "Tiers temps", "extra_minutes": 20})
    setup = make_exam("RS6240")
    page = organiser.get("/candidats/").text
    assert page.index("ABEL Anne") < page.index(setup.exam.candidate.last_name.upper()) \
        < page.index("ZOLA Émile")
    assert "+20 min" in page
    assert "3 candidats" in page
    assert "Évaluation · 1er décembre 2026" in page


def test_search_with_htmx_returns_the_results_fragment(organiser):
    make_candidate(**{**JEANNE, "last_name": "Abel", "first_name": "Anne", "email": "anne@exemple.fr"})
    make_candidate(**{**JEANNE, "last_name": "Zola", "first_name": "Émile", "email": "emile@ecrivains.fr"})
    fragment = organiser.get("/candidats/?q=ecriv", htmx=True)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and 'id="resultats"' in fragment.text
    assert "ZOLA Émile" in fragment.text and "ABEL" not in fragment.text
    page = organiser.get("/candidats/?q=abel")
    assert "<html" in page.text and 'value="abel"' in page.text
    assert "ABEL Anne" in page.text and "ZOLA" not in page.text
    assert "Aucun candidat ne correspond à « 100% »" in organiser.get("/candidats/?q=100%25").text


def test_history_restore_gets_the_whole_page(organiser):
    response = organiser.get("/candidats/?q=a", htmx=True, headers={"HX-History-Restore-Request": "true"})
    assert "<html" in response.text


# --- CSV import -----------------------------------------------------------------------------

GOOD_LINES = (
    "Martin;Camille;14/02/1994;camille.martin@exemple.fr;;;69003;Lyon;30/06/2026;formation;;0",
    "Durand;Léa;03/11/1988;lea.durand@exemple.fr;;;;;15/07/2026;vae;Pauses;15",
    "Petit;Louis;;;;;;;;;;",
)


def test_import_a_good_file(organiser, organiser_user):
    response = upload(organiser, csv_bytes(*GOOD_LINES, encoding="cp1252"), "promo-juin.csv")
    assert response.status_code == 303
    names = db.session.scalars(db.select(Candidate.last_name).order_by(Candidate.last_name)).all()
    assert names == ["Durand", "Martin", "Petit"]
    lea = db.session.scalar(db.select(Candidate).filter_by(last_name="Durand"))
    assert (lea.first_name, lea.pathway, lea.extra_minutes) == ("Léa", "vae", 15)
    assert len(audit("candidate.create")) == 3
    [entry] = audit("candidate.import")
    assert entry.details["filename"] == "promo-juin.csv" and entry.details["count"] == 3
    page = organiser.get(response.headers["Location"]).text
    assert "3 candidats importés" in page
    assert "Léa DURAND" in page and "promo-juin.csv" in page


def test_one_bad_line_rejects_the_whole_file(organiser):
    lines = (*GOOD_LINES[:2], "Dupont;Jean;;jean@;;;;;;;;", GOOD_LINES[2])
    response = upload(organiser, csv_bytes(*lines))
    assert response.status_code == 400
    assert "Ligne 4 : adresse e-mail invalide (« jean@ »)" in response.text
    assert "aucun candidat n'a été importé" in response.text
    assert candidate_count() == 0
    assert audit("candidate.create") == [] and audit("candidate.import") == []


def test_a_line_already_in_the_database_rejects_the_file(organiser):
    make_candidate(**{**JEANNE, "email": "lea.durand@exemple.fr"})
    response = upload(organiser, csv_bytes(*GOOD_LINES))
    assert response.status_code == 400
    assert ("Ligne 3 : l&#39;adresse e-mail « lea.durand@exemple.fr » est déjà celle de "
            "Jeanne MARTIN, déjà enregistré(e)") in response.text
    assert candidate_count() == 1


def test_importing_the_same_file_twice_is_refused(organiser):
    assert upload(organiser, csv_bytes(*GOOD_LINES)).status_code == 303
    response = upload(organiser, csv_bytes(*GOOD_LINES))
    assert response.status_code == 400
    assert "Ligne 4 : Louis PETIT est déjà enregistré(e)" in response.text
    assert candidate_count() == 3


@pytest.mark.parametrize("data, message", [
    (b"", "Le fichier est vide."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "n&#39;est pas un fichier CSV lisible"),
    (csv_bytes(), "Le fichier ne contient aucune ligne de candidat"),
])
def test_empty_or_not_csv_is_400(organiser, data, message):
    response = upload(organiser, data)
    assert response.status_code == 400
    assert message in response.text
    assert candidate_count() == 0


def test_import_without_a_file_is_400(organiser):
    response = organiser.post("/candidats/import", {}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choisissez un fichier CSV à importer." in response.text


def test_the_template_file_imports_as_is(organiser):
    template = organiser.get("/candidats/import/modele.csv")
    assert template.status_code == 200
    assert template.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in template.headers["Content-Disposition"]
    assert template.data.startswith(b"\xef\xbb\xbfnom;pr\xc3\xa9nom")
    assert upload(organiser, template.data).status_code == 303
    assert candidate_count() == 2


def test_unknown_import_batch_is_404(organiser):
    assert organiser.get("/candidats/import?lot=999").status_code == 404


def test_an_upload_beyond_the_request_limit_is_413_in_french(app, organiser):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = upload(organiser, csv_bytes(*(["Nom;Prénom;;;;;;;;;;"] * 1000)))
    assert response.status_code == 413
    assert "Le fichier est trop volumineux" in response.text
    assert candidate_count() == 0
