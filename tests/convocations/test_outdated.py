"""A convocation is outdated when what it announced changed: place, link, mode,
duration, and for a juror their slots and their jury's composition."""
import html
from datetime import timedelta

import pytest

from certif.convocations import queries
from certif.convocations.models import Convocation
from certif.extensions import db
from certif.sessions.models import Exam, ExamSession, Jury, JuryMember

from ..factories.convocations import make_session_to_convene
from ..factories.jurors import make_juror

FACTS_CHANGED = "À renvoyer : lieu, lien ou horaire modifié"


def text(response) -> str:
    return html.unescape(response.text)


def page_url(setup):
    return f"/convocations/sessions/{setup.session.id}"


def send_all(organiser, setup):
    return organiser.post(f"{page_url(setup)}/envoyer-tout", follow_redirects=True)


def convocations(**filters):
    return db.session.scalars(db.select(Convocation).filter_by(**filters)
                              .order_by(Convocation.id)).all()


def test_sending_records_the_announced_facts(app, setup, organiser):
    send_all(organiser, setup)
    for conv in convocations():
        assert conv.announced_facts and len(conv.announced_facts) == 64
    exam = db.session.get(Exam, setup.exam.id)
    [conv] = convocations(exam_id=exam.id)
    assert conv.announced_facts == queries.candidate_facts(exam)
    assert queries.candidate_convocation_current(exam, conv)


def test_new_place_makes_every_convocation_outdated(app, organiser):
    setup = make_session_to_convene(mode="on_site", video_link=None, place="Salle 12, 3 rue de la Paix, Lyon")
    send_all(organiser, setup)
    assert FACTS_CHANGED not in text(organiser.get(page_url(setup)))
    session = db.session.get(ExamSession, setup.session.id)
    session.place = "Salle 4, 10 quai Perrache, Lyon"
    db.session.commit()
    page = text(organiser.get(page_url(setup)))
    assert page.count(FACTS_CHANGED) == 4  # two candidates, two jurors
    assert "À renvoyer : horaire modifié" not in page
    assert "lieu, lien ou durée modifiés depuis" in page
    assert "lieu, lien, horaires ou jury modifiés depuis" in page
    # The grouped sending resends them all; then they are current again.
    r = send_all(organiser, setup)
    assert "4 convocations déposées dans la boîte d'envoi (aucun serveur SMTP)" in text(r)
    assert FACTS_CHANGED not in text(organiser.get(page_url(setup)))
    assert "Aucune convocation à envoyer" in text(send_all(organiser, setup))


def test_new_video_link_or_mode_makes_it_outdated(app, setup, organiser):
    organiser.post(f"/convocations/examens/{setup.exam.id}/envoyer", {"channel": "email"})
    session = db.session.get(ExamSession, setup.session.id)
    session.video_link = "https://visio.test/autre-salle"
    db.session.commit()
    page = text(organiser.get(page_url(setup)))
    assert page.count(FACTS_CHANGED) == 1
    r = organiser.post(f"/convocations/examens/{setup.exam.id}/envoyer", {"channel": "email"})
    assert r.status_code == 303
    assert FACTS_CHANGED not in text(organiser.get(page_url(setup)))
    session = db.session.get(ExamSession, setup.session.id)
    session.mode, session.place = "on_site", "Salle 3"
    db.session.commit()
    assert text(organiser.get(page_url(setup))).count(FACTS_CHANGED) == 1


def test_place_of_a_remote_session_is_not_announced(app, setup, organiser):
    """A remote session's convocation gives no place: changing it outdates nothing."""
    send_all(organiser, setup)
    session = db.session.get(ExamSession, setup.session.id)
    session.place = "Bureau du responsable"
    db.session.commit()
    assert FACTS_CHANGED not in text(organiser.get(page_url(setup)))


def test_longer_exam_outdates_the_candidate_and_the_jurors(app, setup, organiser):
    send_all(organiser, setup)
    exam = db.session.get(Exam, setup.exams[1].id)  # the last slot: no one else moves
    exam.duration_minutes += 15
    db.session.commit()
    page = text(organiser.get(page_url(setup)))
    assert page.count(FACTS_CHANGED) == 3  # that candidate and both jurors (their slots)
    assert "ou jury recomposé" in page


def test_new_fellow_juror_outdates_the_president(app, setup, organiser):
    send_all(organiser, setup)
    newcomer = make_juror("Nina", "Remplaçante")
    jury = db.session.get(Jury, setup.jury.id)
    member = next(m for m in jury.members if m.juror_id == setup.member.id)
    jury.members.remove(member)
    db.session.flush()
    jury.members.append(JuryMember(juror=newcomer, seat=2))
    db.session.commit()
    page = text(organiser.get(page_url(setup)))
    assert "À renvoyer : lieu, lien ou horaire modifié, ou jury recomposé" in page  # the president
    assert "Non envoyée" in page  # the newcomer
    r = send_all(organiser, setup)
    assert "2 convocations déposées dans la boîte d'envoi (aucun serveur SMTP)" in text(r)


