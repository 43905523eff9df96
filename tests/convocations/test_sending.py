"""Sending convocations through the organiser's pages: email (outbox or a real SMTP
server), hand delivery, resending, outdated convocations, the grouped sending, and
who may do what."""
import email
import email.policy
import html
import io
from datetime import date, timedelta
from pathlib import Path

import pypdf

from certif.audit.models import AuditEntry
from certif.auth.models import JUROR
from certif.convocations.models import Convocation
from certif.extensions import db
from certif.mail.models import OutgoingMail
from certif.sessions.models import ABSENT_EXCUSED, ExamSession
from certif.timeutil import french_date

from ..factories.convocations import make_session_to_convene
from ..factories.fixtures import free_port
from ..factories.jurors import make_juror, set_habilitation
from ..factories.users import make_user


def send_url(exam):
    return f"/convocations/examens/{exam.id}/envoyer"


def juror_send_url(setup, juror):
    return f"/convocations/sessions/{setup.session.id}/jures/{juror.id}/envoyer"


def page_url(setup):
    return f"/convocations/sessions/{setup.session.id}"


def convocations(**filters):
    return db.session.scalars(db.select(Convocation).filter_by(**filters)
                              .order_by(Convocation.id)).all()


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)
                              .order_by(AuditEntry.id)).all()


def text(response) -> str:
    """The page as a user reads it (Jinja escapes apostrophes)."""
    return html.unescape(response.text)


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def pdf_of(message) -> bytes:
    parts = list(message.iter_attachments())
    assert len(parts) == 1
    assert parts[0].get_content_type() == "application/pdf"
    return parts[0].get_payload(decode=True)


# --- By email -------------------------------------------------------------------------------

