"""The remote candidate's single-use link and code, and signing without an account."""
import re
from datetime import timedelta
from html import unescape

import pytest

from certif.audit.models import AuditEntry
from certif.examday.models import AttendanceLink
from certif.extensions import db
from certif.mail.models import OutgoingMail
from certif.mail.services import read_eml
from certif.signatures.models import CANDIDATE_ATTENDANCE, Signature
from certif.signatures.rules import sha256_text

from ..factories.web import CSRF_RE, Browserless
from .helpers import IDENTITY, TYPED, new_link, sign


def url(setup, path):
    return f"/jury/examens/{setup.exam.id}/{path}"


@pytest.fixture
def candidate(app):
    """A browser with no account: its CSRF token comes from the code form."""
    client = Browserless(app.test_client())
    page = client.get("/emargement")
    client.token = CSRF_RE.search(page.text).group(1)
    return client


def sign_link(client, data=None, **kwargs):
    """The candidate signs on the signing page, as it shows (with its fingerprint)."""
    return sign(client, "/emargement/signer", "/emargement/signer", data or TYPED, **kwargs)


def signatures():
    return db.session.scalars(db.select(Signature).filter_by(document=CANDIDATE_ATTENDANCE)).all()


def test_link_needs_identity_first(setup, president):
    assert president.post(url(setup, "lien-emargement")).status_code == 409
    assert db.session.scalar(db.select(db.func.count(AttendanceLink.id))) == 0


