"""Revoking a certificate: the organiser, with a reason and a confirmation, audited; the
results page shows it; the public check says "révoqué" with the date and nothing of the why."""
from html import unescape

from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, JUROR
from certif.certificates.models import Certificate
from certif.certificates.verification import VERIFY_LIMIT
from certif.extensions import db
from certif.timeutil import french_date, paris_today

from ..factories.users import make_user
from ..factories.web import CSRF_RE, Browserless
from .helpers import GENUINE, NONE, URL, one_certificate

REASON = "Fraude établie après la session : dossier présenté par un tiers."


def page(certificate) -> str:
    return f"/certificats/{certificate.id}/revocation"


def public_check(web, certificate):
    token = CSRF_RE.search(web.get(URL).text).group(1)
    return web.post(URL, {"number": certificate.number, "code": certificate.verification_code,
                          "csrf_token": token}, csrf=False)


def revoke(organiser, certificate, reason=REASON, confirm="y"):
    data = {"reason": reason}
    if confirm:
        data["confirm"] = confirm
    return organiser.post(page(certificate), data)


def test_the_revocation_page_explains_and_asks_a_reason_and_a_confirmation(organiser):
    certificate = one_certificate(organiser)
    response = organiser.get(page(certificate))
    assert response.status_code == 200
    text = unescape(response.text)
    assert f"Révoquer le certificat n° {certificate.number}" in text
    assert 'name="reason"' in text and 'name="confirm"' in text
    assert "la vérification publique indique désormais « révoqué »" in text


def test_revoking_records_who_when_why_and_the_public_check_says_revoked(organiser, organiser_user, web):
    certificate = one_certificate(organiser)
    response = revoke(organiser, certificate)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#resultat-{certificate.exam_id}")
    db.session.expire_all()
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.revoked and certificate.revoked_by_id == organiser_user.id
    assert certificate.revocation_reason == REASON
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="certificate.revoke"))
    assert entry.entity_id == certificate.id and entry.new_value == REASON
    results = unescape(organiser.get(f"/sessions/{certificate.exam.jury.session_id}/resultats").text)
    assert f"Révoqué le {french_date(paris_today())}" in results and REASON in results
    assert "Enregistrer la délivrance" not in results
    answer = unescape(public_check(web, certificate).text)
    assert f"Ce certificat a été révoqué le {french_date(paris_today())}" in answer
    assert f"Révoqué le {french_date(paris_today())}" in answer
    assert GENUINE not in answer and certificate.exam.candidate.full_name in answer
    assert "Fraude" not in answer  # the reason stays internal


def test_a_reason_is_required_and_the_form_comes_back_at_its_own_url(organiser):
    certificate = one_certificate(organiser)
    for reason, message in (("  ", "Indiquez le motif"), ("x" * 1001, "trop long"),
                            ("motif\x07", "caractère invalide")):
        response = revoke(organiser, certificate, reason)
        assert response.status_code == 400
        assert message in unescape(response.text)
        # The page's own form, whose action is this URL: nothing lands on another page.
        assert f'action="{page(certificate)}"' in response.text
    response = revoke(organiser, certificate, confirm=None)
    assert response.status_code == 400 and "Cochez la case de confirmation" in unescape(response.text)
    assert REASON in unescape(response.text)  # what was typed is kept
    assert not db.session.get(Certificate, certificate.id).revoked
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="certificate.revoke")) is None


def test_twice_is_a_conflict_and_a_revoked_certificate_is_not_issued(organiser):
    certificate = one_certificate(organiser)
    revoke(organiser, certificate)
    again = revoke(organiser, certificate, "Encore")
    assert again.status_code == 409 and "déjà été révoqué" in unescape(again.text)
    issue = organiser.post(f"/certificats/{certificate.id}/delivrance", {"channel": "post"})
    assert issue.status_code == 409 and "révoqué" in unescape(issue.text)


def test_only_the_organiser_revokes_with_a_csrf_token(organiser, make_web):
    certificate = one_certificate(organiser)
    for role in (JUROR, COUNCIL):
        other = make_web(make_user(role))
        assert other.get(page(certificate)).status_code == 403
        assert other.post(page(certificate), {"reason": REASON, "confirm": "y"}).status_code == 403
    no_token = organiser.post(page(certificate), {"reason": REASON, "confirm": "y"}, csrf=False)
    assert no_token.status_code == 400
    assert organiser.get("/certificats/999999/revocation").status_code == 404
    assert not db.session.get(Certificate, certificate.id).revoked


def test_anonymous_visitors_are_sent_to_the_login(organiser, app):
    certificate = one_certificate(organiser)
    response = app.test_client().get(page(certificate))
    assert response.status_code in (302, 303) and "/connexion" in response.headers["Location"]


def test_the_qr_link_with_a_wrong_code_counts_against_the_client(organiser, app):
    certificate = one_certificate(organiser)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.77"
    who = Browserless(client)
    for _ in range(VERIFY_LIMIT.max_hits):
        who.get(f"{URL}?number={certificate.number}&code=AAAAAAAAAA")
    response = who.get(f"{URL}?number={certificate.number}&code={certificate.verification_code}")
    assert response.status_code == 429 and GENUINE not in response.text and NONE not in response.text
