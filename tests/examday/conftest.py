"""An RS6240 exam on 1 December 2026 whose candidate's identity is not checked yet;
"today" is the exam day unless a test says otherwise."""
import base64
import io
import re
from datetime import date

import pytest

from certif.examday import services

from ..factories import ORGANISER, make_exam, make_user

EXAM_DAY = date(2026, 12, 1)
TYPED = {"signature_method": "typed", "signature_typed": "Alex Candidat"}


@pytest.fixture(autouse=True)
def exam_day(monkeypatch):
    monkeypatch.setattr(services, "paris_today", lambda: EXAM_DAY)
    return EXAM_DAY


@pytest.fixture
def setup(app):
    return make_exam("RS6240", identity_checked=False)



@pytest.fixture
def organiser(app, make_web):
    return make_web(make_user(ORGANISER))


IDENTITY = {"document_type": "cni", "convocation_checked": "y", "mode": "camera", "notes": ""}


def drawn_png() -> str:
    from PIL import Image, ImageDraw
    image = Image.new("RGBA", (200, 60), (0, 0, 0, 0))
    ImageDraw.Draw(image).line((10, 30, 190, 40), fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def seen_hash(client, page_url: str, action: str) -> str | None:
    """The content fingerprint that the signing form posting to `action` carries on `page_url`."""
    page = client.get(page_url).text
    form = re.search(r'<form[^>]*action="' + re.escape(action) + r'"(?:(?!</form>).)*?'
                     r'name="content_sha256"[^>]*value="([0-9a-f]*)"', page, re.S)
    return form.group(1) if form and form.group(1) else None


def sign(client, page_url: str, action: str, data=None, **kwargs):
    """Post a signature as the page offers it: with the fingerprint of what it displayed
    (none when the page offers no signing form: the service refuses before the fingerprint)."""
    seen = seen_hash(client, page_url, action)
    extra = {"content_sha256": seen} if seen else {}
    return client.post(action, {**(data or TYPED), **extra}, **kwargs)
