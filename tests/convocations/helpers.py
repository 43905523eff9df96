"""Shared by the convocation, outbox and portal tests: a session ready to convene,
and an SMTP server started by the test (fixtures re-exported by each conftest)."""
import socket
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from itertools import count

import pytest

from certif.auth.models import User
from certif.candidates.models import Candidate
from certif.extensions import db
from certif.jurors.models import JurorProfile
from certif.sessions.models import Exam, ExamSession, Jury, JuryMember
from certif.sessions.services import add_exam
from certif.timeutil import paris_to_utc

from ..factories import JUROR, ORGANISER, make_user, referential

_seq = count(1)
DAY = date.today() + timedelta(days=45)


def habilitated_juror(first_name: str, last_name: str) -> User:
    user = make_user(JUROR, first_name=first_name, last_name=last_name)
    db.session.add(JurorProfile(user=user, habilitation_result="favourable"))
    db.session.commit()
    return user


@dataclass
class Setup:
    session: ExamSession
    jury: Jury
    president: User
    member: User
    exams: list[Exam] = field(default_factory=list)

    @property
    def exam(self) -> Exam:
        return self.exams[0]


def make_session(code="RS6240", candidates=2, *, mode="remote",
                 video_link="https://visio.test/salle-rs", place=None, emails=True,
                 day=DAY, at=time(9, 0), technical_requirements=None) -> Setup:
    n = next(_seq)
    president = habilitated_juror("Paule", f"Presidente{n}")
    member = habilitated_juror("Marc", f"Membre{n}")
    session = ExamSession(number=f"CV-{n}", referential=referential(code),
                          starts_at=paris_to_utc(day, at), mode=mode, video_link=video_link,
                          place=place, technical_requirements=technical_requirements)
    jury = Jury(position=1, president=president)
    jury.members = [JuryMember(juror=president, seat=1), JuryMember(juror=member, seat=2)]
    session.juries.append(jury)
    db.session.add(session)
    db.session.flush()
    exams = []
    for i in range(candidates):
        person = Candidate(first_name="Alex", last_name=f"Durand{n}x{i}",
                           email=f"alex{n}.{i}@candidats.test" if emails else None,
                           address="3 allée des Lilas", postal_code="69003", city="Lyon")
        db.session.add(person)
        exams.append(add_exam(jury, person))
    db.session.commit()
    return Setup(session, jury, president, member, exams)


@pytest.fixture
def organiser(app):
    return make_user(ORGANISER, first_name="Olga", last_name="Organisatrice")


@pytest.fixture
def setup(app):
    return make_session()


@pytest.fixture
def staff(organiser, make_web):
    return make_web(organiser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """An aiosmtpd handler keeping every envelope it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on 127.0.0.1, with the app configured to send through it."""
    from aiosmtpd.controller import Controller
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_TIMEOUT=5)
    try:
        yield collector
    finally:
        controller.stop()
        app.config["MAIL_SERVER"] = None
