"""Professionalisation sessions through their pages: the organiser plans, invites (emails
with absolute links), records attendance (which fills the juror's date); the juror who
attended signs annex 7's attestation. Roles, objects, CSRF and bad input each get their
status, never a 500."""
import html
import re
from datetime import date, timedelta

import pytest

from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.jurors.professionalisation.models import ProfessionalisationInvitation, ProfessionalisationSession
from certif.signatures.models import PROFESSIONALISATION, Signature

from ..factories.jurors import make_juror, make_professionalisation
from ..factories.mail import last_link_to, mails_to

TODAY = date(2026, 3, 10)
BASE = "/jures/professionnalisation"
FINGERPRINT = re.compile(r'name="content_sha256" value="([0-9a-f]{64})"')


@pytest.fixture(autouse=True)
def today(set_paris_today):
    return set_paris_today(TODAY)


def _actions():
    return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def test_the_organiser_plans_a_session_and_invites_jurors_by_email(organiser, juror_user, app):
    app.config["BASE_URL"] = "https://certif.example.fr"
    page = organiser.get(f"{BASE}/nouvelle")
    assert page.status_code == 200 and "Explicitation des modalités" in page.text
    response = organiser.post(f"{BASE}/nouvelle", {
        "referential_id": re.search(r'<option value="(\d+)" selected', page.text).group(1),
        "day": "2026-03-20", "start": "14:00", "mode": "remote",
        "video_link": "https://visio.example.org/pro-1", "content": "Modalités et attendus."})
    assert response.status_code == 303
    session = db.session.scalar(db.select(ProfessionalisationSession))
    assert response.headers["Location"].endswith(f"{BASE}/{session.id}")
    show = organiser.get(f"{BASE}/{session.id}")
    assert "Session de professionnalisation du 20 mars 2026" in show.text
    assert juror_user.full_name in show.text

    response = organiser.post(f"{BASE}/{session.id}", {"form": "invite", "juror": str(juror_user.id)})
    assert response.status_code == 303
    flashed = organiser.get(response.headers["Location"]).text
    assert f"Invitation envoyée par e-mail à : {juror_user.full_name}." in flashed
    [mail] = mails_to(juror_user.email)
    assert mail.subject == "Session de professionnalisation des jurés le 20 mars 2026"
    link = last_link_to(juror_user.email, "/attestation")
    assert link == f"https://certif.example.fr{BASE}/{session.id}/attestation"
    invitation = db.session.scalar(db.select(ProfessionalisationInvitation))
    assert (invitation.juror_id, invitation.mail_id, invitation.attended) == (juror_user.id, mail.id, None)
    assert _actions()[-2:] == ["professionalisation.create", "professionalisation.invite"]


def test_attendance_fills_the_date_and_the_juror_signs(organiser, juror_user, other_juror_user, juror):
    session = make_professionalisation(TODAY - timedelta(days=2), juror_user, other_juror_user)
    own, other = sorted(session.invitations, key=lambda i: i.juror_id != juror_user.id)
    # Not yet present: the juror reads the page but cannot sign.
    page = juror.get(f"{BASE}/{session.id}/attestation")
    assert page.status_code == 200 and "n'est pas enregistrée" in html.unescape(page.text)
    assert juror.post(f"{BASE}/{session.id}/attestation",
                      {"signature_method": "typed", "signature_typed": "Claire Fontaine"}).status_code == 403

    response = organiser.post(f"{BASE}/{session.id}", {"form": "attendance", "present": str(own.id)})
    assert response.status_code == 303
    db.session.refresh(own), db.session.refresh(other)
    assert (own.attended, other.attended) == (True, False)
    assert juror_user.juror_profile.professionalisation_date == TODAY - timedelta(days=2)
    assert "juror.update" in _actions()  # the habilitation form shows the change

    page = juror.get(f"{BASE}/{session.id}/attestation")
    assert "Je soussigné(e), Claire FONTAINE, Atteste avoir suivi la session" in page.text
    fingerprint = FINGERPRINT.search(page.text).group(1)
    response = juror.post(f"{BASE}/{session.id}/attestation", {
        "signature_method": "typed", "signature_typed": "Claire Fontaine", "content_sha256": fingerprint})
    assert response.status_code == 303
    signature = db.session.scalar(db.select(Signature).filter_by(document=PROFESSIONALISATION))
    assert (signature.subject_id, signature.user_id) == (own.id, juror_user.id)
    assert signature.auth_method == "login"
    assert "Atteste avoir suivi" in signature.content
    assert "professionalisation.sign" in _actions()
    # Signed once, for good.
    again = juror.post(f"{BASE}/{session.id}/attestation", {
        "signature_method": "typed", "signature_typed": "Claire Fontaine", "content_sha256": fingerprint})
    assert again.status_code == 409 and "déjà signé" in again.text
    # The organiser's page keeps the signed presence checked (a hidden field posts it).
    show = organiser.get(f"{BASE}/{session.id}")
    assert f'<input type="hidden" name="present" value="{own.id}">' in show.text
    assert "Preuve de signature (JSON)" in show.text


