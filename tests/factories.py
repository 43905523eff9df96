"""Small factories for tests: users, and an exam ready to grade (CTFd style)."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count

from werkzeug.security import generate_password_hash

from certif.auth.models import COUNCIL, JUROR, ORGANISER, User
from certif.candidates.models import Candidate
from certif.examday.models import IdentityCheck
from certif.extensions import db
from certif.jurors.models import FAVOURABLE, ConflictDeclaration, JurorProfile
from certif.referentials.models import Referential
from certif.referentials.services import layout
from certif.sessions.models import Exam, ExamSession, Jury, JuryMember

PASSWORD = "motdepasse-test"
# Hashed once, cheaply: the production hash (scrypt) would dominate the suite's time.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_seq = count(1)


def make_user(*roles: str, first_name="Camille", last_name=None) -> User:
    n = next(_seq)
    user = User(email=f"user{n}@test.fr", first_name=first_name, last_name=last_name or f"Test{n}")
    user.password_hash = PASSWORD_HASH
    for role in roles or (JUROR,):
        user.grant(role)
    db.session.add(user)
    db.session.commit()
    return user


def make_juror(first_name="Camille", last_name=None, result: str | None = FAVOURABLE) -> User:
    """A juror with a habilitation profile: favourable unless told (None: still pending)."""
    user = make_user(JUROR, first_name=first_name, last_name=last_name)
    user.juror_profile = JurorProfile(habilitation_result=result)
    db.session.commit()
    return user


def referential(code: str) -> Referential:
    return db.session.scalar(db.select(Referential).filter_by(code=code))


@dataclass
class ExamSetup:
    exam: Exam
    president: User
    member: User
    jury: Jury
    session: ExamSession

    @property
    def layout(self):
        return layout(self.session.referential_id)

    @property
    def criteria(self):
        """Criterion ids in grid order."""
        return list(self.layout.scheme.criteria)


def make_exam(code: str = "RS6240", president=None, member=None, candidates: int = 1,
              declared: bool = True, identity_checked: bool = True) -> ExamSetup:
    """A session with one jury of two jurors and `candidates` exams, ready to grade.

    With `declared`, both jurors have already declared they do not know each
    candidate (no conflict of interest); with `identity_checked`, the jury has checked
    each candidate's identity: grading is open. The jurors it creates are
    habilitated (favourable decision): grading refuses a juror who is not."""
    n = next(_seq)
    president = president or make_juror("Paule", f"Presidente{n}")
    member = member or make_juror("Marc", f"Membre{n}")
    ref = referential(code)
    session = ExamSession(number=f"S-{n}", referential=ref, starts_at=datetime(2026, 12, 1, 8, 0))
    jury = Jury(position=1, president=president)
    jury.members = [JuryMember(juror=president, seat=1), JuryMember(juror=member, seat=2)]
    session.juries.append(jury)
    exams = []
    for i in range(candidates):
        candidate = Candidate(first_name="Alex", last_name=f"Candidat{n}-{i}")
        exams.append(Exam(candidate=candidate, duration_minutes=ref.exam_minutes,
                          starts_at=session.starts_at + timedelta(minutes=30 * i)))
    jury.exams.extend(exams)
    if declared:
        db.session.add_all(ConflictDeclaration(exam=exam, juror=juror, has_conflict=False)
                           for exam in exams for juror in (president, member))
    if identity_checked:
        db.session.add_all(IdentityCheck(exam=exam, document_type="cni", convocation_checked=True,
                                         mode="camera", checked_by=president) for exam in exams)
    db.session.add(session)
    db.session.commit()
    return ExamSetup(exams[0], president, member, jury, session)


__all__ = ["make_user", "make_juror", "make_exam", "ExamSetup", "PASSWORD", "JUROR", "ORGANISER", "COUNCIL"]


def mails_to(address: str):
    """Messages certif sent to `address`, oldest first (outbox rows)."""
    from certif.mail.models import OutgoingMail
    return db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.recipients.contains(address))
                              .order_by(OutgoingMail.id)).all()


def last_link_to(address: str, path_part: str) -> str:
    """The last link containing `path_part` in the latest message sent to `address`."""
    import re
    from email import message_from_bytes, policy

    from certif.mail.services import read_eml
    mails = mails_to(address)
    assert mails, f"no message sent to {address}"
    message = message_from_bytes(read_eml(mails[-1]), policy=policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    links = [link for link in re.findall(r"https?://\S+", body) if path_part in link]
    assert links, f"no link with {path_part!r} in: {body}"
    return links[-1]
