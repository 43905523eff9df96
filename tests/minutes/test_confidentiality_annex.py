"""The jurors' confidentiality attestations are annexed to the general minutes."""
import io

from pypdf import PdfReader

from certif.examday import dossier
from certif.minutes.documents import general_minutes_pdf
from certif.signatures.rules import Mark, content_sha256
from tests.factories.dossier import complete_file, rncp_exam


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_signed_attestations_are_listed_in_the_general_minutes(app):
    setup = rncp_exam(days=20)
    complete_file(setup.exam, confidential=True)
    assert "CONFIDENTIALIT" not in _text(general_minutes_pdf(setup.session))
    found = dossier.jury_file(setup.president, setup.exam.id)
    seen = content_sha256(dossier.attestation_content(found, setup.president))
    signature = dossier.sign_confidentiality(setup.president, setup.exam.id,
                                             Mark("typed", None, setup.president.full_name),
                                             seen_sha256=seen)
    text = _text(general_minutes_pdf(setup.session))
    assert "ATTESTATIONS DE CONFIDENTIALITÉ DES JURÉS" in text
    assert setup.president.full_name in text and signature.content_sha256[:16] in text.replace("\n", "")
