"""Links in emails and PDFs come from CERTIF_BASE_URL, never from the request's Host header
(development without it uses the request, as before)."""
import io
from datetime import date
from email import message_from_bytes, policy

import pypdf
import pytest

from certif.auth.models import ORGANISER
from certif.extensions import db
from certif.mail.services import read_eml

from .factories.convocations import make_session_to_convene
from .factories.grading import finished_session
from .factories.mail import mails_to
from .factories.minutes import make_minutes
from .factories.sessions import make_exam
from .factories.users import PASSWORD, make_user
from .factories.web import Browserless

EVIL = "evil.example"
BASE = "https://certif.example.fr"

CASES = [
    pytest.param(BASE, f"{BASE}/", id="base-url"),
    pytest.param(None, f"http://{EVIL}/", id="development-uses-the-request"),
]


class BrowserAt(Browserless):
    """A browser whose every request goes to `host` (its Host header)."""

    def __init__(self, client, host: str):
        super().__init__(client)
        self.base_url = f"http://{host}"

    def _call(self, method, *args, **kwargs):
        kwargs.setdefault("base_url", self.base_url)
        return super()._call(method, *args, **kwargs)


def web_at(app, user, host=EVIL) -> BrowserAt:
    web = BrowserAt(app.test_client(), host)
    web.login(user, PASSWORD)
    return web


def sent_to(address: str):
    [mail] = mails_to(address)
    message = message_from_bytes(read_eml(mail), policy=policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    pdfs = [pypdf.PdfReader(io.BytesIO(part.get_content())) for part in message.iter_attachments()]
    pdf_text = " ".join(page.extract_text() for pdf in pdfs for page in pdf.pages)
    return body, pdf_text.replace("\n", "")


def links(text: str, prefix: str, path: str) -> list[str]:
    return [word for word in text.split() if word.startswith(prefix + path)]


def assert_only(text: str, base: str | None):
    if base:
        assert EVIL not in text


@pytest.mark.parametrize("base,prefix", CASES)
def test_convocation_email_links_the_candidate_page_from_the_base_url(app, base, prefix):
    app.config["BASE_URL"] = base
    setup = make_session_to_convene()
    staff = web_at(app, make_user(ORGANISER))
    assert staff.post(f"/convocations/examens/{setup.exam.id}/envoyer",
                      {"channel": "email"}).status_code == 303
    body, pdf_text = sent_to(setup.exam.candidate.email)
    [link] = links(body, prefix, "c/")
    assert staff.get(link.removeprefix(prefix.rstrip("/"))).status_code == 200
    assert prefix.split("//")[1] in pdf_text  # the convocation PDF's link too
    assert_only(body + pdf_text, base)


@pytest.mark.parametrize("base,prefix", CASES)
def test_certificate_email_and_pdf_link_the_verification_page_from_the_base_url(
        app, base, prefix):
    app.config["BASE_URL"] = base
    setup = finished_session(decisions=("favorable",))
    make_minutes(setup.session)
    staff = web_at(app, make_user(ORGANISER))
    assert staff.post(f"/sessions/{setup.session.id}/certificats").status_code == 303
    from certif.certificates.models import Certificate
    certificate = db.session.scalar(db.select(Certificate))
    assert staff.post(f"/certificats/{certificate.id}/delivrance",
                      {"channel": "email"}).status_code == 303
    body, pdf_text = sent_to(setup.exam.candidate.email)
    assert links(body, prefix, "verifier-certificat")
    assert f"{prefix}verifier-certificat" in pdf_text
    assert_only(body + pdf_text, base)
    results = staff.get(f"/sessions/{setup.session.id}/resultats").text
    assert f"{prefix}verifier-certificat" in results


@pytest.mark.parametrize("base,prefix", CASES)
def test_attendance_link_email_and_reception_page_use_the_base_url(app, set_paris_today, base, prefix):
    app.config["BASE_URL"] = base
    setup = make_exam("RS6240", attendance_signed=False)  # identity checked, nobody signed yet
    setup.exam.candidate.email = "alex@example.org"
    db.session.commit()
    set_paris_today(date(2026, 12, 1))  # the link's day check, the reception page

    president = web_at(app, setup.president)
    assert president.post(f"/jury/examens/{setup.exam.id}/lien-emargement").status_code == 303
    body, _ = sent_to("alex@example.org")
    assert len(links(body, prefix, "emargement/")) == 1  # the personal single-use link
    assert f"à l'adresse {prefix}emargement\n" in body  # where to type the code
    assert_only(body, base)
    page = president.get(f"/jury/examens/{setup.exam.id}/accueil").text
    assert f"{prefix}emargement" in page
    assert_only(page, base)
