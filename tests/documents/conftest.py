"""Helpers for the documents tests: a small PDF, sealed or not, and another organisation's seal."""
import datetime as dt
import io

import pytest


def plain_pdf(text="Procès-verbal de la session S-1") -> bytes:
    from reportlab.pdfgen import canvas
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()


def altered(data: bytes, position: int = 200) -> bytes:
    """`data` with one byte changed (inside the signed part of the file)."""
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def make_pem_pair(folder, common_name="Autre organisme", passphrase=None):
    """A self-signed EC certificate and its key, written as PEM files; returns their paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                           critical=True)
            .sign(key, hashes.SHA256()))
    encryption = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
                  else serialization.NoEncryption())
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8, encryption))
    return cert_path, key_path


@pytest.fixture
def sealed_pdf(app):
    from certif.documents.seal import seal_pdf
    return seal_pdf(plain_pdf(), reason="Procès-verbal scellé")
