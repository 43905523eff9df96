"""Reading the form a candidate posts for one piece of their file."""
from __future__ import annotations

from .operations import Submission


def submission(form, files) -> Submission:
    """The piece's key, its value (text, link, yes/no), the video's minutes, the PDF's bytes."""
    sent = Submission(piece=(form.get("piece") or "").strip()[:40], value=form.get("value"))
    raw = (form.get("minutes") or "").strip()
    if raw:
        sent.minutes = int(raw) if raw.isdigit() and len(raw) < 6 else -1
    upload = files.get("file")
    if upload is not None and upload.filename:
        sent.data = upload.read()
        sent.filename = upload.filename
    elif "file" in files:
        sent.data = None
    return sent
