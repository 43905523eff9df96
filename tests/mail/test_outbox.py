"""The outbox pages: every message certif filed or sent, readable in the browser."""
import email
import email.policy
import html

from certif.extensions import db
from certif.mail import services as mail_services
from certif.mail.models import OutgoingMail

from ..factories.fixtures import free_port


def text(response) -> str:
    return html.unescape(response.text)


def file_one(app, subject="Convocation test", attachments=True) -> OutgoingMail:
    with app.test_request_context():
        parts = (mail_services.Attachment("convocation.pdf", b"%PDF-1.4 test"),) if attachments else ()
        mail = mail_services.send(["alex@candidats.test"], subject, "Bonjour,\nVoici votre convocation.",
                                  parts)
        db.session.commit()
        return mail


def test_outbox_lists_messages_newest_first_and_explains(app, organiser):
    file_one(app, "Premier message")
    file_one(app, "Second message")
    page = text(organiser.get("/courriels/"))
    assert "Aucun serveur SMTP n'est configuré : les messages sont conservés ici et ne partent pas." in page
    assert "MAIL_SERVER" in page
    assert page.index("Second message") < page.index("Premier message")
    assert "alex@candidats.test" in page and "convocation.pdf" in page
    assert "Conservé ici (non envoyé)" in page and "Boîte d'envoi locale" in page


def test_outbox_is_paginated(app, organiser):
    for i in range(53):
        file_one(app, f"Message {i:02d}", attachments=False)
    first = text(organiser.get("/courriels/"))
    assert "Message 52" in first and "Message 02" not in first and "Page 1 sur 2" in first
    second = text(organiser.get("/courriels/?page=2"))
    assert "Message 02" in second and "Message 52" not in second
    assert organiser.get("/courriels/?page=abc").status_code == 200


def test_message_page_shows_headers_body_and_attachments(app, organiser):
    mail = file_one(app)
    page = text(organiser.get(f"/courriels/{mail.id}"))
    assert "Convocation test" in page and "alex@candidats.test" in page
    assert "Bonjour,\nVoici votre convocation." in page
    assert "certification@certif.test" in page  # From
    assert "Date" in page
    r = organiser.get(f"/courriels/{mail.id}/pieces/1")
    assert r.status_code == 200 and r.data == b"%PDF-1.4 test"
    assert r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert "convocation.pdf" in r.headers["Content-Disposition"]
    assert organiser.get(f"/courriels/{mail.id}/pieces/2").status_code == 404
    raw = organiser.get(f"/courriels/{mail.id}.eml")
    assert raw.status_code == 200 and raw.mimetype == "message/rfc822"
    message = email.message_from_bytes(raw.data, policy=email.policy.default)
    assert message["Subject"] == "Convocation test" and message["Date"]


def test_failed_message_shows_the_error(app, organiser):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    mail = file_one(app)
    assert mail.status == "failed"
    page = text(organiser.get(f"/courriels/{mail.id}"))
    assert "Échec de l'envoi" in page and "Serveur SMTP" in page
    assert "Aucun serveur SMTP n'est configuré" not in page
    assert "Échec de l'envoi" in text(organiser.get("/courriels/"))


def test_message_whose_file_is_gone(app, organiser):
    mail = file_one(app)
    (mail_services.outbox_dir() / mail.eml_file).unlink()
    page = text(organiser.get(f"/courriels/{mail.id}"))
    assert "Le fichier de ce message est introuvable" in page
    assert organiser.get(f"/courriels/{mail.id}.eml").status_code == 404
    assert organiser.get(f"/courriels/{mail.id}/pieces/1").status_code == 404


def test_unknown_message_is_404(app, organiser):
    assert organiser.get("/courriels/999999").status_code == 404


def test_only_the_organiser_reads_the_outbox(app, web, make_web, setup):
    mail = file_one(app)
    r = web.get("/courriels/")
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    juror = make_web(setup.member)
    for url in ("/courriels/", f"/courriels/{mail.id}", f"/courriels/{mail.id}/pieces/1",
                f"/courriels/{mail.id}.eml"):
        assert juror.get(url).status_code == 403, url


def test_page_past_the_last_shows_the_last_page(app, organiser):
    for i in range(3):
        file_one(app, f"Message {i}", attachments=False)
    for page in ("2", "99999999999999999999999", "-5", "0"):
        r = organiser.get(f"/courriels/?page={page}")
        assert r.status_code == 200, page
        assert "Message 2" in text(r) and "Aucun message" not in text(r)


def test_send_files_the_message_then_confirms_it(app):
    with app.test_request_context():
        mail = mail_services.send(["alex@candidats.test"], "Objet\nBcc: x@pirate.test", "Texte")
    assert (mail.status, mail.error, mail.transport) == ("sent", None, "outbox")
    assert mail.subject == "Objet Bcc: x@pirate.test"
    assert (mail_services.outbox_dir() / mail.eml_file).is_file()
