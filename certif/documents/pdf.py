"""HTML templates (templates/pdf/) to PDF bytes with xhtml2pdf.

The documents use DejaVu Sans when the system has it (every French character,
œ and the euro sign included); otherwise xhtml2pdf's Helvetica.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from flask import make_response, render_template

from ..errors import ServiceError

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


class DocumentError(ServiceError):
    status = 500


def _font_paths() -> dict[str, str] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return {"regular": regular.as_uri(), "bold": bold.as_uri()}
    return None


def render_pdf(template: str, **context) -> bytes:
    """Render `template` (under templates/pdf/) and convert it; raise if xhtml2pdf fails."""
    # heavy: loaded only when a PDF is built. xhtml2pdf and ReportLab weigh ~30 MB per
    # worker, and most requests (a juror's clicks) never build one (measured by `make bench`).
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    html = render_template(template, pdf_fonts=_font_paths(), **context)
    out = io.BytesIO()
    # Nothing remote; local files only from the font folders (xhtml2pdf refuses the rest).
    policy = ResourceAccessPolicy(allow_remote=False,
                                  extra_roots=tuple(d for d in FONT_DIRS if d.exists()))
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=policy)
    if result.err:
        raise DocumentError("Le document PDF n'a pas pu être produit.")
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_response(data: bytes, filename: str, *, attachment: bool = False):
    response = make_response(data)
    response.mimetype = "application/pdf"
    # Werkzeug quotes the name (and adds filename* for non-ASCII names).
    response.headers.set("Content-Disposition", "attachment" if attachment else "inline",
                         filename=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
