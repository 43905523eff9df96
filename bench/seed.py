"""A fresh SQLite database for the benchmark: referentials, 20 juries of 2 jurors, N candidates.

Built through the real migrations and models (as `flask setup` and the tests do),
so the schema, indexes and constraints are the ones production runs with.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from certif import create_app
from certif.auth.models import JUROR, User
from certif.candidates.models import Candidate
from certif.examday.models import IdentityCheck
from certif.extensions import db
from certif.jurors.models import ConflictDeclaration, JurorHabilitation, JurorProfile
from certif.referentials.models import Referential
from certif.referentials.services import import_all, layout
from certif.sessions.models import Exam, ExamSession, Jury, JuryMember
from certif.signatures.models import CANDIDATE_ATTENDANCE, JURY_ATTENDANCE, Signature
from certif.signatures.rules import sha256_text

PASSWORD = "bench-mot-de-passe"
REFERENTIAL = "RS6240"
JURIES = 20


@dataclass
class JurorInfo:
    id: int
    email: str
    jury: int  # 0-based jury index
    president: bool


@dataclass
class Seeded:
    path: Path
    candidates: int
    jurors: list[JurorInfo] = field(default_factory=list)
    exams_by_jury: list[list[int]] = field(default_factory=list)  # exam ids, slot order
    criteria: list[int] = field(default_factory=list)  # criterion ids, grid order


def app_for(path: Path, **overrides):
    return create_app(None, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", **overrides)


def seed(path: Path, candidates: int, juries: int = JURIES) -> Seeded:
    """Create and fill the database at `path`; candidates go round-robin over the juries."""
    app = app_for(path)
    out = Seeded(path=Path(path), candidates=candidates)
    with app.app_context():
        logging.disable(logging.INFO)  # alembic's "Running upgrade ..." lines
        try:
            upgrade()
        finally:
            logging.disable(logging.NOTSET)
        import_all()
        ref = db.session.scalar(db.select(Referential).filter_by(code=REFERENTIAL)
                                .order_by(Referential.version.desc()))
        # One scrypt hash for everyone: hashing 40 times would only slow the seeding.
        password_hash = generate_password_hash(PASSWORD)
        jurors = []
        for i in range(juries * 2):
            user = User(email=f"jure{i + 1:02d}@bench.test", first_name="Juré",
                        last_name=f"Bench{i + 1:02d}", password_hash=password_hash)
            user.grant(JUROR)
            user.juror_profile = JurorProfile(profession="Community manager", years_experience=8,
                                              external=True)
            user.juror_habilitations = [JurorHabilitation(referential_code=ref.code,
                                                          result="favourable")]
            jurors.append(user)
        db.session.add_all(jurors)
        starts = datetime(2026, 12, 1, 8, 0)
        session = ExamSession(number="BENCH-RS6240-01", referential=ref, mode="remote",
                              starts_at=starts, status="convened")
        db.session.add(session)
        jury_rows = []
        for j in range(juries):
            president, member = jurors[2 * j], jurors[2 * j + 1]
            jury = Jury(position=j + 1, president=president)
            jury.members = [JuryMember(juror=president, seat=1), JuryMember(juror=member, seat=2)]
            session.juries.append(jury)
            jury_rows.append(jury)
        end = date.today() - timedelta(days=20)
        for c in range(candidates):
            candidate = Candidate(first_name="Candidat", last_name=f"Bench{c + 1:04d}",
                                  email=f"candidat{c + 1:04d}@bench.test", training_end_date=end)
            jury = jury_rows[c % juries]
            slot = c // juries
            exam = Exam(candidate=candidate, duration_minutes=ref.exam_minutes, position=slot + 1,
                        starts_at=starts + timedelta(minutes=slot * ref.exam_minutes))
            jury.exams.append(exam)
            # Both jurors declared they do not know the candidate, and the jury checked
            # the candidate's identity: grading is open.
            db.session.add_all(ConflictDeclaration(exam=exam, juror=m.juror, has_conflict=False)
                               for m in jury.members)
            db.session.add(IdentityCheck(exam=exam, document_type="cni", convocation_checked=True,
                                         mode="camera", checked_by=president))
        db.session.commit()
        # Both jurors and the candidate signed the attendance sheets (annexes 1 and 2):
        # with the identity check, this is what opens the grid.
        db.session.add_all(signature for jury in jury_rows for exam in jury.exams
                           for signature in _attendance(exam, jury))
        db.session.commit()
        for i, user in enumerate(jurors):
            out.jurors.append(JurorInfo(user.id, user.email, i // 2, i % 2 == 0))
        for jury in jury_rows:
            out.exams_by_jury.append([e.id for e in sorted(jury.exams, key=lambda e: e.starts_at)])
        out.criteria = list(layout(ref.id).scheme.criteria)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return out


def _signed(document, exam, key, role, name, **ids) -> Signature:
    content = f'{{"document": "{document}", "exam": {exam.id}, "signer": "{key}"}}'
    return Signature(document=document, subject_id=exam.id, signer_key=key, signer_role=role,
                     signer_name=name, method="typed", typed_name=name,
                     auth_method="login" if role == "juror" else "jury_device",
                     content=content, content_sha256=sha256_text(content), **ids)


def _attendance(exam, jury) -> list[Signature]:
    jurors = [m.juror for m in jury.members]
    return [*(_signed(JURY_ATTENDANCE, exam, f"user:{j.id}", "juror", j.full_name, user_id=j.id)
              for j in jurors),
            _signed(CANDIDATE_ATTENDANCE, exam, f"candidate:{exam.candidate_id}", "candidate",
                    exam.candidate.full_name, candidate_id=exam.candidate_id)]
