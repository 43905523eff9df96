"""The attestation de validation de bloc: its PDF, its file name, its check link."""
from __future__ import annotations

from ...documents.pdf import render_pdf
from ...referentials.registration import period_sentence, registration_sentence
from ...timeutil import paris_day
from ...web import external_url
from .. import rules
from ..content import holder_of, place_of_award, qr_data_url, signatory_of_session
from .models import BlockAttestation


def attestation_filename(attestation: BlockAttestation) -> str:
    return f"attestation-bloc-{attestation.number}.pdf"


def check_url(attestation: BlockAttestation) -> str:
    return external_url("certificates.verify_public", number=attestation.number,
                        code=rules.format_code(attestation.verification_code))


def attestation_context(attestation: BlockAttestation) -> dict:
    validation = attestation.validation
    exam = validation.exam
    session = exam.jury.session
    referential = session.referential
    facts = referential.registration_facts
    return dict(attestation=attestation, validation=validation, candidate=validation.candidate,
                holder=holder_of(validation.candidate), session=session, referential=referential,
                registration=registration_sentence(facts), registration_period=period_sentence(facts),
                place=place_of_award(),
                made_on=paris_day(attestation.created_at),
                code=rules.format_code(attestation.verification_code),
                verify_url=external_url("certificates.verify_public"),
                qr=qr_data_url(check_url(attestation)),
                signatory=signatory_of_session(session.id))


def attestation_pdf(attestation: BlockAttestation) -> bytes:
    return render_pdf("pdf/block_attestation.html", **attestation_context(attestation))
