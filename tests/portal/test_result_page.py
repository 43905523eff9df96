"""The candidate's page after the result (issue 13, item 6): the decision, the total or the
blocks, the competencies not acquired, the retake deadline, the appeal to the management
(requested from the link, answered by the organiser, emailed), and the sealed certificate."""
import email
import html
import io
from datetime import timedelta
from email import policy

import pypdf
import pytest

from certif.audit.models import AuditEntry
from certif.candidates.links import make_token
from certif.candidates.models import Appeal
from certif.certificates.models import Certificate
from certif.extensions import db
from certif.grading.rules import FAVORABLE, UNFAVORABLE
from certif.mail.models import OutgoingMail
from certif.mail.services import read_eml
from certif.timeutil import paris_today, utcnow

from ..factories.grading import close_exam, finished_session, make_grids
from ..factories.minutes import make_minutes
from ..factories.sessions import make_exam
from ..factories.web import CSRF_RE


def text(response) -> str:
    return html.unescape(response.text)


def link(app, exam) -> str:
    with app.test_request_context():
        return f"/c/{make_token(exam.candidate)}"


@pytest.fixture
def failed(app):
    """An RS6240 sitting closed unfavourably 3 days ago, C3 not acquired (total 14)."""
    setup = finished_session(decisions=(UNFAVORABLE, FAVORABLE))
    return setup.jury.exams[0], setup


def csrf(web, url) -> str:
    web.token = CSRF_RE.search(web.get(url).text).group(1)
    return web.token


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


# --- The result --------------------------------------------------------------------------------

def test_unfavourable_result_shows_total_missing_competencies_and_retake_deadline(app, web, failed):
    exam, _ = failed
    page = text(web.get(link(app, exam)))
    assert "Résultat : Avis défavorable" in page
    assert "Note totale : <strong>14,00/20</strong>" in page and "seuil de réussite : 14/20" in page
    assert "Compétences non acquises" in page and "C3 : " in page
    assert "C1 : " not in page
    assert "jusqu'au" in page and "Je demande à repasser l'épreuve" in page
    assert "Former un recours" in page
    assert "Télécharger mon certificat" not in page


def test_rncp_result_shows_the_blocks(app, web):
    setup = make_exam("RNCP-CM")
    exam = setup.exam
    make_grids(setup, exam, failing=("C2.1",))
    close_exam(exam, UNFAVORABLE, on=paris_today() - timedelta(days=1))
    exam.total, exam.president_id = None, setup.president.id
    db.session.commit()
    page = text(web.get(link(app, exam)))
    assert "Avis défavorable : titre non attribué" in page
    assert "BC01" in page and "Bloc validé" in page
    assert "BC02" in page and "Bloc non validé" in page
    assert "Note totale" not in page
    assert "C2.1 : " in page
    assert "Les blocs validés vous restent acquis" in page


# --- The appeal ---------------------------------------------------------------------------------

def test_candidate_appeals_the_organiser_answers_and_the_candidate_reads_it(
        app, web, failed, organiser):
    exam, _ = failed
    home = link(app, exam)
    url = f"{home}/recours/{exam.id}"
    assert f'href="{url}"' in web.get(home).text
    csrf(web, url)
    # Bad input comes back on the same page, with the reason and a form that still works.
    refused = web.post(url, data={"grounds": "   "})
    assert refused.status_code == 400
    assert "Indiquez les motifs de votre recours." in text(refused)
    assert f'action="{url}"' in refused.text
    too_long = web.post(url, data={"grounds": "x" * 2001})
    assert too_long.status_code == 400 and "2000 caractères" in text(too_long)
    assert "x" * 2001 in too_long.text  # what was typed is kept
    done = web.post(url, data={"grounds": "Le critère Cr9 a été évalué\r\nsans mon dossier."})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"#passage-{exam.id}")
    [appeal] = db.session.scalars(db.select(Appeal)).all()
    assert (appeal.channel, appeal.outcome, appeal.recorded_by_id) == ("candidate", "pending", None)
    assert appeal.grounds == "Le critère Cr9 a été évalué\nsans mon dossier."
    assert appeal.filed_on == paris_today()
    [entry] = audit("appeal.request")
    assert entry.actor_id is None and entry.entity_id == exam.id
    assert home.split("/")[-1] not in str(entry.details)  # never the token
    page = text(web.get(home))
    assert "transmis à la direction" in page and "En cours d'examen" in page
    assert "Former un recours" not in page
    # A second one while the first waits: refused with the reason.
    again = web.get(url)
    assert again.status_code == 409 and "attend la réponse de la direction" in text(again)
    assert web.post(url, data={"grounds": "Encore"}).status_code == 409

    # The organiser sees it to do, on the dashboard and on the sitting's page, and answers.
    dashboard = text(organiser.get("/tableau-de-bord/"))
    assert "Recours à trancher" in dashboard and f"/sessions/examens/{exam.id}#recours" in dashboard
    sitting = text(organiser.get(f"/sessions/examens/{exam.id}"))
    assert "Déposé par le candidat (lien personnel)" in sitting and "sans mon dossier" in sitting
    answered = organiser.post(f"/sessions/recours/{appeal.id}", data={
        "outcome": "rejected", "decided_on": paris_today().isoformat(),
        "outcome_text": "Le jury a bien tenu compte de votre dossier."})
    assert answered.status_code == 303
    sent = db.session.get(OutgoingMail, db.session.get(Appeal, appeal.id).answer_mail_id)
    assert sent.status == "sent" and sent.recipients == exam.candidate.email
    message = email.message_from_bytes(read_eml(sent), policy=policy.default)
    assert "Réponse à votre recours" in message["Subject"]
    body = message.get_body().get_content()
    assert "Votre recours est rejeté." in body and "bien tenu compte" in body
    assert len(audit("appeal.answer_mail")) == 1
    assert "envoyée au candidat par e-mail" in text(organiser.get(f"/sessions/examens/{exam.id}"))
    assert "Recours à trancher" not in text(organiser.get("/tableau-de-bord/"))
    # The candidate reads the answer on their page, and may appeal again.
    page = text(web.get(home))
    assert "Recours rejeté" in page and "Le jury a bien tenu compte de votre dossier." in page
    assert "Former un recours" in page


