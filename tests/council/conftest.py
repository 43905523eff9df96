"""Factories for the council's tests: sheets that reach the council, reviews, actions.

They write rows directly (as `tests/factories.py` does): the services under test are
exercised by the tests themselves, not by their setup.
"""
from datetime import date, datetime

import pytest

from certif.council.models import ADOPTED, AnomalySheet, CorrectiveAction, CouncilMeeting, CouncilReview
from certif.examday.models import ConditionAnswer, ConditionsSheet
from certif.extensions import db

from ..factories import COUNCIL, ORGANISER, make_exam, make_user


def make_anomaly(session, reporter, *, kind="juror", observed_on=None, anomaly_type="technical",
                 description="La connexion du candidat a coupé pendant 5 minutes.",
                 consequence="Épreuve reprise avec 5 minutes de plus.", causes="Réseau du candidat.",
                 filed_at=None) -> AnomalySheet:
    """An anomaly sheet on `session`; `reporter` is a User, or a Candidate when kind="candidate"."""
    sheet = AnomalySheet(session=session, observed_on=observed_on or session.starts_at.date(),
                         reporter_kind=kind, observed_by=reporter.full_name,
                         anomaly_type=anomaly_type, description=description,
                         consequence=consequence, causes=causes,
                         filed_at=filed_at or datetime(2026, 12, 1, 12, 0))
    if kind == "candidate":
        sheet.reporter_candidate = reporter
    else:
        sheet.reporter_user = reporter
    db.session.add(sheet)
    db.session.commit()
    return sheet


def make_breach_sheet(jury, *, day=None, handed=True, breached=(11,),
                      observations="Le candidat a eu 5 minutes de moins.") -> ConditionsSheet:
    """A conditions sheet (annex 4) with the given conditions (1..12) not respected."""
    sheet = ConditionsSheet(jury=jury, day=day or jury.session.starts_at.date(),
                            observations=observations, has_breach=bool(breached),
                            handed_at=datetime(2026, 12, 1, 18, 0) if handed else None)
    sheet.answers = [ConditionAnswer(position=p, respected=p not in breached) for p in range(1, 13)]
    db.session.add(sheet)
    db.session.commit()
    return sheet


def make_review(*, anomaly=None, conditions=None, signed=False, closed=False,
                commission="2026-01") -> CouncilReview:
    review = CouncilReview(anomaly_sheet=anomaly, conditions_sheet=conditions,
                           opinion_date=date(2026, 12, 5), commission_number=commission,
                           opinion="Anomalie technique, à prévenir.")
    if signed:
        review.opinion_signed_at = datetime(2026, 12, 5, 10, 0)
    if closed:
        review.closed_at = datetime(2026, 12, 20, 10, 0)
    db.session.add(review)
    db.session.commit()
    return review


def make_action(review=None, *, owner=None, status=ADOPTED, due_on=date(2026, 12, 31),
                title="Envoyer un test de connexion aux candidats la veille", meeting=None,
                adopted_at=datetime(2026, 12, 5, 10, 0), verified_at=None,
                evidence_text=None) -> CorrectiveAction:
    action = CorrectiveAction(review=review, meeting=meeting, title=title, owner=owner,
                              owner_name=owner.full_name if owner else "Service informatique",
                              due_on=due_on, status=status,
                              adopted_at=adopted_at if status != "proposed" else None,
                              verified_at=verified_at, evidence_text=evidence_text)
    db.session.add(action)
    db.session.commit()
    return action


def make_meeting(kind="exceptional", held_on=date(2026, 12, 15), sessions=(), members=()) -> CouncilMeeting:
    meeting = CouncilMeeting(kind=kind, held_on=held_on, decisions="Actions adoptées.")
    meeting.sessions = list(sessions)
    meeting.members = list(members)
    db.session.add(meeting)
    db.session.commit()
    return meeting


# The day the council's page tests run on (Paris), nine days after exam_setup's session.
COUNCIL_DAY = date(2026, 12, 10)
SMALL_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def fixed_today(monkeypatch):
    """Paris "today" for the services: COUNCIL_DAY (use with pytest.mark.usefixtures)."""
    monkeypatch.setattr("certif.sessions.exceptions.paris_today", lambda: COUNCIL_DAY)
    return COUNCIL_DAY


@pytest.fixture
def council_member(app):
    return make_user(COUNCIL, first_name="Sylvie", last_name="Moscou")


@pytest.fixture
def organiser(app):
    return make_user(ORGANISER, first_name="Sephora", last_name="Labi")


@pytest.fixture
def exam_setup(app):
    """A session (1 December 2026) with one jury of two jurors and one candidate."""
    return make_exam()


@pytest.fixture
def council_web(make_web, council_member):
    return make_web(council_member)


@pytest.fixture
def sheet(exam_setup):
    """An anomaly sheet filed by exam_setup's president."""
    return make_anomaly(exam_setup.session, exam_setup.president)