def test_code_then_sign_once(checked, president, candidate):
    code = new_link(checked, president)
    link = db.session.scalar(db.select(AttendanceLink))
    assert len(link.token_sha256) == 64 and link.code == code.replace("-", "")
    assert (link.expires_at - link.created_at) == timedelta(minutes=30)
    # Typed sloppily: lower case, spaces instead of the dash.
    response = candidate.post("/emargement", {"code": code.lower().replace("-", " ")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/emargement/signer")
    page = candidate.get("/emargement/signer")
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer" and "no-store" in page.headers["Cache-Control"]
    text = unescape(page.text)
    assert checked.exam.candidate.full_name in text and f"n° {checked.session.number}" in text
    assert "1er décembre 2026" in text and "9 h 00" in text
    assert "GERER LA COMMUNICATION DIGITALE" in text
    signed = sign_link(candidate, headers={"User-Agent": "CandidatePhone/3"})
    assert signed.status_code == 303
    assert "enregistré" in candidate.get(signed.headers["Location"]).text
    [sig] = signatures()
    assert sig.auth_method == "candidate_link"
    assert sig.auth_detail == f"lien à usage unique n° {link.id}, ouvert par code"
    assert sig.content_sha256 == sha256_text(sig.content)
    assert sig.user_agent == "CandidatePhone/3" and sig.ip_address == "127.0.0.1"
    assert db.session.get(AttendanceLink, link.id).used_at == sig.signed_at
    # Single use: the code again, and the signing page again, say 410.
    again = candidate.post("/emargement", {"code": code})
    assert again.status_code == 410
    assert "Ce lien a déjà servi : votre émargement est enregistré." in unescape(again.text)
    assert sign_link(candidate).status_code == 404  # forgotten by the browser
    assert len(signatures()) == 1


def test_same_link_cannot_sign_twice_from_two_browsers(checked, president, candidate, app):
    code = new_link(checked, president)
    other = Browserless(app.test_client())
    other.token = CSRF_RE.search(other.get("/emargement").text).group(1)
    assert candidate.post("/emargement", {"code": code}).status_code == 303
    assert other.post("/emargement", {"code": code}).status_code == 303
    assert sign_link(candidate).status_code == 303
    second = sign_link(other)
    assert second.status_code == 410 and "déjà servi" in unescape(second.text)
    assert len(signatures()) == 1


def test_email_carries_the_link_which_opens_the_page(checked, president, candidate):
    new_link(checked, president)
    mail = db.session.scalar(db.select(OutgoingMail))
    assert mail.recipients == "alex@example.org" and mail.status == "sent"
    assert db.session.scalar(db.select(AttendanceLink)).mail_id == mail.id
    body = read_eml(mail).decode()
    token_url = re.search(r"http://localhost/emargement/([A-Za-z0-9_-]{40,})", body)
    assert token_url
    opened = candidate.get(f"/emargement/{token_url.group(1)}")
    assert opened.status_code == 303 and opened.headers["Location"].endswith("/emargement/signer")
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    assert sign_link(candidate).status_code == 303
    assert signatures()[0].auth_detail.endswith("ouvert par lien")
    assert candidate.get(f"/emargement/{token_url.group(1)}").status_code == 410


def test_expired_link_is_410(checked, president, candidate):
    code = new_link(checked, president)
    link = db.session.scalar(db.select(AttendanceLink))
    link.expires_at = link.created_at - timedelta(seconds=1)
    db.session.commit()
    response = candidate.post("/emargement", {"code": code})
    assert response.status_code == 410
    assert "Ce lien a expiré : demandez au jury un nouveau code." in unescape(response.text)


def test_expired_while_the_page_was_open_is_410(checked, president, candidate):
    code = new_link(checked, president)
    assert candidate.post("/emargement", {"code": code}).status_code == 303
    link = db.session.scalar(db.select(AttendanceLink))
    link.expires_at = link.created_at
    db.session.commit()
    assert sign_link(candidate).status_code == 410
    assert signatures() == []


def test_replaced_link_is_410_and_the_new_one_works(checked, president, candidate):
    first = new_link(checked, president)
    second = new_link(checked, president)
    assert first != second
    response = candidate.post("/emargement", {"code": first})
    assert response.status_code == 410
    assert ("Ce lien a été remplacé par un plus récent : utilisez le dernier code donné par le jury."
            in unescape(response.text))
    assert candidate.post("/emargement", {"code": second}).status_code == 303
    assert sign_link(candidate).status_code == 303
    assert db.session.scalar(db.select(db.func.count(AttendanceLink.id))
                             .where(AttendanceLink.revoked_at.is_not(None))) == 1


def test_unknown_and_malformed_codes(checked, candidate):
    unknown = candidate.post("/emargement", {"code": "ABCD-EFGH"})
    assert unknown.status_code == 404
    assert "Code inconnu : vérifiez-le auprès du jury." in unescape(unknown.text)
    assert candidate.post("/emargement", {"code": "12"}).status_code == 400
    assert candidate.post("/emargement", {"code": ""}).status_code == 400
    assert candidate.get("/emargement/not-a-real-token").status_code == 404
    assert candidate.get("/emargement/signer").status_code == 404
    assert candidate.post("/emargement", {"code": "ABCD-EFGH"}, csrf=False).status_code == 400


def test_already_signed_in_person_is_409(checked, president, candidate):
    code = new_link(checked, president)
    assert candidate.post("/emargement", {"code": code}).status_code == 303
    assert sign(president, url(checked, "accueil"), url(checked, "emargement-candidat")).status_code == 303
    response = sign_link(candidate)
    assert response.status_code == 409
    assert len(signatures()) == 1
    # And no new link once signed.
    assert president.post(url(checked, "lien-emargement")).status_code == 409


def test_live_fragment_shows_the_remote_signature(checked, president, candidate):
    code = new_link(checked, president)
    page = president.get(url(checked, "accueil")).text
    version = re.search(r"emargement-candidat\?version=(\d+)", page).group(1)
    poll = url(checked, f"emargement-candidat?version={version}")
    assert president.get(poll, htmx=True).status_code == 204
    candidate.post("/emargement", {"code": code})
    sign_link(candidate)
    fragment = president.get(poll, htmx=True)
    assert fragment.status_code == 200
    assert "Le candidat a émargé le" in fragment.text and "Alex Candidat" in fragment.text
    assert "Lien à usage unique" in fragment.text
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="attendance_link.use"))


def test_link_without_email_records_no_mail(setup, president):
    president.post(url(setup, "identite"), IDENTITY)
    assert president.post(url(setup, "lien-emargement")).status_code == 303
    assert db.session.scalar(db.select(db.func.count(OutgoingMail.id))) == 0
