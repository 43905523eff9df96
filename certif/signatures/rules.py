"""What a signature is made of, checked without Flask: the content signed and the mark itself."""
from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError  # Pillow comes with xhtml2pdf

DATA_URL_PREFIX = "data:image/png;base64,"
MAX_IMAGE_BYTES = 300_000
MAX_IMAGE_SIDE = 3000
MIN_INK_PIXELS = 30  # fewer drawn pixels than this is a slip, not a signature
MAX_TYPED = 200

MSG_CHOOSE = "Choisissez comment signer : tracer votre signature ou taper votre nom."
MSG_EMPTY_DRAWING = "Votre signature est vide : tracez-la dans le cadre, ou tapez votre nom."
MSG_BAD_IMAGE = "La signature tracée est illisible : effacez-la et recommencez, ou tapez votre nom."
MSG_EMPTY_TYPED = "Tapez votre nom complet pour signer."
MSG_LONG_TYPED = f"Le nom tapé ne doit pas dépasser {MAX_TYPED} caractères."


class InvalidSignature(ValueError):
    """The mark cannot be accepted; the message is French, for the signer."""


def canonical_json(content: dict) -> str:
    """One text for one content: keys sorted, no spaces, UTF-8 kept (what is hashed and shown)."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Mark:
    """A signer's mark: a drawn PNG or a typed name."""

    method: str  # "drawn" or "typed"
    image_png: bytes | None = None
    typed_name: str | None = None


def parse_mark(method: str | None, image: str | None, typed: str | None) -> Mark:
    if method == "drawn":
        return Mark("drawn", image_png=_drawn_png(image))
    if method == "typed":
        name = " ".join((typed or "").split())
        if not name:
            raise InvalidSignature(MSG_EMPTY_TYPED)
        if len(name) > MAX_TYPED:
            raise InvalidSignature(MSG_LONG_TYPED)
        if any(ord(ch) < 32 for ch in name):
            raise InvalidSignature(MSG_EMPTY_TYPED)
        return Mark("typed", typed_name=name)
    raise InvalidSignature(MSG_CHOOSE)


def _drawn_png(data_url: str | None) -> bytes:
    """The drawing as a clean PNG (re-encoded: nothing but pixels is kept)."""
    if not data_url:
        raise InvalidSignature(MSG_EMPTY_DRAWING)
    if not data_url.startswith(DATA_URL_PREFIX) or len(data_url) > MAX_IMAGE_BYTES * 4 // 3 + 100:
        raise InvalidSignature(MSG_BAD_IMAGE)
    try:
        raw = base64.b64decode(data_url[len(DATA_URL_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSignature(MSG_BAD_IMAGE) from None
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format != "PNG" or max(image.size) > MAX_IMAGE_SIDE:
                raise InvalidSignature(MSG_BAD_IMAGE)
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise InvalidSignature(MSG_BAD_IMAGE) from None
    alpha = rgba.getchannel("A")
    inked = sum(alpha.histogram()[1:])
    if inked < MIN_INK_PIXELS:
        raise InvalidSignature(MSG_EMPTY_DRAWING)
    bbox = alpha.getbbox()
    out = io.BytesIO()
    rgba.crop(bbox).save(out, format="PNG", optimize=True)
    return out.getvalue()


def data_url(png: bytes) -> str:
    """For templates and PDFs: xhtml2pdf reads data: URLs."""
    return DATA_URL_PREFIX + base64.b64encode(png).decode("ascii")


# Every signing form carries the fingerprint of the content it displayed (field
# SEEN_FIELD): a signature is only of what the signer was shown.
SEEN_FIELD = "content_sha256"
SEEN_MISSING, SEEN_CHANGED = "missing", "changed"
_HEX = frozenset("0123456789abcdef")


def content_sha256(content: dict | str) -> str:
    """The fingerprint of a content to sign (a dict, or canonical JSON already frozen)."""
    return sha256_text(content if isinstance(content, str) else canonical_json(content))


def seen_fingerprint(posted: str | None) -> str | None:
    """The posted fingerprint, normalised; None when it is not 64 hex characters."""
    seen = (posted or "").strip().lower()
    return seen if len(seen) == 64 and set(seen) <= _HEX else None


def seen_problem(posted: str | None, content: dict | str) -> str | None:
    """SEEN_MISSING when the form did not say what it displayed (not 64 hex characters),
    SEEN_CHANGED when it displayed something else than what would be signed now, else None."""
    seen = seen_fingerprint(posted)
    if seen is None:
        return SEEN_MISSING
    return SEEN_CHANGED if seen != content_sha256(content) else None