def test_withdrawing_a_signed_presence_is_refused_on_the_page(organiser, juror_user, juror):
    session = make_professionalisation(TODAY, juror_user, attended=True)
    page = juror.get(f"{BASE}/{session.id}/attestation")
    juror.post(f"{BASE}/{session.id}/attestation", {
        "signature_method": "typed", "signature_typed": "Claire Fontaine",
        "content_sha256": FINGERPRINT.search(page.text).group(1)})
    # A form built by hand, without the signed row.
    response = organiser.post(f"{BASE}/{session.id}", {"form": "attendance", "present": []})
    assert response.status_code == 409
    assert "a signé son attestation de suivi" in response.text
    # The page is re-rendered at its own URL: its forms post to it.
    assert f'action="{BASE}/{session.id}"' in response.text


def test_a_signature_of_another_text_is_refused(juror_user, juror):
    session = make_professionalisation(TODAY, juror_user, attended=True)
    response = juror.post(f"{BASE}/{session.id}/attestation", {
        "signature_method": "typed", "signature_typed": "Claire Fontaine", "content_sha256": "0" * 64})
    assert response.status_code == 409
    response = juror.post(f"{BASE}/{session.id}/attestation", {
        "signature_method": "typed", "signature_typed": "Claire Fontaine"})
    assert response.status_code == 400 and "rechargez la page" in response.text
    response = juror.post(f"{BASE}/{session.id}/attestation", {"signature_method": "typed",
                                                               "signature_typed": ""})
    assert response.status_code == 400 and "Tapez votre nom" in response.text
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_attendance_waits_for_the_sessions_day(organiser, juror_user):
    session = make_professionalisation(TODAY + timedelta(days=3), juror_user)
    [invitation] = session.invitations
    response = organiser.post(f"{BASE}/{session.id}", {"form": "attendance", "present": str(invitation.id)})
    assert response.status_code == 409 and "n'a pas encore eu lieu" in html.unescape(response.text)
    db.session.refresh(invitation)
    assert invitation.attended is None


def test_jurors_added_to_a_past_session_get_no_email(organiser, juror_user):
    session = make_professionalisation(TODAY - timedelta(days=5))
    response = organiser.post(f"{BASE}/{session.id}", {"form": "invite", "juror": str(juror_user.id)})
    assert response.status_code == 303
    assert mails_to(juror_user.email) == []
    assert db.session.scalar(db.select(ProfessionalisationInvitation)).mail_id is None


@pytest.mark.parametrize("data, message", [
    ({"form": "invite"}, "Cochez au moins un juré"),
    ({"form": "invite", "juror": "999"}, "rechargez-la"),
    ({"form": "attendance", "present": "999"}, "rechargez-la"),
    ({"form": "autre"}, "Formulaire inconnu"),
    ({}, "Formulaire inconnu"),
])
def test_bad_input_on_the_session_page_is_400(organiser, juror_user, data, message):
    session = make_professionalisation(TODAY, juror_user)
    response = organiser.post(f"{BASE}/{session.id}", data)
    assert response.status_code == 400 and message in response.text


