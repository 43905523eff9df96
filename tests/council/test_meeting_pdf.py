"""The minutes of a council meeting as a PDF: every section, with the values recorded."""
import io
from datetime import date

import pypdf

from certif.auth.models import COUNCIL
from certif.council.meetings import meeting_pdf
from certif.council.models import CouncilMeeting
from certif.extensions import db

from ..factories.council import make_action, make_anomaly, make_meeting, make_review
from ..factories.examday import make_breach_sheet
from ..factories.users import make_user


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def full_meeting(exam_setup, council_user) -> CouncilMeeting:
    other = make_user(COUNCIL, first_name="Manon", last_name="Garcia")
    sheet = make_anomaly(exam_setup.session, exam_setup.president)
    breach = make_breach_sheet(exam_setup.jury)
    meeting = make_meeting(held_on=date(2027, 1, 2), sessions=[exam_setup.session],
                           members=[council_user, other])
    meeting.place = "Locaux ALLOKOM, Paris"
    meeting.other_attendees = "Jean Dupont (référent handicap)"
    meeting.decisions = "Un test de connexion sera proposé la veille."
    meeting.programme_opinion = "Renforcer le module vidéo."
    meeting.certification_adjustments = "Ajouter TikTok aux réseaux étudiés."
    meeting.reviews = [make_review(anomaly=sheet), make_review(conditions=breach)]
    db.session.commit()
    make_action(meeting=meeting, owner=council_user, title="Tester la connexion la veille",
                due_on=date(2027, 2, 15))
    return meeting


def test_pdf_has_every_section_and_value(exam_setup, council_user):
    meeting = full_meeting(exam_setup, council_user)
    text = pdf_text(meeting_pdf(meeting))
    for expected in (
        "Compte rendu de réunion du conseil de pilotage", "ALLOKOM",
        "RS6240", "Réunion exceptionnelle", "2 janvier 2027", "Locaux ALLOKOM, Paris",
        # Members as on the pages: first name, then last name.
        "Membres du conseil présents", "Sylvie MOSCOU, Manon GARCIA",
        "Autres participants", "Jean Dupont (référent handicap)",
        "Sessions traitées", f"n° {exam_setup.session.number}", "1er décembre 2026",
        # Sheets told apart: number and reporter, or jury and day.
        "Fiches examinées", f"Fiche anomalie n° {meeting.reviews[0].anomaly_sheet_id} — Paule",
        "Conditions d'examen — Jury 1, 1er décembre 2026",
        "Décisions", "Un test de connexion sera proposé la veille.",
        "Actions correctives adoptées", "Tester la connexion la veille", "Sylvie MOSCOU",
        "15 février 2027", "Adoptée",
        "Avis sur les programmes d'enseignement", "Renforcer le module vidéo.",
        "Ajustements de la certification aux évolutions professionnelles",
        "Ajouter TikTok aux réseaux étudiés.",
        # 2 January is one day past the last day (1 January): held late.
        "tenue en retard", "1er janvier 2027",
    ):
        assert expected in text, expected


def test_pdf_route(exam_setup, council_user, make_web):
    meeting = full_meeting(exam_setup, council_user)
    response = make_web(council_user).get(f"/conseil/reunions/{meeting.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "reunion-conseil-exceptionnelle-2027-01-02.pdf" in response.headers["Content-Disposition"]
    assert "Tester la connexion la veille" in pdf_text(response.data)


def test_annual_meeting_pdf_without_sessions_names_the_certifications(app, council_user):
    meeting = make_meeting(kind="annual", held_on=date(2026, 6, 30), members=[council_user])
    text = pdf_text(meeting_pdf(meeting))
    assert "Réunion annuelle" in text and "30 juin 2026" in text
    assert "RS6240" in text and "Aucune fiche examinée." in text
    assert "Aucune action adoptée à cette réunion." in text and "tenue en retard" not in text

