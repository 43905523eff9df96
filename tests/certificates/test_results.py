"""Results sent to candidates: once the session is deliberated, once per candidate, in French."""
import email
from email import policy

from certif.audit.models import AuditEntry
from certif.certificates.models import ResultNotice
from certif.extensions import db
from certif.grading.rules import FAVORABLE, UNFAVORABLE
from certif.mail.models import OutgoingMail
from certif.mail.services import read_eml
from certif.sessions import rules as session_rules
from certif.sessions.changes.common import result_day
from certif.timeutil import french_date

from ..factories.grading import finished_session


def body_of(mail: OutgoingMail) -> str:
    message = email.message_from_bytes(read_eml(mail), policy=policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


def notices(exam_id=None):
    query = db.select(ResultNotice)
    if exam_id is not None:
        query = query.filter_by(exam_id=exam_id)
    return db.session.scalars(query).all()


def test_results_page_lists_each_closed_exam(organiser):
    setup = finished_session()
    page = organiser.get(f"/sessions/{setup.session.id}/resultats")
    assert page.status_code == 200
    for exam in setup.jury.exams:
        assert exam.candidate.full_name in page.text
    assert "Avis favorable" in page.text and "Avis défavorable" in page.text
    assert "Envoyer les résultats non envoyés par e-mail" in page.text


def test_sending_is_refused_before_the_session_is_deliberated(organiser):
    setup = finished_session(status="in_progress")
    response = organiser.post(f"/sessions/{setup.session.id}/resultats/envoi")
    assert response.status_code == 409
    assert "délibérée" in response.text
    one = organiser.post(f"/examens/{setup.exam.id}/resultat/envoi")
    assert one.status_code == 409
    assert notices() == [] and db.session.scalars(db.select(OutgoingMail)).all() == []
    page = organiser.get(f"/sessions/{setup.session.id}/resultats")
    assert "ne peuvent pas encore être envoyés" in page.text


def test_send_all_sends_once_per_candidate(organiser, organiser_user):
    setup = finished_session()
    response = organiser.post(f"/sessions/{setup.session.id}/resultats/envoi")
    assert response.status_code == 303
    assert len(notices()) == 2
    again = organiser.post(f"/sessions/{setup.session.id}/resultats/envoi")
    assert again.status_code == 303
    assert len(notices()) == 2  # nobody notified twice
    page = organiser.get(f"/sessions/{setup.session.id}/resultats")
    assert "Tous les résultats étaient déjà envoyés." in page.text
    entries = db.session.scalars(db.select(AuditEntry).filter_by(action="result.send")).all()
    assert {e.entity_id for e in entries} == {e.id for e in setup.jury.exams}
    assert all(e.actor_id == organiser_user.id for e in entries)


def test_favourable_email(organiser):
    setup = finished_session(decisions=(FAVORABLE,))
    organiser.post(f"/examens/{setup.exam.id}/resultat/envoi")
    [notice] = notices(setup.exam.id)
    assert notice.decision == FAVORABLE
    mail = notice.mail
    assert mail.recipients == setup.exam.candidate.email
    assert "Votre résultat" in mail.subject
    body = body_of(mail)
    assert "17,00 / 20" in body
    assert "avis favorable" in body
    assert "3 semaines" in body and "voie postale ou par e-mail" in body
    assert "rattrapage" not in body and "repasser" not in body
    assert body.rstrip().endswith("Le responsable d'organisation de la certification, ALLOKOM")


def test_unfavourable_email_lists_competencies_and_retake_deadline(organiser):
    setup = finished_session(decisions=(UNFAVORABLE,))
    organiser.post(f"/examens/{setup.exam.id}/resultat/envoi")
    [notice] = notices(setup.exam.id)
    body = body_of(notice.mail)
    assert "14,00 / 20" in body and "avis défavorable" in body
    assert "Compétences non acquises" in body and "- C3 :" in body
    assert "- C1 :" not in body
    deadline = session_rules.retake_deadline(result_day(setup.exam))
    assert f"avant le {french_date(deadline)}" in body
    assert "/c/" in body  # the candidate's personal link, which offers the retake request
    assert "référent pédagogique" in body
    assert "la direction d'ALLOKOM" in body and "direction de ALLOKOM" not in body
    assert body.rstrip().endswith("Le responsable d'organisation de la certification, ALLOKOM")


def test_resend_keeps_the_history(organiser):
    setup = finished_session(decisions=(FAVORABLE,))
    organiser.post(f"/examens/{setup.exam.id}/resultat/envoi")
    organiser.post(f"/examens/{setup.exam.id}/resultat/envoi")
    assert len(notices(setup.exam.id)) == 2
    page = organiser.get(f"/sessions/{setup.session.id}/resultats")
    assert "Historique des envois (2)" in page.text and "Renvoyer le résultat" in page.text


def test_candidate_without_email_is_listed_not_sent(organiser):
    setup = finished_session(emails=False)
    page = organiser.get(f"/sessions/{setup.session.id}/resultats")
    assert "remettre le résultat en main propre" in page.text
    response = organiser.post(f"/sessions/{setup.session.id}/resultats/envoi", follow_redirects=True)
    assert "remettre le résultat en main propre" in response.text
    assert notices() == []
    single = organiser.post(f"/examens/{setup.exam.id}/resultat/envoi")
    assert single.status_code == 409
    assert "en main propre" in single.text
    assert notices() == []


def test_an_open_deliberation_has_no_result_to_send(organiser):
    setup = finished_session(decisions=(FAVORABLE,))
    setup.exam.phase = "deliberation"
    db.session.commit()
    assert organiser.post(f"/examens/{setup.exam.id}/resultat/envoi").status_code == 409
    assert notices() == []


def test_unknown_ids_are_404(organiser):
    assert organiser.get("/sessions/999999/resultats").status_code == 404
    assert organiser.post("/examens/999999/resultat/envoi").status_code == 404
