"""Convocations, and a session ready to convene (candidates with postal and e-mail addresses)."""
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from itertools import count

from certif.auth.models import User
from certif.candidates.models import Candidate
from certif.convocations.models import Convocation
from certif.extensions import db
from certif.sessions.models import Exam, ExamSession, Jury, JuryMember
from certif.sessions.slots import add_exam
from certif.timeutil import paris_to_utc

from .jurors import make_juror
from .sessions import referential

_seq = count(1)
DAY = date.today() + timedelta(days=45)


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


def make_session_to_convene(code="RS6240", candidates=2, *, mode="remote",
                            video_link="https://visio.test/salle-rs", place=None, emails=True,
                            day=DAY, at=time(9, 0), technical_requirements=None) -> Setup:
    n = next(_seq)
    president = make_juror("Paule", f"Presidente{n}")
    member = make_juror("Marc", f"Membre{n}")
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


def make_convocation(session, exam=None, juror_user=None) -> Convocation:
    """A current convocation of the candidate of `exam`, or else of `juror_user` (as the
    convocations screens would record it)."""
    if exam is not None:
        row = Convocation(kind="candidate", session_id=session.id, exam_id=exam.id, channel="email",
                          announced_start=exam.starts_at, pdf_sha256="0" * 64)
    else:
        row = Convocation(kind="juror", session_id=session.id, juror_id=juror_user.id,
                          channel="email", announced_start=session.starts_at, pdf_sha256="0" * 64)
    db.session.add(row)
    db.session.commit()
    return row