def test_a_bad_new_session_is_400_with_its_fields(organiser):
    response = organiser.post(f"{BASE}/nouvelle", {"day": "hier", "mode": "remote", "video_link": "ftp://x"})
    assert response.status_code == 400
    for message in ("Date invalide", "Heure invalide", "https://", "Décrivez le contenu",
                    "Choisissez la certification"):
        assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert db.session.scalar(db.select(db.func.count(ProfessionalisationSession.id))) == 0


def test_writes_need_the_csrf_token(organiser, juror_user, juror):
    session = make_professionalisation(TODAY, juror_user, attended=True)
    assert organiser.post(f"{BASE}/nouvelle", {"day": "2026-03-20"}, csrf=False).status_code == 400
    assert organiser.post(f"{BASE}/{session.id}", {"form": "invite"}, csrf=False).status_code == 400
    assert juror.post(f"{BASE}/{session.id}/attestation", {"signature_method": "typed",
                      "signature_typed": "Claire"}, csrf=False).status_code == 400
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_roles_and_objects(organiser, juror_user, other_juror_user, juror, make_web, web):
    session = make_professionalisation(TODAY, other_juror_user, attended=True)
    # Anonymous: to the login form.
    for url in (f"{BASE}/", f"{BASE}/{session.id}", f"{BASE}/mes-sessions",
                f"{BASE}/{session.id}/attestation"):
        assert web.get(url).status_code == 302
    # A juror is not the organiser.
    for url in (f"{BASE}/", f"{BASE}/nouvelle", f"{BASE}/{session.id}"):
        assert juror.get(url).status_code == 403
    assert juror.post(f"{BASE}/{session.id}", {"form": "attendance"}).status_code == 403
    # A session the juror is not invited to does not exist for them, signed or read.
    assert juror.get(f"{BASE}/{session.id}/attestation").status_code == 404
    assert juror.post(f"{BASE}/{session.id}/attestation", {
        "signature_method": "typed", "signature_typed": "Claire Fontaine"}).status_code == 404
    assert "Vous n'êtes invité(e) à aucune session" in juror.get(f"{BASE}/mes-sessions").text
    # The organiser is no juror: the juror's pages are not theirs.
    assert organiser.get(f"{BASE}/{session.id}/attestation").status_code == 403
    # Unknown sessions.
    assert organiser.get(f"{BASE}/999").status_code == 404
    assert organiser.post(f"{BASE}/999", {"form": "invite"}).status_code == 404
    assert organiser.get(f"{BASE}/99999999999").status_code == 404


def test_the_lists(organiser, juror_user, juror):
    session = make_professionalisation(TODAY, juror_user, attended=True, mode="on_site")
    listing = organiser.get(f"{BASE}/")
    assert listing.status_code == 200 and f"{BASE}/{session.id}" in listing.text
    assert "Présentiel" in listing.text
    mine = juror.get(f"{BASE}/mes-sessions")
    assert mine.status_code == 200 and "Attestation à signer" in mine.text
    assert "Sessions de professionnalisation" in organiser.get("/jures/").text
    assert f"{BASE}/mes-sessions" in juror.get("/jures/mon-profil").text


def test_an_invitation_that_fails_to_leave_is_said(organiser, juror_user, app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_TIMEOUT=1)  # nobody listens
    session = make_professionalisation(TODAY + timedelta(days=7))
    response = organiser.post(f"{BASE}/{session.id}", {"form": "invite", "juror": str(juror_user.id)})
    app.config["MAIL_SERVER"] = None
    assert response.status_code == 303
    page = html.unescape(organiser.get(f"{BASE}/{session.id}").text)
    assert "non envoyée" in page and "Échec de l'envoi de l'invitation" in page
    assert "professionalisation.invite_failed" in _actions()


def test_a_juror_without_profile_gets_one_with_the_date(organiser):
    bare = make_juror("Nina", "Nouvelle", profile=False)
    session = make_professionalisation(TODAY, bare)
    organiser.post(f"{BASE}/{session.id}", {"form": "attendance", "present": str(session.invitations[0].id)})
    db.session.refresh(bare)
    assert bare.juror_profile.professionalisation_date == TODAY
