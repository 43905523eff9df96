"""An RS6240 exam on 1 December 2026 whose candidate's identity is not checked yet;
"today" is the exam day unless a test says otherwise."""
import base64
import io
import re
from datetime import date
from html import unescape

import pytest

from certif.examday import services
from certif.extensions import db

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


@pytest.fixture
def checked(setup, president):
    """The exam once the president has checked the candidate's identity (the candidate has an e-mail)."""
    setup.exam.candidate.email = "alex@example.org"
    db.session.commit()
    assert president.post(f"/jury/examens/{setup.exam.id}/identite", IDENTITY).status_code == 303
    return setup


def new_link(setup, president) -> str:
    """The president issues a single-use attendance link; returns the code the reception page shows."""
    base = f"/jury/examens/{setup.exam.id}"
    assert president.post(f"{base}/lien-emargement").status_code == 303
    page = unescape(president.get(f"{base}/accueil").text)
    code = re.search(r'class="attendance-code"[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})<', page).group(1)
    return code


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
