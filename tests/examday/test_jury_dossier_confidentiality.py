"""The jury's « Dossier du candidat » panel: the two jurors of the candidate's jury only, the
pieces inline and audited, closed (403) until each juror signed the confidentiality
attestation when the company asked for it."""
import html

import pytest

from certif.audit.models import AuditEntry
from certif.candidates.dossier.models import FileEntry
from certif.extensions import db
from certif.signatures.models import CONFIDENTIALITY, Signature
from tests.factories.dossier import complete_file, rncp_exam
from tests.factories.jurors import make_juror
from tests.factories.livret import add_evaluation, make_livret
from tests.factories.sessions import upcoming_exam


@pytest.fixture
def setup(app):
    """An RNCP sitting whose candidate's file is complete, the company asking confidentiality."""
    setup = rncp_exam(days=20)
    complete_file(setup.exam, confidential=True)
    return setup


def _piece(key):
    return db.session.scalar(db.select(FileEntry).filter_by(piece=key, replaced_at=None))


def _piece_url(setup, key, **args):
    query = "?telecharger=1" if args.get("download") else ""
    return f"/jury/examens/{setup.exam.id}/dossier/pieces/{_piece(key).id}{query}"


def _sign(web, setup):
    page = web.get(f"/jury/examens/{setup.exam.id}/accueil")
    sha = page.text.split('name="content_sha256" value="')[-1].split('"')[0]
    return web.post(f"/jury/examens/{setup.exam.id}/dossier/confidentialite", data={
        "content_sha256": sha, "signature_method": "typed", "signature_typed": "Paule Presidente"})


def test_the_panel_shows_every_piece_on_the_reception_and_grid_pages(setup, president):
    for url in (f"/jury/examens/{setup.exam.id}/accueil", f"/jury/examens/{setup.exam.id}/grille"):
        page = president.get(url)
        assert page.status_code == 200
        text = html.unescape(page.text)
        assert "Dossier du candidat" in text and "Dossier technique de projet" in text
        assert "Confidentialité demandée par l'entreprise" in text


def test_the_pieces_stay_closed_until_the_juror_signs(setup, president, member):
    response = president.get(_piece_url(setup, "technical_dossier"))
    assert response.status_code == 403
    assert "signez d'abord l'attestation de confidentialité" in html.unescape(response.text)
    assert _sign(president, setup).status_code == 303
    signature = db.session.scalar(db.select(Signature).filter_by(document=CONFIDENTIALITY))
    assert signature.user_id == setup.president.id and len(signature.content_sha256) == 64
    opened = president.get(_piece_url(setup, "technical_dossier"))
    assert opened.status_code == 200 and opened.data.startswith(b"%PDF")
    assert opened.headers["Content-Disposition"].startswith("inline")
    assert opened.headers["X-Content-Type-Options"] == "nosniff"
    assert member.get(_piece_url(setup, "technical_dossier")).status_code == 403  # signs for himself
    assert _sign(president, setup).status_code == 409  # once


def test_each_opening_and_download_is_audited(app, make_web):
    setup = rncp_exam(days=20)
    complete_file(setup.exam)  # no confidentiality asked: open at once
    president = make_web(setup.president)
    assert president.get(_piece_url(setup, "cv")).status_code == 200
    download = president.get(_piece_url(setup, "cv", download=True))
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert president.get(_piece_url(setup, "summary")).status_code == 200  # a text piece
    actions = db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.action.in_(("dossier.open", "dossier.download")))).all()
    assert sorted(actions) == ["dossier.download", "dossier.open", "dossier.open"]
    releve = president.get(f"/jury/examens/{setup.exam.id}/dossier/releve.pdf")
    assert releve.status_code == 404  # no livret recorded for this candidate


def test_only_the_jurors_of_that_jury_reach_the_file(setup, make_web):
    stranger = make_web(make_juror("Autre"))
    other = upcoming_exam(days=20, code="RNCP-CM")
    colleague = make_web(other.president)  # a juror of another RNCP jury
    for web in (stranger, colleague):
        assert web.get(_piece_url(setup, "technical_dossier")).status_code == 404
        assert web.post(f"/jury/examens/{setup.exam.id}/dossier/confidentialite", data={
            "content_sha256": "0" * 64, "signature_method": "typed",
            "signature_typed": "X"}).status_code == 404


def test_an_rs6240_sitting_shows_no_panel(app, make_web):
    setup = upcoming_exam(days=20)
    page = make_web(setup.president).get(f"/jury/examens/{setup.exam.id}/accueil")
    assert page.status_code == 200 and "Dossier du candidat" not in page.text


def test_the_jury_opens_the_releve_of_a_candidate_in_training(app, make_web):
    setup = rncp_exam(days=20)
    add_evaluation(make_livret(setup.exam.candidate))
    president = make_web(setup.president)
    page = president.get(f"/jury/examens/{setup.exam.id}/accueil")
    assert "Ouvrir le relevé des évaluations" in html.unescape(page.text)
    releve = president.get(f"/jury/examens/{setup.exam.id}/dossier/releve.pdf")
    assert releve.status_code == 200 and releve.data.startswith(b"%PDF")
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="dossier.open", new_value="releve"))
