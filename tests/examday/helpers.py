"""Helpers of the exam-day tests: the identity check's form, typed signatures, attendance
links, signing what a page showed."""
import re
from datetime import date
from html import unescape

EXAM_DAY = date(2026, 12, 1)


TYPED = {"signature_method": "typed", "signature_typed": "Alex Candidat"}


IDENTITY = {"document_type": "cni", "convocation_checked": "y", "mode": "camera", "notes": ""}


def new_link(setup, president) -> str:
    """The president issues a single-use attendance link; returns the code the reception page shows."""
    base = f"/jury/examens/{setup.exam.id}"
    assert president.post(f"{base}/lien-emargement").status_code == 303
    page = unescape(president.get(f"{base}/accueil").text)
    code = re.search(r'class="attendance-code"[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})<', page).group(1)
    return code


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
