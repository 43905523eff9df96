"""Exam-day rows: the attendance signatures (annexes 1 and 2) and the conditions sheet (annex 4)."""
from datetime import datetime

from certif.examday.models import ConditionAnswer, ConditionsSheet
from certif.extensions import db
from certif.signatures.models import CANDIDATE_ATTENDANCE, JURY_ATTENDANCE, Signature
from certif.signatures.rules import sha256_text


def _typed_signature(document, exam, key, role, name, **ids) -> Signature:
    content = f'{{"document": "{document}", "exam": {exam.id}, "signer": "{key}"}}'
    return Signature(document=document, subject_id=exam.id, signer_key=key, signer_role=role,
                     signer_name=name, method="typed", typed_name=name,
                     auth_method="login" if role == "juror" else "jury_device",
                     content=content, content_sha256=sha256_text(content), **ids)


def make_attendance(exam, jurors, *, candidate: bool = True) -> None:
    """`jurors` signed the jury's attendance sheet for `exam` (annex 2) and, with
    `candidate`, the candidate signed theirs (annex 1): rows, as the signing pages leave them.
    With the identity check, this is what opens the grid."""
    db.session.add_all(_typed_signature(JURY_ATTENDANCE, exam, f"user:{j.id}", "juror", j.full_name,
                                        user_id=j.id) for j in jurors)
    if candidate:
        db.session.add(_typed_signature(CANDIDATE_ATTENDANCE, exam, f"candidate:{exam.candidate_id}",
                                        "candidate", exam.candidate.full_name,
                                        candidate_id=exam.candidate_id))
    db.session.commit()


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
