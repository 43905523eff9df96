"""The candidate hands in their file through their personal link: only their own sittings,
checked pieces (PDF by content, size, words, links), refused after the deadline unless the
organiser extended it; each piece sends a receipt and a replaced one stays in the history."""
import html
import io
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app

from certif.audit.models import AuditEntry
from certif.candidates.dossier.models import FileEntry
from certif.candidates.links import make_token
from certif.extensions import db
from certif.mail.models import OutgoingMail
from certif.timeutil import paris_today
from tests.factories.dossier import CSRF_RE, file_url, rncp_exam, summary
from tests.factories.files import PNG, plain_pdf
from tests.factories.sessions import upcoming_exam


def _open(web, exam):
    page = web.get(file_url(exam))
    assert page.status_code == 200, page.text
    web.token = CSRF_RE.search(page.text).group(1)
    return page


def _send(web, exam, piece, **data):
    files = data.pop("file", None)
    form = {"piece": piece, **data}
    if files is not None:
        form["file"] = files
    return web.post(file_url(exam), data=form, content_type="multipart/form-data")


def _entries():
    return db.session.scalars(db.select(FileEntry).order_by(FileEntry.id)).all()


def _uploads() -> list[Path]:
    folder = Path(current_app.config["FILES_DIR"]) / "uploads" / "dossiers"
    return sorted(folder.glob("*.pdf")) if folder.exists() else []


def test_the_candidate_sees_the_plan_and_the_pieces_of_their_pathway(web):
    setup = rncp_exam(pathway="vae")
    page = _open(web, setup.exam)
    assert "Plan de référence du dossier technique" in page.text
    assert "Liste des compétences mobilisées" in page.text
    assert "Dossier technique de projet" in page.text and "CV mis à jour" in page.text
    assert "Attestation de formation" not in page.text  # VAE
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "dossier.js" in page.text and "<script>" not in page.text


def test_the_candidates_page_links_to_the_file_only_when_the_certification_asks(web):
    rncp = rncp_exam()
    rs = upcoming_exam(days=20)
    assert "Mon dossier" in web.get(f"/c/{make_token(rncp.exam.candidate)}").text
    assert "Mon dossier" not in web.get(f"/c/{make_token(rs.exam.candidate)}").text
    assert web.get(file_url(rs.exam)).status_code == 404  # RS6240: nothing new


def test_a_candidate_reaches_only_their_own_file(web):
    mine, other = rncp_exam(), rncp_exam()
    url = f"/c/{make_token(mine.exam.candidate)}/dossier/{other.exam.id}"
    assert web.get(url).status_code == 404
    assert web.get(f"/c/forged/dossier/{mine.exam.id}").status_code == 404


def test_the_technical_dossier_is_stored_privately_with_a_receipt(web):
    setup = rncp_exam()
    _open(web, setup.exam)
    response = _send(web, setup.exam, "technical_dossier", file=(io.BytesIO(plain_pdf()), "dossier.pdf"))
    assert response.status_code == 303
    entry, = _entries()
    assert entry.filename == "dossier.pdf" and len(entry.sha256) == 64
    path, = _uploads()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    mail = db.session.get(OutgoingMail, entry.receipt_mail_id)
    assert mail.recipients == "manon@test.fr" and "Accusé de réception" in mail.subject
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="dossier.submit")) is not None
    page = web.get(file_url(setup.exam))
    assert "Présent" in page.text


def test_a_replaced_piece_stays_in_the_history(web):
    setup = rncp_exam()
    _open(web, setup.exam)
    for name in ("v1.pdf", "v2.pdf"):
        _send(web, setup.exam, "cv", file=(io.BytesIO(plain_pdf(name)), name))
    old, new = _entries()
    assert old.replaced_at is not None and new.replaced_at is None
    page = web.get(file_url(setup.exam))
    assert "Historique (2 versions)" in page.text and "v1.pdf" in page.text


@pytest.mark.parametrize("content, name, message", [
    (PNG, "photo.pdf", "n'est pas un PDF valide"),
    (b"%PDF-1.4 not really a pdf %%EOF", "faux.pdf", "n'est pas un PDF valide"),
    (b"", "vide.pdf", "Le fichier est vide"),
])
def test_a_bad_file_is_refused_and_nothing_is_stored(web, content, name, message):
    setup = rncp_exam()
    _open(web, setup.exam)
    response = _send(web, setup.exam, "technical_dossier", file=(io.BytesIO(content), name))
    assert response.status_code == 400 and message in html.unescape(response.text)
    assert _entries() == [] and _uploads() == []


