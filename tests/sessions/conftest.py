"""Helpers for the sessions tests: habilitated jurors, sessions, candidates, convocations."""
import html
from datetime import date, datetime, time, timedelta
from itertools import count

import pytest

from certif.candidates.models import Candidate
from certif.convocations.models import Convocation
from certif.extensions import db
from certif.jurors.models import JurorProfile
from certif.sessions.models import ExamSession, Jury, JuryMember
from certif.sessions.services import add_exam, latest_referentials
from certif.timeutil import paris_to_utc, to_paris, utcnow

from ..factories import COUNCIL, JUROR, ORGANISER, make_user, referential

_seq = count(1)
# A day comfortably ahead: sessions are created for days to come.
FUTURE = date.today() + timedelta(days=60)


def juror(first_name="Claire", last_name=None, result="favourable"):
    """A juror account with a habilitation decision ("pending": not decided; None: no profile)."""
    user = make_user(JUROR, first_name=first_name, last_name=last_name)
    if result is not None:
        db.session.add(JurorProfile(user=user, habilitation_result=None if result == "pending"
                                    else result))
        db.session.commit()
    return user


def candidate(first_name="Alex", last_name=None, extra_minutes=0, training_end=None):
    person = Candidate(first_name=first_name, last_name=last_name or f"Candidat{next(_seq)}",
                       extra_minutes=extra_minutes, training_end_date=training_end,
                       email=f"candidat{next(_seq)}@test.fr")
    db.session.add(person)
    db.session.commit()
    return person


def session_row(number=None, day=FUTURE, at=time(9, 0), status="draft", code="RS6240",
                mode="remote", video_link="https://visio.test/salle"):
    ref = next(r for r in latest_referentials() if r.code == code)
    session = ExamSession(number=number or f"T-{next(_seq)}", referential=ref,
                          starts_at=paris_to_utc(day, at), mode=mode, video_link=video_link,
                          status=status)
    db.session.add(session)
    db.session.commit()
    return session


def jury_row(session, first=None, second=None, president=None):
    first = first or juror(last_name=f"Une{next(_seq)}")
    second = second or juror(first_name="Karim", last_name=f"Deux{next(_seq)}")
    jury = Jury(position=len(session.juries) + 1, president=president or first)
    jury.members = [JuryMember(juror=first, seat=1), JuryMember(juror=second, seat=2)]
    session.juries.append(jury)
    db.session.commit()
    return jury


def place(jury, person):
    exam = add_exam(jury, person)
    db.session.commit()
    return exam


def convene(session, exam=None, juror_user=None):
    """Record a current convocation (as the convocations screens would)."""
    if exam is not None:
        row = Convocation(kind="candidate", session_id=session.id, exam_id=exam.id, channel="email",
                          announced_start=exam.starts_at, pdf_sha256="0" * 64)
    else:
        row = Convocation(kind="juror", session_id=session.id, juror_id=juror_user.id,
                          channel="email", announced_start=session.starts_at, pdf_sha256="0" * 64)
    db.session.add(row)
    db.session.commit()
    return row


def text(response) -> str:
    """The page's text as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def paris(value):
    """A stored UTC time as Paris "HH:MM"."""
    return to_paris(value).strftime("%H:%M")


@pytest.fixture
def organiser(make_web):
    """A logged-in organiser's client."""
    return make_web(make_user(ORGANISER))


@pytest.fixture
def organiser_user(app):
    """An organiser as a user, for service calls (the exception tests)."""
    return make_user(ORGANISER, first_name="Olivia")


@pytest.fixture
def web_org(organiser_user, make_web):
    """The same organiser (`organiser_user`) as a logged-in client."""
    return make_web(organiser_user)


@pytest.fixture
def council(make_web):
    return make_web(make_user(COUNCIL))


@pytest.fixture
def juror_web(make_web):
    return make_web(juror(last_name="Connecte"))


__all__ = ["FUTURE", "juror", "candidate", "session_row", "jury_row", "place", "convene", "paris", "text",
           "referential", "utcnow", "datetime"]
