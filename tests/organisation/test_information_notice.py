"""The information notice on personal data: public, its variable facts from the configuration,
and linked from the login page, every candidate page and every convocation (email and PDF)."""
import io

import pypdf

from certif.candidates.links import make_token
from certif.convocations import content

from ..factories.convocations import make_session_to_convene

PAGE = "/donnees-personnelles"
LINK = f'href="{PAGE}"'


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def test_anyone_reads_the_notice_with_the_configured_facts(app, web):
    app.config.update(ORGANISATION_NAME="Formations Exemple", PRIVACY_CONTACT="rgpd@exemple.fr",
                      PRIVACY_CONTROLLER_ADDRESS="12 rue des Lilas, 69003 Lyon",
                      PRIVACY_DPO="Camille Martin")
    response = web.get(PAGE)
    assert response.status_code == 200  # no login
    page = response.text
    for fact in ("Formations Exemple", "rgpd@exemple.fr", "12 rue des Lilas, 69003 Lyon",
                 "délégué à la protection des données : Camille Martin"):
        assert fact in page, fact
    for part in ("Responsable du traitement", "Base légale", "Durée de conservation",
                 "Qui reçoit vos données", "Caisse des Dépôts", "Vos droits et comment les exercer",
                 "www.cnil.fr"):
        assert part in page, part


def test_the_development_defaults_fill_the_notice_and_no_dpo_is_invented(app, web):
    app.config["PRIVACY_DPO"] = None
    page = web.get(PAGE).text
    assert app.config["PRIVACY_CONTACT"] in page
    assert "délégué à la protection des données" not in page


def test_the_login_page_links_the_notice(web):
    assert LINK in web.get("/connexion").text


def test_every_candidate_page_links_the_notice(app, web):
    setup = make_session_to_convene()
    with app.test_request_context():
        token = make_token(setup.exam.candidate)
    for path in (f"/c/{token}", f"/c/{token}/anomalie", "/emargement", "/c/lien-forge"):
        response = web.get(path)
        assert LINK in response.text, (path, response.status_code)


def test_every_convocation_links_the_notice(app):
    app.config["BASE_URL"] = "https://certif.example.fr"
    url = "https://certif.example.fr/donnees-personnelles"
    setup = make_session_to_convene()
    with app.test_request_context():
        _, candidate_body = content.candidate_message(setup.exam)
        candidate_pdf = pdf_text(content.candidate_pdf(setup.exam))
        _, juror_body = content.juror_message(setup.session, setup.member)
        juror_pdf = pdf_text(content.juror_pdf(setup.session, setup.member))
    for name, text in (("candidate email", candidate_body), ("candidate PDF", candidate_pdf),
                       ("juror email", juror_body), ("juror PDF", juror_pdf)):
        assert url in text, name
