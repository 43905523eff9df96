"""Files a test uploads or checks: small PDFs (sealed or not), another organisation's seal,
PNG images and drawn signatures."""
import base64
import datetime as dt
import io

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

from certif.signatures.rules import DATA_URL_PREFIX

# The smallest file our check accepts as a PDF: header, body, trailer.
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
SMALL_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def plain_pdf(text="Procès-verbal de la session S-1") -> bytes:
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


def drawn_png() -> str:
    """A drawn signature as the signing pad posts it (a data URL)."""
    image = Image.new("RGBA", (200, 60), (0, 0, 0, 0))
    ImageDraw.Draw(image).line((10, 30, 190, 40), fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def png_url(ink: bool = True, size=(300, 90), fmt="PNG") -> str:
    """A PNG (or JPEG under a PNG label) data URL, with a line of ink unless told."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line((10, 60, 290, 20), fill=(16, 36, 62, 255), width=4)
    out = io.BytesIO()
    (image.convert("RGB") if fmt == "JPEG" else image).save(out, fmt)
    return DATA_URL_PREFIX + base64.b64encode(out.getvalue()).decode()
