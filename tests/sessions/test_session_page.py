"""The session page: facts, juries, and what is still missing before the day."""
from datetime import date, time

from certif.extensions import db
from certif.sessions.models import ExamSession
from certif.timeutil import paris_today

from ..factories.candidates import make_candidate
from ..factories.convocations import make_convocation
from ..factories.jurors import set_habilitation
from ..factories.sessions import make_jury, make_session, place
from .helpers import text


def page_of(web, session):
    r = web.get(f"/sessions/{session.id}")
    assert r.status_code == 200
    return text(r)


def test_facts_of_the_session(app, organiser):
    session = make_session(number="2030-RS-07", day=date(2030, 7, 1), at=time(14, 0), mode="both",
                          video_link="https://visio.test/salle")
    session.place = "Salle 3, Lyon"
    session.technical_requirements = "Webcam obligatoire"
    db.session.commit()
    page = page_of(organiser, session)
    for fact in ("Session n° 2030-RS-07", "RS6240 (version 1)", "1er juillet 2030 à 14 h 00",
                 "À distance et en présentiel", "Salle 3, Lyon", "https://visio.test/salle",
                 "Webcam obligatoire", "30 minutes", "En préparation"):
        assert fact in page, fact
    assert f'href="/convocations/sessions/{session.id}"' in page


def test_missing_items_before_the_day(app, organiser):
    session = make_session()
    assert "Aucun jury n'est constitué." in page_of(organiser, session)
    jury = make_jury(session)
    page = page_of(organiser, session)
    assert "Jury 1 n'a aucun candidat." in page
    exam = place(jury, make_candidate())
    make_convocation(session, juror_user=jury.jurors[0])
    page = page_of(organiser, session)
    assert "Convocations des candidats : 1 à envoyer." in page
    assert "Convocations des jurés : 1 à envoyer." in page
    make_convocation(session, exam)
    make_convocation(session, juror_user=jury.jurors[1])
    page = page_of(organiser, session)
    assert "Convocations des" not in page
    assert "Rien : tout est prêt pour cette étape." in page
    assert "Marquer la session comme convoquée" in page


def test_a_juror_whose_habilitation_was_withdrawn_is_listed(app, organiser):
    session = make_session()
    jury = make_jury(session)
    withdrawn = jury.jurors[1]
    set_habilitation(withdrawn, "unfavourable")
    page = page_of(organiser, session)
    assert (f"Jury 1 – {withdrawn.full_name} n'est pas habilité(e) pour la certification "
            f"{session.referential.title} : habilitation défavorable") in page
    assert "Non habilité" in page


def test_a_stopped_jury_without_replacement_links_to_the_replacement(app, organiser):
    session = make_session(status="in_progress", day=date.today())
    jury = make_jury(session)
    place(jury, make_candidate())
    jury.stopped_at = session.starts_at
    jury.stop_reason = "Juré absent"
    db.session.commit()
    page = page_of(organiser, session)
    assert "Jury 1 n'a pas pu siéger (carence)" in page
    assert f'href="/sessions/jurys/{jury.id}/remplacement"' in page
    assert "Arrêté (carence)" in page
    replacement = make_session(number="REMPLACE")
    replacement.replaces_jury_id = jury.id
    db.session.commit()
    assert "n'a pas pu siéger" not in page_of(organiser, session)
    assert "Remplace le Jury 1" in page_of(organiser, db.session.get(ExamSession, replacement.id))


def test_links_to_the_sitting_page_and_carence(app, organiser):
    session = make_session(status="convened", day=paris_today())
    jury = make_jury(session)
    exam = place(jury, make_candidate())
    page = page_of(organiser, session)
    assert f'href="/sessions/examens/{exam.id}"' in page
    assert f'href="/sessions/jurys/{jury.id}/carence"' in page


def test_no_carence_link_before_the_exam_day(app, organiser):
    session = make_session(status="convened")  # 60 days ahead
    jury = make_jury(session)
    place(jury, make_candidate())
    page = page_of(organiser, session)
    assert f'href="/sessions/jurys/{jury.id}/carence"' not in page
    assert "Déclarer une carence" not in page


def test_council_sees_the_missing_items_without_actions(app, council):
    session = make_session()
    jury = make_jury(session)
    place(jury, make_candidate())
    page = page_of(council, session)
    assert "Convocations des candidats : 1 à envoyer." in page
    assert "Envoyer les convocations" not in page
    assert "Retirer" not in page and "Déplacer" not in page.split("Jurys</h2>")[1]


def test_the_list_shows_status_and_counts(app, organiser):
    session = make_session(number="LISTE-1")
    jury = make_jury(session)
    place(jury, make_candidate())
    place(jury, make_candidate())
    make_session(number="VIDE")
    page = " ".join(text(organiser.get("/sessions/")).split())
    assert f'href="/sessions/{session.id}"' in page
    assert "En préparation" in page and "1 jury · 2 candidats" in page
    assert "aucun jury · aucun candidat" in page
    # Its live refresh asks for the same page.
    assert 'data-hx-get="/sessions/"' in page and 'data-hx-trigger="every 20s"' in page
