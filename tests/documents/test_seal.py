"""Sealing a PDF with the organisation's certificate, and checking it byte for byte."""
import os
import re
import stat
from pathlib import Path

import pytest

from certif.documents import seal
from certif.documents.seal import seal_pdf, verify_pdf

from ..factories.files import make_pem_pair, plain_pdf


def byte_range(data):
    return [int(n) for n in re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", data).groups()]


def flip(data, position):
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def test_sealed_pdf_is_intact_and_names_the_organisation(app, sealed_pdf):
    verdict = verify_pdf(sealed_pdf)
    assert verdict.intact, verdict.message
    assert verdict.message.startswith("Document intact")
    assert verdict.signer == "ALLOKOM — cachet des documents certif"
    assert verdict.signed_at is not None and verdict.signed_at.tzinfo is None
    assert b"/CachetCertif" in sealed_pdf or b"(CachetCertif)" in sealed_pdf
    # The text of the document is untouched.
    import io

    import pypdf
    first_page = pypdf.PdfReader(io.BytesIO(sealed_pdf)).pages[0]
    assert "Procès-verbal de la session S-1" in first_page.extract_text()


def test_the_self_signed_seal_is_generated_once_and_kept(app, sealed_pdf):
    folder = Path(app.config["FILES_DIR"]) / "seal"
    cert, key = folder / "seal-cert.pem", folder / "seal-key.pem"
    assert cert.exists() and key.exists()
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    before = cert.read_bytes()
    seal_pdf(plain_pdf("autre"), reason="Second")
    assert cert.read_bytes() == before
    from cryptography import x509
    loaded = x509.load_pem_x509_certificate(before)
    assert (loaded.not_valid_after_utc - loaded.not_valid_before_utc).days >= 3650


@pytest.mark.parametrize("where", ["header", "page_content", "signature_start", "signature_value",
                                   "signature_padding", "after_signature", "trailer", "last_byte"])
def test_one_changed_byte_anywhere_breaks_the_seal(app, sealed_pdf, where):
    start1, len1, start2, len2 = byte_range(sealed_pdf)
    stream = sealed_pdf.index(b"stream", 0, start1 + len1)
    positions = {
        "header": 2,
        "page_content": stream + 20,
        "signature_start": start1 + len1 + 1,
        "signature_value": start1 + len1 + 301,
        "signature_padding": start2 - 3,
        "after_signature": start2 + 2,
        "trailer": sealed_pdf.rindex(b"trailer") + 3 if b"trailer" in sealed_pdf[start2:]
        else len(sealed_pdf) - 20,
        "last_byte": len(sealed_pdf) - 1,
    }
    verdict = verify_pdf(flip(sealed_pdf, positions[where]))
    assert not verdict.intact
    assert verdict.message in (seal.MSG_BROKEN, seal.MSG_ALTERED, seal.MSG_NOT_PDF)


def test_every_sampled_byte_position_breaks_the_seal(app, sealed_pdf):
    for position in range(0, len(sealed_pdf), 97):
        assert not verify_pdf(flip(sealed_pdf, position)).intact, position


def test_lower_case_hex_in_the_signature_is_refused(app, sealed_pdf):
    start1, len1, _start2, _len2 = byte_range(sealed_pdf)
    gap = sealed_pdf[start1 + len1:_start2]
    tampered = sealed_pdf[:start1 + len1] + gap.lower() + sealed_pdf[_start2:]
    assert len(tampered) == len(sealed_pdf)
    assert not verify_pdf(tampered).intact


@pytest.mark.parametrize("tail", [b"\n", b"%%EOF\n", b"\x00" * 8])
def test_appended_bytes_break_the_seal(app, sealed_pdf, tail):
    verdict = verify_pdf(sealed_pdf + tail)
    assert not verdict.intact
    assert verdict.message in ("Le document a été modifié après son scellement.",
                               "Le fichier n'est pas un PDF lisible.")


def test_an_incremental_update_after_sealing_breaks_the_seal(app, sealed_pdf):
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed_pdf))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    assert len(out.getvalue()) > len(sealed_pdf)
    verdict = verify_pdf(out.getvalue())
    assert not verdict.intact
    assert verdict.message == "Le document a été modifié après son scellement."


