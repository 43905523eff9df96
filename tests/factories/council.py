"""The council's rows: anomaly sheets, reviews, corrective actions, meetings.

They write rows directly: the services under test are exercised by the tests themselves,
not by their setup."""
from datetime import date, datetime

from certif.council.models import ADOPTED, AnomalySheet, CorrectiveAction, CouncilMeeting, CouncilReview
from certif.extensions import db


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