def test_old_convocations_without_facts_compare_the_start_only(app, setup, organiser):
    send_all(organiser, setup)
    for conv in convocations():
        conv.announced_facts = None
    session = db.session.get(ExamSession, setup.session.id)
    session.video_link = "https://visio.test/autre-salle"
    db.session.commit()
    page = text(organiser.get(page_url(setup)))
    assert FACTS_CHANGED not in page and "À renvoyer" not in page
    session = db.session.get(ExamSession, setup.session.id)
    session.starts_at += timedelta(hours=1)
    for exam in session.juries[0].exams:
        exam.starts_at += timedelta(hours=1)
    db.session.commit()
    assert text(organiser.get(page_url(setup))).count("À renvoyer : horaire modifié") == 4


def test_change_while_preparing_is_refused(app, setup, organiser, monkeypatch):
    """The place changes while the PDF is being made: nothing is sent, the page says why."""
    from certif.convocations import sending
    real = sending.candidate_pdf

    def pdf_then_someone_edits(exam):
        data = real(exam)
        with db.engine.begin() as connection:  # another user's save, on its own connection
            connection.execute(db.update(ExamSession).where(ExamSession.id == setup.session.id)
                               .values(video_link="https://visio.test/nouvelle"))
        return data
    monkeypatch.setattr(sending, "candidate_pdf", pdf_then_someone_edits)
    r = organiser.post(f"/convocations/examens/{setup.exam.id}/envoyer", {"channel": "email"})
    assert r.status_code == 409
    assert "La convocation a changé pendant sa préparation" in text(r)
    assert convocations() == []


# --- The helpers the session workflow and the dashboard call -----------------------------------

@pytest.fixture
def sent(app, setup, organiser):
    send_all(organiser, setup)
    return setup


def test_query_helpers(app, sent):
    setup = sent
    session = db.session.get(ExamSession, setup.session.id)
    exam = db.session.get(Exam, setup.exam.id)
    latest = queries.latest_candidate_convocations([exam.id])[exam.id]
    jurors = queries.latest_juror_convocations(session.id)
    assert queries.candidate_convocation_current(exam, latest)
    assert queries.juror_convocation_current(session, setup.member.id, jurors[setup.member.id])
    assert queries.juror_convocation_current(session, setup.president, jurors[setup.president.id])
    assert not queries.candidate_convocation_current(exam, None)
    assert not queries.juror_convocation_current(session, setup.member, None)
    session.video_link = "https://visio.test/ailleurs"
    db.session.flush()
    assert not queries.candidate_convocation_current(exam, latest)
    assert not queries.juror_convocation_current(session, setup.member, jurors[setup.member.id])
    # The historical signature still compares the start only.
    assert queries.is_current(latest, exam.starts_at)
    assert not queries.is_current(latest, exam.starts_at, queries.candidate_facts(exam))
    db.session.rollback()


def test_renewed_personal_link_outdates_the_candidate_convocation(app, setup, organiser):
    """The convocation prints the candidate's personal link: renewing it kills that link."""
    send_all(organiser, setup)
    exam = db.session.get(Exam, setup.exam.id)
    [conv] = convocations(exam_id=exam.id)
    assert queries.candidate_convocation_current(exam, conv)
    r = organiser.post(f"/candidats/{exam.candidate_id}/lien")
    assert r.status_code == 303
    exam = db.session.get(Exam, setup.exam.id)
    assert not queries.candidate_convocation_current(exam, conv)
    page = text(organiser.get(page_url(setup)))
    assert page.count("À renvoyer : lien personnel renouvelé") == 1  # the other candidate holds
    assert "lien personnel renouvelé depuis" in page
    assert FACTS_CHANGED not in page
    # The grouped sending resends it only, with the new link; then it is current again.
    r = send_all(organiser, setup)
    assert "1 convocation déposée dans la boîte d'envoi (aucun serveur SMTP)" in text(r)
    page = text(organiser.get(page_url(setup)))
    assert "À renvoyer" not in page


def test_other_change_after_renewal_reason(app, setup, organiser):
    """A renewal before the sending is no reason: a later new link still says the generic text."""
    organiser.post(f"/candidats/{setup.exam.candidate_id}/lien")
    send_all(organiser, setup)
    session = db.session.get(ExamSession, setup.session.id)
    session.video_link = "https://visio.test/autre-salle"
    db.session.commit()
    page = text(organiser.get(page_url(setup)))
    assert "lien personnel renouvelé" not in page
    assert page.count(FACTS_CHANGED) == 4  # two candidates, two jurors
