"""Blocks validated at earlier attempts (RNCP title), recorded as signed minutes record them."""
from datetime import timedelta

from certif.database import write_transaction
from certif.extensions import db
from certif.grading.blocks.models import BlockValidation
from certif.grading.blocks.records import record_validations
from certif.grading.rules import UNFAVORABLE
from certif.sessions.models import CLOSED, Exam, ExamSession, Jury, JuryMember

from .sessions import make_exam


def validate_blocks(exam, codes) -> list[BlockValidation]:
    """The blocks `codes` validated by `exam` (as the signed minutes record them)."""
    titles = {b.code: b.title for b in exam.jury.session.referential.blocks}
    with write_transaction():
        rows = record_validations(None, exam, {c: titles[c] for c in codes})
    return rows


def previous_attempt(candidate, codes=("BC01", "BC02"), *, days_before=120, setup=None,
                     number=None) -> Exam:
    """A closed, unfavourable RNCP attempt of `candidate` held `days_before` days before
    `setup`'s session (or today's), which validated the blocks `codes`."""
    base = setup.session if setup is not None else make_exam("RNCP-CM").session
    jurors = [m.juror for m in base.juries[0].members]
    session = ExamSession(number=number or f"{base.number}-P{days_before}", referential=base.referential,
                          starts_at=base.starts_at - timedelta(days=days_before), status="closed")
    jury = Jury(position=1, president=jurors[0])
    jury.members = [JuryMember(juror=j, seat=i) for i, j in enumerate(jurors, start=1)]
    session.juries.append(jury)
    exam = Exam(candidate=candidate, duration_minutes=base.referential.exam_minutes,
                starts_at=session.starts_at, phase=CLOSED, decision=UNFAVORABLE,
                closed_at=session.starts_at + timedelta(hours=2), president_id=jurors[0].id)
    jury.exams.append(exam)
    db.session.add(session)
    db.session.commit()
    validate_blocks(exam, codes)
    return exam
