"""Blocks kept across attempts, after the exam (issue 14, item 7): the signed minutes record the
blocks validated now and say those validated before; each new block gets a sealed attestation
(number, verification code) checked on the public page; revoking the attempt's certificate
revokes its blocks; the results page, the candidate's pages show the blocks now and before."""
import html
import io

import pypdf
import pytest

from certif.certificates.blocks.models import BlockAttestation
from certif.certificates.models import Certificate
from certif.certificates.rules import format_code
from certif.extensions import db
from certif.grading import services as grading
from certif.grading.blocks.models import BlockValidation
from certif.grading.rules import FAVORABLE
from certif.minutes import operations as minutes_ops
from certif.minutes.state import minutes_state
from certif.signatures.rules import parse_mark

from ..factories.blocks import previous_attempt
from ..factories.sessions import make_exam
from .helpers import URL


def text(response) -> str:
    return html.unescape(response.text)


@pytest.fixture
def retake(app, organiser_user):
    """An RNCP retake: BC01, BC02 validated 120 days before; BC03 graded now and validated,
    the minutes signed by both jurors with the visa."""
    setup = make_exam("RNCP-CM")
    previous_attempt(setup.exam.candidate, ("BC01", "BC02"), setup=setup, number="CM-AVANT")
    bc03 = [k.id for b in setup.layout.blocks if b.code == "BC03"
            for c in b.competencies for k in c.criteria]
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        for juror in (setup.president, setup.member):
            for criterion in bc03:
                grading.set_mark(juror, setup.exam.id, criterion, "acquis")
        grading.open_deliberation(setup.president, setup.exam.id)
        grading.close_deliberation(setup.president, setup.exam.id, confirmed=True, comment="Bien.")
        for juror in (setup.president, setup.member):
            minutes_ops.sign(juror, setup.session.id, parse_mark("typed", None, juror.full_name),
                             minutes_state(setup.session.id).content_sha256)
        minutes_ops.visa(organiser_user, setup.session.id,
                         parse_mark("typed", None, organiser_user.full_name),
                         minutes_state(setup.session.id).content_sha256)
    db.session.expire_all()
    return setup


def attestation_of(code) -> BlockAttestation:
    return db.session.scalar(db.select(BlockAttestation).join(BlockValidation)
                             .where(BlockValidation.block_code == code))


def test_the_signed_minutes_record_the_new_block_and_say_the_kept_ones(retake):
    assert retake.exam.decision == FAVORABLE  # the title: every block validated, whatever the attempts
    rows = db.session.scalars(db.select(BlockValidation).order_by(BlockValidation.id)).all()
    assert [(r.block_code, r.exam_id == retake.exam.id) for r in rows] == [
        ("BC01", False), ("BC02", False), ("BC03", True)]
    entry = minutes_state(retake.session.id).content["exams"][0]
    assert set(entry["blocks_before"]) == {"BC01", "BC02"}
    assert entry["blocks_before"]["BC01"]["session"] == "CM-AVANT"
    assert entry["blocks"] == {"BC01": True, "BC02": True, "BC03": True}


