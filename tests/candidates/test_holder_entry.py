"""The holder's civil status entered by the organiser: the candidate form (its fieldset, bad
input refused in French) and the CSV import's optional columns (all lines or none)."""
import html
import io

import pytest

from certif.audit.models import AuditEntry
from certif.candidates.csv_import import parse
from certif.candidates.models import Candidate
from certif.extensions import db

from ..factories.candidates import make_candidate
from .helpers import FORM, JEANNE, candidate_count

HOLDER = {"birth_name": "Dupont", "usage_name": "", "first_name_2": "Marc", "first_name_3": "Henri",
          "sex": "M", "birth_insee_code": "2B033", "birth_postal_code": "", "birth_commune": "Bastia",
          "birth_country_code": "", "birth_country_name": "", "access_mode": ""}
HEADER = "nom;prénom;date_naissance;sexe;prénom_2;code_insee_naissance;commune_naissance;" \
         "code_pays_naissance;pays_naissance;nom_usage;modalité_accès"


def csv_file(*lines: str) -> bytes:
    return "\r\n".join([HEADER, *lines, ""]).encode("utf-8")


def upload(web, data: bytes):
    return web.post("/candidats/import", {"file": (io.BytesIO(data), "candidats.csv")},
                    content_type="multipart/form-data")


def test_the_form_has_the_holder_fieldset(organiser):
    page = html.unescape(organiser.get("/candidats/nouveau").text)
    assert "État civil du titulaire (certificat et déclaration CDC)" in page
    for name in HOLDER:
        assert f'name="{name}"' in page


def test_the_organiser_enters_the_holder_data(organiser):
    response = organiser.post("/candidats/nouveau", {**FORM, **HOLDER})
    assert response.status_code in (302, 303)
    candidate = db.session.scalars(db.select(Candidate)).one()
    assert (candidate.birth_name, candidate.first_name_2, candidate.first_name_3, candidate.sex,
            candidate.birth_insee_code, candidate.birth_commune, candidate.access_mode) == (
        "Dupont", "Marc", "Henri", "M", "2B033", "Bastia", None)
    page = html.unescape(organiser.get(f"/candidats/{candidate.id}").text)
    assert "Jean Marc Henri DUPONT" in page and "Bastia (2B033)" in page
    assert "Validation des acquis de l'expérience (VAE)" in page  # FORM's pathway


@pytest.mark.parametrize("field, value, message", [
    ("birth_insee_code", "2033", "Code commune INSEE de naissance invalide"),
    ("sex", "X", "Sexe invalide"),
    ("birth_postal_code", "2000", "Code postal de naissance invalide"),
    ("birth_country_code", "ESP", "Code pays de naissance invalide"),
    ("access_mode", "STAGE", "Modalité d'accès inconnue"),
    ("birth_name", "N" * 61, "Nom de naissance trop long"),
])
def test_bad_holder_input_is_400_in_french(organiser, field, value, message):
    response = organiser.post("/candidats/nouveau", {**FORM, **HOLDER, field: value})
    assert response.status_code == 400
    assert message in html.unescape(response.text)
    assert candidate_count() == 0


def test_an_edit_is_audited_field_by_field(organiser):
    candidate = make_candidate(**JEANNE)
    form = {**FORM, "last_name": "Martin", "first_name": "Jeanne", "email": JEANNE["email"],
            "birth_date": "1990-05-17", **HOLDER, "birth_name": "Martin",
            "access_mode": "CANDIDAT_LIBRE"}
    response = organiser.post(f"/candidats/{candidate.id}/modifier", form)
    assert response.status_code in (302, 303)
    stored = db.session.get(Candidate, candidate.id)
    assert stored.access_mode == "CANDIDAT_LIBRE" and stored.sex == "M"
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="candidate.update")).one()
    assert entry.details["changes"]["birth_insee_code"] == [None, "2B033"]


def test_the_edit_form_is_filled_with_the_holder_data(organiser):
    candidate = make_candidate(**JEANNE, sex="F", access_mode="VAE", birth_commune="Lyon")
    page = organiser.get(f"/candidats/{candidate.id}/modifier").text
    assert '<option selected value="F">' in page or 'value="F" selected' in page
    assert 'value="Lyon"' in page


# --- CSV import -------------------------------------------------------------------------------

def test_the_import_reads_the_holder_columns(organiser):
    data = csv_file("Martin;Jeanne;17/05/1990;F;Marie;2A004;Ajaccio;;;Durand;",
                    "Lopez;Ana;03/11/1988;femme;;;Madrid;99134;Espagne;;candidat libre")
    response = upload(organiser, data)
    assert response.status_code in (302, 303), response.text
    ana, jeanne = sorted(db.session.scalars(db.select(Candidate)), key=lambda c: c.last_name)
    assert (ana.sex, ana.birth_country_code, ana.birth_country_name, ana.access_mode) == (
        "F", "134", "Espagne", "CANDIDAT_LIBRE")
    assert (jeanne.birth_name, jeanne.usage_name, jeanne.first_name_2,
            jeanne.birth_insee_code) == ("Martin", "Durand", "Marie", "2A004")


def test_a_bad_holder_cell_refuses_the_whole_file_with_line_numbers(organiser):
    data = csv_file("Martin;Jeanne;17/05/1990;F;;2A004;Ajaccio;;;;",
                    "Lopez;Ana;03/11/1988;X;;6912;Lyon;;;;")
    response = upload(organiser, data)
    assert response.status_code == 400
    body = html.unescape(response.text)
    assert "Ligne 3 : sexe invalide" in body and "Ligne 3 : code commune INSEE de naissance" in body
    assert "« 6912 »" in body
    assert candidate_count() == 0


def test_the_model_file_imports_as_it_is():
    with open("certif/candidates/data/modele-import-candidats.csv", "rb") as model:
        result = parse(model.read())
    assert result.ok, result.messages
    assert [row.data.birth_commune for row in result.rows] == ["Lyon", "Madrid"]