def test_email_without_smtp_goes_to_the_outbox(app, setup, organiser, organiser_user):
    exam = setup.exam
    r = organiser.post(send_url(exam), {"channel": "email"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"{page_url(setup)}#candidat-{exam.id}")
    [conv] = convocations(exam_id=exam.id)
    assert conv.kind == "candidate" and conv.channel == "email"
    assert conv.recipient == exam.candidate.email and conv.sent_by_id == organiser_user.id
    assert conv.announced_start == exam.starts_at and len(conv.pdf_sha256) == 64
    mail = db.session.get(OutgoingMail, conv.mail_id)
    assert mail.transport == "outbox" and mail.status == "sent"
    assert mail.attachments == [f"convocation-{setup.session.number.lower()}-durand"
                                f"{setup.session.number.split('-')[1]}x0-alex.pdf"]
    eml = Path(app.config["FILES_DIR"]) / "outbox" / mail.eml_file
    message = parse(eml.read_bytes())
    assert message["To"] == exam.candidate.email
    assert "Convocation à la certification RS6240" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "/c/" in body and "pièce d'identité" in body
    pdf = pdf_of(message)
    assert "CONVOCATION" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    [entry] = audit("convocation.email")
    assert (entry.entity, entry.entity_id, entry.actor_id) == ("exam", exam.id, organiser_user.id)
    assert entry.details["convocation_id"] == conv.id and entry.details["mail_id"] == mail.id
    page = text(organiser.get(page_url(setup)))
    # Nothing left the machine: the page does not say "sent by email".
    assert (f"Déposée dans la boîte d'envoi (aucun serveur SMTP) le {french_date(conv.sent_at)} "
            f"pour {exam.candidate.email}") in page
    assert f"par e-mail à {exam.candidate.email}" not in page
    assert "boîte d'envoi locale" in page


def test_flash_says_the_outbox_keeps_the_message(app, setup, organiser):
    r = organiser.post(send_url(setup.exam), {"channel": "email"}, follow_redirects=True)
    assert "déposée dans la boîte d'envoi locale" in text(r)


def test_email_through_a_real_smtp_server(app, setup, organiser, smtp_server):
    r = organiser.post(send_url(setup.exam), {"channel": "email"}, follow_redirects=True)
    assert r.status_code == 200
    assert f"Convocation envoyée par e-mail à {setup.exam.candidate.full_name}" in text(r)
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == [setup.exam.candidate.email]
    message = parse(envelope.original_content)
    assert pdf_of(message).startswith(b"%PDF")
    [conv] = convocations(exam_id=setup.exam.id)
    assert conv.mail.transport == "smtp" and conv.mail.status == "sent"
    page = text(organiser.get(page_url(setup)))
    assert f"Envoyée le {french_date(conv.sent_at)} par e-mail à {setup.exam.candidate.email}" in page
    assert "aucun serveur SMTP) le" not in page


def test_juror_convocation_by_email_through_smtp(app, setup, organiser, smtp_server):
    r = organiser.post(juror_send_url(setup, setup.member), {"channel": "email"})
    assert r.status_code == 303
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == [setup.member.email]
    message = parse(envelope.original_content)
    assert "Convocation du jury" in message["Subject"]
    content = pypdf.PdfReader(io.BytesIO(pdf_of(message))).pages[0].extract_text()
    assert setup.exams[1].candidate.full_name in " ".join(content.split())
    [conv] = convocations(kind="juror")
    assert conv.juror_id == setup.member.id and conv.announced_start == setup.session.starts_at
    [entry] = audit("convocation.email")
    assert (entry.entity, entry.entity_id) == ("session", setup.session.id)
    assert entry.details["juror_id"] == setup.member.id


def test_smtp_server_down_records_nothing_as_sent(app, setup, organiser):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    r = organiser.post(send_url(setup.exam), {"channel": "email"})
    assert r.status_code == 502
    assert "a échoué" in text(r) and "Rien n'est enregistré comme envoyé" in text(r)
    assert convocations() == []
    [mail] = db.session.scalars(db.select(OutgoingMail)).all()
    assert mail.status == "failed" and mail.transport == "smtp" and mail.error
    [entry] = audit("convocation.email_failed")
    assert entry.details["mail_id"] == mail.id
    assert "Non envoyée" in text(organiser.get(page_url(setup)))
    assert db.session.get(ExamSession, setup.session.id).status == "draft"


def test_candidate_without_email_only_by_hand(app, organiser):
    setup = make_session_to_convene(candidates=1, emails=False)
    r = organiser.post(send_url(setup.exam), {"channel": "email"})
    assert r.status_code == 400
    assert "n'a pas d'adresse e-mail" in text(r)
    assert convocations() == [] and db.session.scalars(db.select(OutgoingMail)).all() == []
    page = text(organiser.get(page_url(setup)))
    assert "Pas d'adresse e-mail : remise en main propre uniquement." in page


# --- By hand --------------------------------------------------------------------------------

def test_hand_delivery_is_recorded(app, setup, organiser, organiser_user):
    day = date.today() - timedelta(days=1)
    r = organiser.post(send_url(setup.exam), {"channel": "hand", "handed_on": day.isoformat(),
                                          "handed_by": "Jeanne Accueil"})
    assert r.status_code == 303
    [conv] = convocations(exam_id=setup.exam.id)
    assert conv.channel == "hand" and conv.handed_on == day and conv.handed_by == "Jeanne Accueil"
    assert conv.mail_id is None and conv.recipient is None
    assert db.session.scalars(db.select(OutgoingMail)).all() == []
    [entry] = audit("convocation.hand")
    assert entry.entity_id == setup.exam.id and "Jeanne Accueil" in entry.new_value
    page = text(organiser.get(page_url(setup)))
    assert f"Remise en main propre le {french_date(day)} par Jeanne Accueil" in page


def test_hand_form_is_prefilled_with_the_organiser(app, setup, organiser, organiser_user):
    page = text(organiser.get(send_url(setup.exam)))
    assert f'value="{organiser_user.full_name}"' in page
    assert f'value="{date.today().isoformat()}"' in page or "handed_on" in page


def test_hand_delivery_needs_a_date_and_who(app, setup, organiser):
    url = send_url(setup.exam)
    r = organiser.post(url, {"channel": "hand", "handed_on": "", "handed_by": "Jeanne"})
    assert r.status_code == 400 and "Indiquez la date de la remise" in text(r)
    r = organiser.post(url, {"channel": "hand", "handed_on": date.today().isoformat(), "handed_by": " "})
    assert r.status_code == 400 and "Indiquez qui a remis la convocation" in text(r)
    r = organiser.post(url, {"channel": "hand", "handed_on": "31/02/2026", "handed_by": "Jeanne"})
    assert r.status_code == 400 and "Date de remise invalide" in text(r)
    future = date.today() + timedelta(days=3)
    r = organiser.post(url, {"channel": "hand", "handed_on": future.isoformat(), "handed_by": "Jeanne"})
    assert r.status_code == 400 and "ne peut pas être dans le futur" in text(r)
    r = organiser.post(url, {"channel": "pigeon"})
    assert r.status_code == 400 and "Mode d'envoi invalide" in text(r)
    assert convocations() == [] and audit("convocation.hand") == []


def test_juror_hand_delivery(app, setup, organiser):
    r = organiser.post(juror_send_url(setup, setup.president),
                   {"channel": "hand", "handed_on": date.today().isoformat(), "handed_by": "Olga"})
    assert r.status_code == 303
    [conv] = convocations(kind="juror")
    assert conv.juror_id == setup.president.id and conv.channel == "hand"


# --- Resending, outdated, refusals ----------------------------------------------------------

def test_resend_keeps_the_history(app, setup, organiser):
    for _ in range(2):
        assert organiser.post(send_url(setup.exam), {"channel": "email"}).status_code == 303
    assert len(convocations(exam_id=setup.exam.id)) == 2
    assert len(audit("convocation.email")) == 2
    page = text(organiser.get(send_url(setup.exam)))
    assert "Historique des envois (2)" in page and "Renvoyer par e-mail" in page


def test_time_change_makes_it_outdated(app, setup, organiser):
    organiser.post(send_url(setup.exam), {"channel": "email"})
    organiser.post(juror_send_url(setup, setup.member), {"channel": "email"})
    session = db.session.get(ExamSession, setup.session.id)
    session.starts_at += timedelta(hours=1)
    for exam in session.juries[0].exams:
        exam.starts_at += timedelta(hours=1)
    db.session.commit()
    page = text(organiser.get(page_url(setup)))
    assert page.count("À renvoyer : horaire modifié") == 2
    assert "horaire modifié depuis" in page
    r = organiser.post(send_url(setup.exam), {"channel": "email"})
    assert r.status_code == 303
    assert text(organiser.get(page_url(setup))).count("À renvoyer : horaire modifié") == 1


def test_exam_not_scheduled_cannot_be_convened(app, setup, organiser):
    setup.exam.status = ABSENT_EXCUSED
    db.session.commit()
    r = organiser.post(send_url(setup.exam), {"channel": "email"})
    assert r.status_code == 409 and "n'est plus attendu" in text(r)
    assert convocations() == []
    assert "Pas de convocation : absent excusé" in text(organiser.get(page_url(setup)))


def test_cancelled_session_cannot_be_convened(app, setup, organiser):
    setup.session.status = "cancelled"
    db.session.commit()
    r = organiser.post(send_url(setup.exam), {"channel": "email"})
    assert r.status_code == 409 and "annulée" in text(r)
    r = organiser.post(juror_send_url(setup, setup.member), {"channel": "email"})
    assert r.status_code == 409
    r = organiser.post(f"{page_url(setup)}/envoyer-tout")
    assert r.status_code == 409
    assert convocations() == []
    assert "aucune convocation ne peut plus être envoyée" in text(organiser.get(page_url(setup)))


def test_unknown_targets_are_404(app, setup, organiser):
    outsider = make_user(JUROR)
    assert organiser.post(juror_send_url(setup, outsider), {"channel": "email"}).status_code == 404
    assert organiser.post("/convocations/examens/999999/envoyer", {"channel": "email"}).status_code == 404
    assert organiser.get("/convocations/sessions/999999").status_code == 404


# --- Grouped sending and the session's state ------------------------------------------------

def test_send_all_sends_only_the_unsent_and_reports(app, organiser):
    setup = make_session_to_convene(candidates=3)
    no_email = setup.exams[2].candidate
    no_email.email = None
    db.session.commit()
    organiser.post(send_url(setup.exams[0]), {"channel": "email"})
    r = organiser.post(f"{page_url(setup)}/envoyer-tout", follow_redirects=True)
    assert r.status_code == 200
    assert "3 convocations déposées dans la boîte d'envoi (aucun serveur SMTP)" in text(r)
    assert f"{no_email.full_name} (pas d'adresse e-mail : à remettre en main propre)" in text(r)
    assert len(convocations(exam_id=setup.exams[0].id)) == 1  # not sent twice
    assert len(convocations(exam_id=setup.exams[1].id)) == 1
    assert convocations(exam_id=setup.exams[2].id) == []
    assert {c.juror_id for c in convocations(kind="juror")} == {setup.president.id, setup.member.id}
    assert db.session.get(ExamSession, setup.session.id).status == "draft"
    # The last one handed over: everyone is convened, the session moves on.
    r = organiser.post(send_url(setup.exams[2]), {"channel": "hand", "handed_on": date.today().isoformat(),
                                               "handed_by": "Olga"}, follow_redirects=True)
    assert "la session passe à l'état « Convocations envoyées »" in text(r)
    assert db.session.get(ExamSession, setup.session.id).status == "convened"
    [entry] = audit("session.status")
    assert (entry.old_value, entry.new_value, entry.entity_id) == ("draft", "convened", setup.session.id)
    # Nothing left to send.
    r = organiser.post(f"{page_url(setup)}/envoyer-tout", follow_redirects=True)
    assert "Aucune convocation à envoyer par e-mail" in text(r)
    assert len(convocations()) == 5


def test_send_all_moves_a_complete_session_to_convened(app, setup, organiser):
    r = organiser.post(f"{page_url(setup)}/envoyer-tout", follow_redirects=True)
    assert "4 convocations déposées dans la boîte d'envoi (aucun serveur SMTP)" in text(r)
    assert "la session passe à l'état « Convocations envoyées »" in text(r)
    assert db.session.get(ExamSession, setup.session.id).status == "convened"


def test_send_all_with_smtp_down_reports_failures(app, setup, organiser):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    r = organiser.post(f"{page_url(setup)}/envoyer-tout", follow_redirects=True)
    assert "Échec de l'envoi" in text(r)
    assert convocations() == []
    assert len(audit("convocation.email_failed")) == 4
    assert db.session.get(ExamSession, setup.session.id).status == "draft"


def test_unhabilitated_juror_keeps_the_session_in_draft(app, organiser):
    setup = make_session_to_convene(candidates=1)
    set_habilitation(setup.member, "unfavourable")
    organiser.post(f"{page_url(setup)}/envoyer-tout")
    assert len(convocations()) == 3
    assert db.session.get(ExamSession, setup.session.id).status == "draft"


# --- Who may do what ------------------------------------------------------------------------

def test_anonymous_goes_to_login(app, setup, web):
    for url in (page_url(setup), f"/convocations/examens/{setup.exam.id}.pdf", send_url(setup.exam)):
        r = web.get(url)
        assert r.status_code == 302 and "/connexion" in r.headers["Location"]


def test_juror_cannot_reach_organiser_pages(app, setup, make_web):
    juror = make_web(setup.member)
    assert juror.get(page_url(setup)).status_code == 403
    assert juror.get(f"/convocations/examens/{setup.exam.id}.pdf").status_code == 403
    assert juror.post(send_url(setup.exam), {"channel": "email"}).status_code == 403
    assert juror.post(f"{page_url(setup)}/envoyer-tout").status_code == 403
    assert convocations() == []


def test_juror_downloads_only_their_own_convocation(app, setup, make_web):
    juror = make_web(setup.member)
    own = juror.get(f"/convocations/sessions/{setup.session.id}/jures/{setup.member.id}.pdf")
    assert own.status_code == 200 and own.mimetype == "application/pdf"
    other = juror.get(f"/convocations/sessions/{setup.session.id}/jures/{setup.president.id}.pdf")
    assert other.status_code == 404
    stranger = make_juror("Nina", "Ailleurs")
    elsewhere = make_web(stranger)
    r = elsewhere.get(f"/convocations/sessions/{setup.session.id}/jures/{stranger.id}.pdf")
    assert r.status_code == 404


def test_csrf_is_required(app, setup, organiser):
    r = organiser.post(send_url(setup.exam), {"channel": "email"}, csrf=False)
    assert r.status_code == 400
    assert convocations() == []