def test_certificate_and_block_attestation_produced_sealed_and_shown(retake, organiser):
    response = organiser.post(f"/sessions/{retake.session.id}/certificats")
    assert response.status_code == 303
    assert db.session.scalar(db.select(Certificate)) is not None  # the title, as today
    attestation = attestation_of("BC03")
    assert attestation.number.startswith("RNCP-CM-BC03-") and attestation_of("BC01") is None
    page = text(organiser.get(f"/sessions/{retake.session.id}/resultats"))
    assert "validé avant : Validé le" in page and "(session n° CM-AVANT)" in page
    assert f"attestation n° {attestation.number}" in page
    pdf = organiser.get(f"/attestations-bloc/{attestation.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    words = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    words = " ".join(words.split())
    assert "ATTESTATION DE VALIDATION DE BLOC" in words and "BC03" in words
    assert retake.exam.candidate.full_name.split()[0] in words and attestation.number in words
    assert format_code(attestation.verification_code) in words
    # The candidate's organiser page loads the blocks across attempts.
    blocks = text(organiser.get(f"/candidats/{retake.exam.candidate_id}/blocs", htmx=True))
    assert "Tous les blocs sont validés : titre acquis" in blocks and "CM-AVANT" in blocks


def test_attestation_download_authorisation(app, retake, organiser, make_web, web):
    from certif.candidates.links import make_token
    organiser.post(f"/sessions/{retake.session.id}/certificats")
    attestation = attestation_of("BC03")
    juror = make_web(retake.president)
    assert juror.get(f"/attestations-bloc/{attestation.id}.pdf").status_code == 403
    assert web.get(f"/attestations-bloc/{attestation.id}.pdf").status_code in (302, 401)
    with app.test_request_context():
        own = f"/c/{make_token(retake.exam.candidate)}"
        stranger = f"/c/{make_token(make_exam('RNCP-CM').exam.candidate)}"
    page = text(web.get(own))
    assert f"attestation de validation de bloc n° {attestation.number}" in page
    assert "Blocs validés lors d'une précédente tentative" in page and "CM-AVANT" in page
    assert web.get(f"{own}/attestations-bloc/{attestation.id}.pdf").status_code == 200
    assert web.get(f"{stranger}/attestations-bloc/{attestation.id}.pdf").status_code == 404
    assert web.get(f"{own}/attestations-bloc/99999.pdf").status_code == 404


def test_public_check_of_a_block_attestation_valid_unknown_revoked(retake, organiser, web):
    organiser.post(f"/sessions/{retake.session.id}/certificats")
    attestation = attestation_of("BC03")
    code = format_code(attestation.verification_code)
    page = text(web.get(URL, query_string={"number": attestation.number, "code": code}))
    assert "Cette attestation de validation de bloc est authentique" in page
    assert "BC03" in page and retake.exam.candidate.full_name in page and "Valide" in page
    unknown = text(web.get(URL, query_string={"number": attestation.number, "code": "AAAAA-AAAAA"}))
    assert "Aucun certificat ne correspond" in unknown and "authentique" not in unknown
    # Revoking the attempt's certificate revokes the blocks it validated.
    certificate = db.session.scalar(db.select(Certificate))
    response = organiser.post(f"/certificats/{certificate.id}/revocation",
                              {"reason": "Fraude constatée.", "confirm": "oui"})
    assert response.status_code == 303, response.text
    revoked = text(web.get(URL, query_string={"number": attestation.number, "code": code}))
    assert "Cette attestation de validation de bloc a été révoquée le" in revoked
    # And a later attempt grades BC03 again (the revoked attempt counts for nothing).
    db.session.expire_all()
    assert db.session.get(BlockValidation, attestation.validation_id).revoked


def test_the_minutes_pdfs_say_the_blocks_validated_before_and_now(retake):
    from certif.minutes.documents import general_minutes_pdf, grid_pdf, individual_minutes_pdf

    def words(data):
        return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
                        .split())

    individual = words(individual_minutes_pdf(retake.exam))
    assert "BC01" in individual and "bloc validé lors d'une précédente tentative" in individual
    assert "(session n° CM-AVANT) : bloc acquis, non évalué à nouveau" in individual
    assert "BC03" in individual and "bloc validé à cette session" in individual
    general = words(general_minutes_pdf(retake.session))
    assert "BC01 : validé avant (session n° CM-AVANT)" in general and "BC03 : validé" in general
    grid = words(grid_pdf(retake.exam))  # annex 6: the kept blocks say so, not "non acquise"
    assert "BC01 · " in grid and "bloc validé avant (session n° CM-AVANT), non évalué" in grid
    assert "Validée avant" in grid and "BC03" in grid