def test_a_pdf_sealed_by_another_certificate_is_not_ours(app, tmp_path):
    cert, key = make_pem_pair(tmp_path / "other", "Officine de faux diplômes")
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    signer = signers.SimpleSigner.load(str(key), str(cert))
    out = seal._outside_event_loop(  # the browser tests may leave a loop running here
        signers.sign_pdf, IncrementalPdfFileWriter(io.BytesIO(plain_pdf())),
        signers.PdfSignatureMetadata(field_name="CachetCertif", md_algorithm="sha256"),
        signer=signer)
    verdict = verify_pdf(out.getvalue())
    assert not verdict.intact
    assert verdict.message.startswith("Cachet d'un autre signataire")
    assert verdict.signer == "Officine de faux diplômes"


def test_garbage_is_not_a_pdf(app):
    for data in (b"", b"garbage", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, b"%PDF-1.7\n%%EOF"):
        verdict = verify_pdf(data)
        assert not verdict.intact
        assert verdict.message == "Le fichier n'est pas un PDF lisible."


def test_an_unsigned_pdf_has_no_seal(app):
    verdict = verify_pdf(plain_pdf())
    assert not verdict.intact
    assert verdict.message.startswith("Aucun cachet")


def test_the_configured_pem_certificate_is_used(app, tmp_path):
    cert, key = make_pem_pair(tmp_path / "org", "ALLOKOM Certification (AC réelle)", passphrase="s3cret")
    app.config.update(SEAL_CERT_FILE=str(cert), SEAL_KEY_FILE=str(key), SEAL_KEY_PASSPHRASE="s3cret")
    sealed = seal_pdf(plain_pdf(), reason="Certificat")
    verdict = verify_pdf(sealed)
    assert verdict.intact and verdict.signer == "ALLOKOM Certification (AC réelle)"
    assert not (Path(app.config["FILES_DIR"]) / "seal" / "seal-cert.pem").exists()
    # Back to the generated seal: the document sealed with the configured one is no longer ours.
    app.config.update(SEAL_CERT_FILE=None, SEAL_KEY_FILE=None, SEAL_KEY_PASSPHRASE=None)
    assert verify_pdf(sealed).message.startswith("Cachet d'un autre signataire")


def test_a_configured_pkcs12_file_is_used(app, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        load_pem_private_key,
        pkcs12,
    )
    cert_path, key_path = make_pem_pair(tmp_path / "p12", "ALLOKOM PKCS12")
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = load_pem_private_key(key_path.read_bytes(), None)
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"seal", key, cert, None,
                                                          BestAvailableEncryption(b"pw")))
    app.config.update(SEAL_PKCS12_FILE=str(p12), SEAL_KEY_PASSPHRASE="pw")
    verdict = verify_pdf(seal_pdf(plain_pdf(), reason="Certificat"))
    assert verdict.intact and verdict.signer == "ALLOKOM PKCS12"


def test_ensure_seal_generates_at_start(app):
    folder = Path(app.config["FILES_DIR"]) / "seal"
    assert not (folder / "seal-cert.pem").exists()
    seal.ensure_seal(app)
    assert (folder / "seal-cert.pem").exists() and (folder / "seal-key.pem").exists()


def test_bytes_inside_the_signature_blob_are_checked_too(app, sealed_pdf):
    # The CMS blob has parts the signature does not protect (versions, the list of digest
    # algorithms, the certificate set): they must match what the seal writes exactly.
    start1, len1, start2, _len2 = byte_range(sealed_pdf)
    for position in range(start1 + len1, start2, 29):
        assert not verify_pdf(flip(sealed_pdf, position)).intact, position
    for position in (start1 + len1 + 50, start1 + len1 + 51, start1 + len1 + 65):
        assert not verify_pdf(flip(sealed_pdf, position)).intact, position


def test_sealing_and_verifying_work_inside_a_running_event_loop(app):
    """An async caller (or Playwright's sync API, in the same test process) has a loop
    running in its thread, where pyHanko's own asyncio.run() would fail."""
    import asyncio
    import threading
    verdicts = []

    def in_a_thread_with_a_running_loop():
        async def seal_then_check():
            with app.app_context():
                verdicts.append(verify_pdf(seal_pdf(plain_pdf(), reason="Test")))
        asyncio.run(seal_then_check())

    thread = threading.Thread(target=in_a_thread_with_a_running_loop)
    thread.start()
    thread.join()
    assert verdicts and verdicts[0].intact
