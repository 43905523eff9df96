"""Sessions, juries and exams: an exam ready to grade (`make_exam`) and the rows it is made of."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import count

from certif.auth.models import User
from certif.candidates.models import Candidate
from certif.examday.models import IdentityCheck
from certif.extensions import db
from certif.jurors.models import ConflictDeclaration
from certif.referentials.models import Referential
from certif.referentials.services import layout
from certif.sessions.models import Exam, ExamSession, Jury, JuryMember
from certif.sessions.queries import latest_referentials
from certif.sessions.slots import add_exam
from certif.timeutil import paris_to_utc, paris_today

from .candidates import make_candidate
from .examday import make_attendance
from .jurors import make_juror

_seq = count(1)
# A day comfortably ahead: sessions are created for days to come.
FUTURE = date.today() + timedelta(days=60)


def referential(code: str) -> Referential:
    return db.session.scalar(db.select(Referential).filter_by(code=code))


# Seed 001 gives no RNCP number, level, decision nor dates (the file declares them unknown, which
# refuses the RNCP title's certificates and block attestations): the tests that grade it act as an
# administrator who filled them in. tests/certificates/test_mandatory_mentions.py empties them.
TEST_RNCP_REGISTRATION = {"number": "RNCP12345", "level": "5", "decree": "Décision de test",
                          "decided_on": "2024-01-10", "effective_from": "2024-01-11",
                          "ends_on": "2029-01-10"}
HOLDER_BIRTH_DATE = date(1995, 5, 17)


def registered_until(code: str, day: date | None) -> None:
    """The certification's registration ends on `day` (None: unknown) — sessions far ahead need
    a later end than the shipped file's (RS6240: 2028-01-25)."""
    ref = referential(code)
    ref.details = {**ref.details, "registration": {**ref.registration,
                                                   "ends_on": day.isoformat() if day else None}}
    db.session.commit()


def fill_rncp_registration(ref: Referential) -> None:
    if ref.registration_facts.needs_level and not ref.registration_facts.number:
        ref.details = {**ref.details, "registration": {**ref.registration, **TEST_RNCP_REGISTRATION}}


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
              declared: bool = True, identity_checked: bool = True,
              attendance_signed: bool | None = None) -> ExamSetup:
    """A session with one jury of two jurors and `candidates` exams, ready to grade.

    With `declared`, both jurors have already declared they do not know each
    candidate (no conflict of interest); with `identity_checked`, the jury has checked
    each candidate's identity; with `attendance_signed` (by default, as `identity_checked`)
    both jurors and the candidate signed the attendance sheets: grading is open. The jurors
    it creates are habilitated (favourable decision): grading refuses a juror who is not."""
    n = next(_seq)
    president = president or make_juror("Paule", f"Presidente{n}")
    member = member or make_juror("Marc", f"Membre{n}")
    ref = referential(code)
    fill_rncp_registration(ref)
    session = ExamSession(number=f"S-{n}", referential=ref, starts_at=datetime(2026, 12, 1, 8, 0))
    jury = Jury(position=1, president=president)
    jury.members = [JuryMember(juror=president, seat=1), JuryMember(juror=member, seat=2)]
    session.juries.append(jury)
    exams = []
    for i in range(candidates):
        candidate = Candidate(first_name="Alex", last_name=f"Candidat{n}-{i}",
                              birth_date=HOLDER_BIRTH_DATE)
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
    if identity_checked if attendance_signed is None else attendance_signed:
        for exam in exams:
            make_attendance(exam, (president, member))
    return ExamSetup(exams[0], president, member, jury, session)


def upcoming_exam(days=5, code="RS6240", candidates=1, training_end=None) -> ExamSetup:
    """make_exam, with the session `days` from today at 9:00 (Paris)."""
    setup = make_exam(code, candidates=candidates)
    start = paris_to_utc(paris_today() + timedelta(days=days), time(9, 0))
    setup.session.starts_at = start
    for i, exam in enumerate(setup.jury.exams):
        exam.starts_at = start + timedelta(minutes=30 * i)
        exam.candidate.training_end_date = training_end
    db.session.commit()
    return setup


def make_session(number=None, day=FUTURE, at=time(9, 0), status="draft", code="RS6240",
                 mode="remote", video_link="https://visio.test/salle", **fields) -> ExamSession:
    """A session of the latest `code` referential, without jury."""
    ref = next(r for r in latest_referentials() if r.code == code)
    session = ExamSession(number=number or f"T-{next(_seq)}", referential=ref,
                          starts_at=paris_to_utc(day, at), mode=mode, video_link=video_link,
                          status=status, **fields)
    db.session.add(session)
    db.session.commit()
    return session


def make_jury(session, first=None, second=None, president=None) -> Jury:
    """A jury of two habilitated jurors (new ones unless given) added to `session`."""
    first = first or make_juror(last_name=f"Une{next(_seq)}")
    second = second or make_juror(first_name="Karim", last_name=f"Deux{next(_seq)}")
    jury = Jury(position=len(session.juries) + 1, president=president or first)
    jury.members = [JuryMember(juror=first, seat=1), JuryMember(juror=second, seat=2)]
    session.juries.append(jury)
    db.session.commit()
    return jury


def open_session(days, code="RS6240", number=None, status="draft") -> ExamSession:
    """A session `days` from today at 14:00 (Paris) with one jury of two habilitated jurors
    and no candidate."""
    first, second = make_juror("Jeanne"), make_juror("Hugo")
    session = ExamSession(number=number or f"AUTRE-{first.id}", referential=referential(code),
                          starts_at=paris_to_utc(paris_today() + timedelta(days=days), time(14, 0)),
                          status=status)
    jury = Jury(position=1, president=first)
    jury.members = [JuryMember(juror=first, seat=1), JuryMember(juror=second, seat=2)]
    session.juries.append(jury)
    db.session.add(session)
    db.session.commit()
    return session


def place(jury, person=None) -> Exam:
    """The exam of `person` (a new candidate unless given) in `jury`, placed as the service does."""
    exam = add_exam(jury, person or make_candidate())
    db.session.commit()
    return exam
