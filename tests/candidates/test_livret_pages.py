"""The organiser's « Livret d'évaluation » page: open the livret for a certification, add,
edit and delete evaluations and block projects (audited, CSRF, htmx fragment or whole page),
download the relevé; organisers only, the candidate's own entries only, VAE refused (409),
bad input refused in French (400)."""
import io

import pypdf
import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, JUROR
from certif.candidates.livret.documents import releve_pdf
from certif.candidates.livret.models import BlockProject, Livret, LivretEvaluation
from certif.candidates.livret.queries import has_livret
from certif.extensions import db

from ..factories.candidates import make_candidate
from ..factories.livret import add_evaluation, add_project, make_livret, referential
from ..factories.users import make_user

EVALUATION = {"action": "evaluation", "competency_code": "C2.1", "evaluated_on": "2026-03-02",
              "kind": "practical", "acquired": "acquis", "evaluator": "Mme Formatrice",
              "comment": "Pages créées"}


def url(candidate, rest=""):
    return f"/candidats/{candidate.id}/livret{rest}"


def actions():
    return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))
            if e.action.startswith("livret.")]


@pytest.fixture
def trainee(app):
    candidate = make_candidate("Manon", "Faure", pathway="training")
    make_livret(candidate)
    return candidate


def test_the_organiser_opens_a_livret_for_a_certification_that_declares_one(organiser):
    candidate = make_candidate(pathway="training")
    page = organiser.get(url(candidate))
    assert page.status_code == 200 and "Ouvrir le livret" in page.text
    assert "RS6240" not in page.text  # RS6240 declares no livret: not offered
    rs6240 = organiser.post(url(candidate), {"action": "open",
                                             "referential_id": referential("RS6240").id})
    assert rs6240.status_code == 409 and "ne prévoit pas de livret" in rs6240.text
    opened = organiser.post(url(candidate), {"action": "open",
                                             "referential_id": referential().id})
    assert opened.status_code == 303
    assert db.session.scalar(db.select(Livret.referential_id)) == referential().id
    assert actions() == ["livret.open"]


def test_evaluations_are_added_edited_and_deleted_audited(organiser, trainee):
    added = organiser.post(url(trainee), EVALUATION)
    assert added.status_code == 303
    row = db.session.scalar(db.select(LivretEvaluation))
    row_id = row.id
    assert (row.competency.code, row.kind, row.acquired) == ("C2.1", "practical", True)
    fragment = organiser.post(url(trainee), {**EVALUATION, "acquired": "non acquis"}, htmx=True)
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith("<section")
    assert "Évaluation de C2.1 enregistrée." in fragment.text
    edit = url(trainee, f"/evaluations/{row.id}")
    assert organiser.get(edit).status_code == 200
    assert organiser.post(edit, {**EVALUATION, "kind": "quiz"}).status_code == 303
    assert db.session.get(LivretEvaluation, row.id).kind == "quiz"
    deleted = organiser.post(url(trainee), {"action": "delete_evaluation", "evaluation_id": row.id})
    assert deleted.status_code == 303
    assert db.session.scalars(db.select(LivretEvaluation.id)).all() == [row_id + 1]
    project = {"action": "project", "block_code": "BC02", "validated_on": "2026-03-20",
               "validated_by": "M. Référent"}
    assert organiser.post(url(trainee), project).status_code == 303
    assert db.session.scalar(db.select(BlockProject.validated_by)) == "M. Référent"
    assert actions() == ["livret.evaluation_add", "livret.evaluation_add",
                         "livret.evaluation_edit", "livret.evaluation_delete",
                         "livret.project_save"]


def test_bad_input_is_refused_in_french_at_the_page(organiser, trainee):
    page = organiser.post(url(trainee), {**EVALUATION, "competency_code": "C9",
                                         "evaluated_on": "2099-01-01", "evaluator": ""})
    assert page.status_code == 400
    assert "Compétence inconnue dans le référentiel du livret." in page.text
    assert "Date de l&#39;évaluation invalide : elle ne peut pas être dans le futur." in page.text
    assert "Évaluateur obligatoire." in page.text
    htmx = organiser.post(url(trainee), {**EVALUATION, "kind": "oral"}, htmx=True)
    assert htmx.status_code == 400 and htmx.mimetype == "text/plain"
    assert htmx.text.startswith("Type d'évaluation inconnu")
    assert organiser.post(url(trainee), {"action": "nope"}).status_code == 400
    assert organiser.post(url(trainee), EVALUATION, csrf=False).status_code == 400
    assert db.session.scalar(db.select(LivretEvaluation)) is None


def test_vae_candidates_have_no_livret(organiser):
    vae = make_candidate(pathway="vae")
    page = organiser.get(url(vae))
    assert "pas de livret d'évaluation" in page.text and "Ouvrir le livret" not in page.text
    refused = organiser.post(url(vae), EVALUATION)
    assert refused.status_code == 409
    assert "Le parcours « VAE » n&#39;a pas de livret d&#39;évaluation" in refused.text
    opened = organiser.post(url(vae), {"action": "open", "referential_id": referential().id})
    assert opened.status_code == 409


def test_only_organisers_and_only_the_candidates_own_entries(app, organiser, make_web, trainee):
    for role in (JUROR, COUNCIL):
        other = make_web(make_user(role))
        assert other.get(url(trainee)).status_code == 403
        assert other.post(url(trainee), EVALUATION).status_code == 403
        assert other.get(url(trainee, "/releve.pdf")).status_code == 403
    someone = make_candidate(pathway="training")
    theirs = add_evaluation(make_livret(someone))
    assert organiser.get(url(trainee, f"/evaluations/{theirs.id}")).status_code == 404
    assert organiser.post(url(trainee), {"action": "delete_evaluation",
                                         "evaluation_id": theirs.id}).status_code == 404
    assert organiser.get("/candidats/999999/livret").status_code == 404
    assert organiser.get(url(trainee, "/evaluations/99999999999")).status_code == 404


def test_the_releve_lists_evaluations_and_projects_and_its_download_is_audited(organiser, trainee):
    livret = db.session.scalar(db.select(Livret))
    assert not has_livret(trainee)
    add_evaluation(livret, "C1.1", kind="case_study", comment="Benchmark sectoriel")
    add_project(livret, "BC01")
    assert has_livret(trainee)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(releve_pdf(trainee))).pages)
    for expected in ("RELEVÉ DES ÉVALUATIONS", "Manon FAURE", "Formation dans l'organisme",
                     "BC01", "C1.1", "Étude de cas", "Acquis", "Benchmark sectoriel",
                     "validé le 20 mars 2026 par M. Référent", "Aucune évaluation enregistrée"):
        assert expected in text, expected
    response = organiser.get(url(trainee, "/releve.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert actions() == ["livret.releve_download"]