def test_an_appeal_is_not_offered_on_a_favourable_result(app, web, failed):
    _, setup = failed
    admitted = setup.jury.exams[1]
    home = link(app, admitted)
    assert "Former un recours" not in text(web.get(home))
    refused = web.get(f"{home}/recours/{admitted.id}")
    assert refused.status_code == 409 and "résultat défavorable" in text(refused)


def test_another_candidates_exam_cannot_be_appealed(app, web, failed):
    exam, _ = failed
    other = finished_session(decisions=(UNFAVORABLE,)).exam
    home = link(app, exam)
    assert web.get(f"{home}/recours/{other.id}").status_code == 404
    csrf(web, f"{home}/recours/{exam.id}")
    assert web.post(f"{home}/recours/{other.id}", data={"grounds": "Non"}).status_code == 404
    assert web.get(f"{home}/recours/999999").status_code == 404
    assert db.session.scalars(db.select(Appeal)).all() == []


def test_appeal_without_csrf_is_refused(app, web, failed):
    exam, _ = failed
    r = web.post(f"{link(app, exam)}/recours/{exam.id}", data={"grounds": "Motifs"}, csrf=False)
    assert r.status_code == 400 and "Le formulaire a expiré" in text(r)
    assert db.session.scalars(db.select(Appeal)).all() == []


def test_bad_tokens_reach_neither_the_appeal_nor_the_certificate(app, web, failed):
    exam, _ = failed
    forged = link(app, exam)[:-2] + "xx"
    for url in (f"{forged}/recours/{exam.id}", f"{forged}/certificats/{exam.id}.pdf"):
        response = web.get(url)
        assert response.status_code == 404 and "Lien non valide" in text(response)


# --- The certificate ---------------------------------------------------------------------------

@pytest.fixture
def admitted(app, organiser):
    setup = finished_session(decisions=(FAVORABLE, FAVORABLE))
    make_minutes(setup.session)
    assert organiser.post(f"/sessions/{setup.session.id}/certificats").status_code == 303
    return setup


def test_admitted_candidate_downloads_the_sealed_certificate(app, web, admitted):
    exam, other = admitted.jury.exams
    home = link(app, exam)
    page = text(web.get(home))
    url = f"{home}/certificats/{exam.id}.pdf"
    assert "Résultat : Avis favorable" in page and "Note totale : <strong>17,00/20</strong>" in page
    assert "Compétences non acquises" not in page and "Former un recours" not in page
    assert f'href="{url}"' in page
    certificate = db.session.scalar(db.select(Certificate).filter_by(exam_id=exam.id))
    assert f"Certificat n° {certificate.number}" in page
    response = web.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    content = " ".join(pypdf.PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert certificate.number in content
    [entry] = audit("certificate.download")
    assert entry.entity_id == certificate.id and entry.actor_id is None
    assert home.split("/")[-1] not in str(entry.details)
    # Someone else's certificate is not reachable through this link.
    assert web.get(f"{home}/certificats/{other.id}.pdf").status_code == 404
    assert len(audit("certificate.download")) == 1


def test_certificate_not_produced_yet_is_announced_not_offered(app, web):
    exam = finished_session(decisions=(FAVORABLE,)).exam
    home = link(app, exam)
    page = text(web.get(home))
    assert "Votre certificat est en cours de production" in page
    assert "Télécharger mon certificat" not in page
    assert web.get(f"{home}/certificats/{exam.id}.pdf").status_code == 404


def test_revoked_certificate_is_not_offered(app, web, admitted):
    exam = admitted.exam
    certificate = db.session.scalar(db.select(Certificate).filter_by(exam_id=exam.id))
    certificate.revoked_at, certificate.revocation_reason = utcnow(), "Fraude constatée"
    db.session.commit()
    home = link(app, exam)
    page = text(web.get(home))
    assert "a été révoqué" in page and "Télécharger mon certificat" not in page
    assert web.get(f"{home}/certificats/{exam.id}.pdf").status_code == 404
    assert audit("certificate.download") == []
