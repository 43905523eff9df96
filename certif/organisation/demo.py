"""The demo's insurance policy: one policy covering the demo's sessions, with a certificate."""
from __future__ import annotations

from datetime import date

from .inputs import PolicyInput
from .operations import record_policy


def _certificate_pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII), built by hand: the demo needs no PDF library."""
    stream = f"BT /F1 14 Tf 60 760 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def load(today: date) -> None:
    # From last year's first of January: the finished session three weeks back stays covered
    # even in early January; two years on, beyond every demo session to come.
    starts = date(today.year - 1, 1, 1)
    ends = date(today.year + 1, 12, 31)
    record_policy(None, PolicyInput("Mutuelle des Organismes de Formation", "RC-2026-0042",
                                    starts, ends),
                  _certificate_pdf("Attestation d'assurance responsabilite civile RC-2026-0042"),
                  "attestation-rc-2026.pdf")
