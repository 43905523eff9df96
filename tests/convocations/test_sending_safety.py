"""Sending never holds the write lock, headers cannot be injected, and one bad
recipient never stops a grouped sending half way."""
import email
import email.policy
import html
import socket
import threading
import time
from pathlib import Path

import pytest

from certif import database
from certif.audit.models import AuditEntry
from certif.audit.services import record
from certif.convocations import sending
from certif.convocations.models import Convocation
from certif.database import write_transaction
from certif.extensions import db
from certif.mail import services as mail_services
from certif.mail.models import OutgoingMail
from certif.sessions.models import ExamSession


def text(response) -> str:
    return html.unescape(response.text)


def send_url(exam):
    return f"/convocations/examens/{exam.id}/envoyer"


def page_url(setup):
    return f"/convocations/sessions/{setup.session.id}"


def in_other_thread(app, fn):
    """Run fn in a thread with its own app context (own database session) and return its result."""
    box = {}

    def run():
        with app.app_context():
            box["result"] = fn()
    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    return box["result"]


@pytest.fixture
def silent_smtp(app):
    """An SMTP server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    accepted = threading.Event()
    connections = []

    def accept():
        try:
            while True:
                connections.append(server.accept()[0])
                accepted.set()
        except OSError:
            return  # the server socket was closed
    threading.Thread(target=accept, daemon=True).start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.getsockname()[1], MAIL_TIMEOUT=3)
    try:
        yield accepted
    finally:
        server.close()
        for connection in connections:
            connection.close()
        app.config["MAIL_SERVER"] = None


# --- B1: the SMTP exchange runs outside any write transaction ------------------------------

def test_smtp_exchange_runs_with_no_write_transaction_open(app, setup, organiser, monkeypatch):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=25)
    seen = {}

    def fake_smtp_send(message):
        seen["in_write_transaction"] = db.session.info.get("in_write_transaction")
        seen["writer_locked"] = database._SQLITE_WRITER.locked()
        seen["eml_filed"] = any((Path(app.config["FILES_DIR"]) / "outbox").glob("*.eml"))
        # Another connection sees the message already recorded, not yet confirmed.
        seen["committed"] = in_other_thread(app, lambda: [
            (m.status, m.error) for m in db.session.scalars(db.select(OutgoingMail))])
        seen["convocations"] = in_other_thread(app, lambda: len(db.session.scalars(
            db.select(Convocation)).all()))
    monkeypatch.setattr(mail_services, "_smtp_send", fake_smtp_send)

    r = organiser.post(send_url(setup.exam), {"channel": "email"})
    assert r.status_code == 303
    assert seen["in_write_transaction"] is None and seen["writer_locked"] is False
    assert seen["eml_filed"] is True
    assert seen["committed"] == [("failed", mail_services.PENDING_NOTE)]
    assert seen["convocations"] == 0
    # Step 3: confirmed, and the convocation recorded with its audit entry.
    [mail] = db.session.scalars(db.select(OutgoingMail)).all()
    assert (mail.status, mail.error, mail.transport) == ("sent", None, "smtp")
    [conv] = db.session.scalars(db.select(Convocation)).all()
    assert conv.mail_id == mail.id
    assert db.session.scalars(db.select(AuditEntry).filter_by(action="convocation.email")).one()


def test_silent_smtp_server_does_not_block_other_writes(app, setup, organiser, silent_smtp):
    outcome = {}

    def send():
        with app.app_context():
            outcome["status"] = organiser.post(send_url(setup.exam), {"channel": "email"}).status_code
    sender = threading.Thread(target=send)
    sender.start()
    try:
        assert silent_smtp.wait(10), "the SMTP connection was never opened"
        time.sleep(0.2)  # well inside the exchange, which lasts MAIL_TIMEOUT (3 s)
        started = time.monotonic()
        with write_transaction():  # e.g. a juror saving a mark meanwhile
            record(None, "test.write", "session", setup.session.id, None, "pendant l'envoi")
        took = time.monotonic() - started
    finally:
        sender.join(15)
    assert took < 1.0, f"a write waited {took:.2f} s for the SMTP server"
    assert outcome["status"] == 502
    [mail] = db.session.scalars(db.select(OutgoingMail)).all()
    assert mail.status == "failed" and mail.error != mail_services.PENDING_NOTE
    assert db.session.scalars(db.select(Convocation)).all() == []


def test_send_must_not_run_inside_a_write_transaction(app):
    with app.test_request_context():
        with pytest.raises(RuntimeError):
            with write_transaction():
                mail_services.send(["a@b.test"], "Objet", "Texte")
        assert db.session.scalars(db.select(OutgoingMail)).all() == []


def test_interrupted_sending_stays_visible_as_unconfirmed(app, setup, organiser, monkeypatch):
    """The message went, then recording the outcome failed: the trace says so."""
    def broken(*args, **kwargs):
        raise RuntimeError("panne pendant l'enregistrement")
    monkeypatch.setattr(sending, "mark_convened_if_complete", broken)
    r = organiser.post(f"{page_url(setup)}/envoyer-tout", follow_redirects=True)
    assert r.status_code == 200
    page = text(r)
    assert "Échec de l'envoi, rien n'est enregistré comme envoyé" in page
    assert page.count("erreur inattendue") == 4
    assert db.session.scalars(db.select(Convocation)).all() == []
    mails = db.session.scalars(db.select(OutgoingMail)).all()
    assert len(mails) == 4 and all(m.error == mail_services.PENDING_NOTE for m in mails)
    outbox = text(organiser.get("/courriels/"))
    assert outbox.count("Envoi non confirmé") == 4
    shown = text(organiser.get(f"/courriels/{mails[0].id}"))
    assert "Envoi non confirmé" in shown and "le destinataire l'a peut-être reçu" in shown


# --- S2: header injection, and the grouped sending survives one bad recipient ---------------

@pytest.mark.parametrize("separator", ["\n", "\r\n", "\u2028", "\u0085", "\x0b"])
def test_line_break_in_the_session_number_adds_no_header(app, setup, organiser, separator):
    session = db.session.get(ExamSession, setup.session.id)
    session.number = f"S{separator}Bcc: espion@pirate.test"
    db.session.commit()
    r = organiser.post(f"{page_url(setup)}/envoyer-tout", follow_redirects=True)
    assert r.status_code == 200
    assert "4 convocations déposées dans la boîte d'envoi (aucun serveur SMTP)" in text(r)
    for mail in db.session.scalars(db.select(OutgoingMail)).all():
        raw = mail_services.read_eml(mail)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        headers = raw.split(b"\n\n", 1)[0]  # (the body may say anything)
        assert message["Bcc"] is None
        assert not any(line.lower().startswith(b"bcc:") for line in headers.splitlines())
        assert "\n" not in mail.subject and "\u2028" not in mail.subject
    juror_mail = db.session.scalars(db.select(OutgoingMail).where(
        OutgoingMail.subject.like("Convocation du jury%"))).first()
    assert "session n° S Bcc: espion@pirate.test du" in juror_mail.subject


def test_build_message_strips_control_characters_from_headers(app):
    with app.test_request_context():
        message = mail_services.build_message(
            ["alex@candidats.test\r\nBcc: x@pirate.test"], "Objet\u2028Cc: y@pirate.test\x00",
            "Corps", (mail_services.Attachment("conv\nocation.pdf", b"%PDF"),))
        raw = bytes(message)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Bcc"] is None and parsed["Cc"] is None
    assert parsed["Subject"] == "Objet Cc: y@pirate.test"
    assert [p.get_filename() for p in parsed.iter_attachments()] == ["conv ocation.pdf"]


def test_send_all_goes_on_after_an_unexpected_error(app, setup, organiser, monkeypatch):
    real = sending.juror_message

    def fails_for_the_member(session, juror):
        if juror.id == setup.member.id:
            raise ValueError("boom")
        return real(session, juror)
    monkeypatch.setattr(sending, "juror_message", fails_for_the_member)
    r = organiser.post(f"{page_url(setup)}/envoyer-tout", follow_redirects=True)
    assert r.status_code == 200
    page = text(r)
    assert "3 convocations déposées dans la boîte d'envoi (aucun serveur SMTP)" in page
    assert f"{setup.member.full_name} (juré) (erreur inattendue" in page
    sent = db.session.scalars(db.select(Convocation)).all()
    assert {c.exam_id for c in sent if c.kind == "candidate"} == {e.id for e in setup.exams}
    assert {c.juror_id for c in sent if c.kind == "juror"} == {setup.president.id}
    # Nothing half-written for the member: no message, no convocation.
    assert len(db.session.scalars(db.select(OutgoingMail)).all()) == 3