@pytest.mark.parametrize("extra, status", [(3000, 400), (400 * 1024, 413)])
def test_an_oversized_file_is_refused_in_french(web, app, extra, status):
    """Over the limit: refused by the check (400), or before reading the body when the whole
    request is too large (413); the message gives the limit, nothing is stored."""
    app.config["DOSSIER_MAX_BYTES"] = 2000
    setup = rncp_exam()
    _open(web, setup.exam)
    big = plain_pdf("x" * 10) + b"%" * extra
    response = _send(web, setup.exam, "technical_dossier", file=(io.BytesIO(big), "gros.pdf"))
    assert response.status_code == status
    assert "Le fichier est trop volumineux : 1 Ko au maximum." in html.unescape(response.text)
    assert _entries() == [] and _uploads() == []


@pytest.mark.parametrize("words, status", [(199, 400), (200, 303), (250, 303), (251, 400)])
def test_the_summary_is_counted_on_the_server(web, words, status):
    setup = rncp_exam()
    _open(web, setup.exam)
    response = _send(web, setup.exam, "summary", value=summary(words))
    assert response.status_code == status
    if status == 400:
        assert f"Le résumé compte {words} mots : il en faut entre 200 et 250." in html.unescape(response.text)
        assert _entries() == []


@pytest.mark.parametrize("data, message", [
    ({"value": "javascript:alert(1)", "minutes": "3"}, "https://"),
    ({"value": "https://video.test/v", "minutes": "6"}, "ne doit pas dépasser 5 minutes"),
    ({"value": "https://video.test/v", "minutes": "trois"}, "Indiquez la durée"),
])
def test_the_video_link_and_duration_are_checked(web, data, message):
    setup = rncp_exam()
    _open(web, setup.exam)
    response = _send(web, setup.exam, "video", **data)
    assert response.status_code == 400 and message in html.unescape(response.text) and _entries() == []


def test_a_conditional_piece_waits_for_its_answer(web):
    setup = rncp_exam()
    _open(web, setup.exam)
    letter = (io.BytesIO(plain_pdf()), "lettre.pdf")
    assert _send(web, setup.exam, "company_letter", file=letter).status_code == 400
    assert _send(web, setup.exam, "company_brief", value="yes").status_code == 303
    letter = (io.BytesIO(plain_pdf()), "lettre.pdf")
    assert _send(web, setup.exam, "company_letter", file=letter).status_code == 303


def test_after_the_deadline_uploads_are_refused_with_the_date(web, set_paris_today):
    today = paris_today()
    setup = rncp_exam(days=9)  # D-9: the deadline was yesterday
    set_paris_today(today - timedelta(days=2))
    _open(web, setup.exam)  # opened at D-11, while the forms were there
    set_paris_today(today)
    page = web.get(file_url(setup.exam))
    # The page now says why instead of offering forms that would be refused...
    assert "La date limite de dépôt du dossier était le" in html.unescape(page.text)
    assert 'name="piece"' not in page.text
    # ...and a post from the page opened before is refused all the same.
    response = _send(web, setup.exam, "realisation_url", value="https://blog.test")
    assert response.status_code == 409
    assert "La date limite de dépôt du dossier était le" in html.unescape(response.text) and _entries() == []


def test_an_extension_lets_a_late_upload_through(web, organiser):
    setup = rncp_exam(days=9)
    session = setup.session
    url = f"/sessions/{session.id}/dossiers/{setup.exam.id}"
    assert organiser.post(url, data={"until": "2000-01-01", "reason": "Maladie"}).status_code == 400
    assert organiser.post(url, data={"until": "", "reason": ""}).status_code == 400
    until = paris_today().isoformat()
    assert organiser.post(url, data={"until": until, "reason": "Arrêt maladie"}).status_code == 303
    audit = db.session.scalar(db.select(AuditEntry).filter_by(action="dossier.extend"))
    assert audit.details["reason"] == "Arrêt maladie"
    _open(web, setup.exam)
    assert _send(web, setup.exam, "realisation_url", value="https://blog.test").status_code == 303
