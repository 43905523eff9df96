"""Read-only lookups of a session's minutes: the row, who signs, the final
grids of the closed deliberations, what remains before signing."""
from __future__ import annotations

from ..auth.models import User
from ..extensions import db
from ..grading import rules
from ..grading.models import DeliberationMark, Grid, Mark
from ..people import of
from ..referentials.services import Layout
from ..sessions.jurors import conflicts_for_exams
from ..sessions.models import CANCELLED, CLOSED, Exam, ExamSession, Jury
from ..sessions.queries import sitting_juries
from .models import MEMBER, PRESIDENT, Minutes


def minutes_of(session_id: int) -> Minutes | None:
    return db.session.scalar(db.select(Minutes).where(Minutes.session_id == session_id))


def jurors_of(jury: Jury) -> list[User]:
    """The jury's president first, then the other juror."""
    return sorted((m.juror for m in jury.members), key=lambda u: (u.id != jury.president_id, u.id))


def signers(session: ExamSession) -> list[tuple[User, str]]:
    """Who signs the minutes, and as what (decision): the president of the first sitting jury
    presides the session; every other juror of the sitting juries signs as a member."""
    result, seen = [], set()
    for index, jury in enumerate(sitting_juries(session)):
        for juror in jurors_of(jury):
            if juror.id in seen:
                continue
            seen.add(juror.id)
            role = PRESIDENT if index == 0 and juror.id == jury.president_id else MEMBER
            result.append((juror, role))
    return result


def final_grids(exams: list[Exam], lay: Layout) -> dict[int, dict[int, bool | None]]:
    """Final values (criterion id -> value) of the closed deliberations, read only.

    Same rule as the deliberation (grading.services): the agreed value, else the
    president's casting vote, unless the jury recorded another. Two queries in all.
    """
    closed = [e for e in exams if e.phase == CLOSED]
    if not closed:
        return {}
    ids = [e.id for e in closed]
    marks: dict[tuple[int, int], dict[int, bool]] = {}
    for exam_id, juror_id, criterion_id, value in db.session.execute(
            db.select(Grid.exam_id, Grid.juror_id, Mark.criterion_id, Mark.value)
            .join(Mark, Mark.grid_id == Grid.id).where(Grid.exam_id.in_(ids))):
        marks.setdefault((exam_id, juror_id), {})[criterion_id] = value
    jury_marks: dict[int, dict[int, bool]] = {}
    for exam_id, criterion_id, value in db.session.execute(
            db.select(DeliberationMark.exam_id, DeliberationMark.criterion_id, DeliberationMark.value)
            .where(DeliberationMark.exam_id.in_(ids))):
        jury_marks.setdefault(exam_id, {})[criterion_id] = value
    finals = {}
    for exam in closed:
        president_id = exam.president_id or exam.jury.president_id
        other_id = next((m.juror_id for m in exam.jury.members if m.juror_id != president_id), None)
        merged = rules.merge_grids(lay.scheme.criteria, marks.get((exam.id, president_id), {}),
                                   marks.get((exam.id, other_id), {}), jury_marks.get(exam.id, {}))
        finals[exam.id] = rules.final_values(merged)
    return finals


def sign_problems(session: ExamSession, exams: list[Exam]) -> list[str]:
    """What remains before the minutes can be signed (French), empty when nothing."""
    problems = []
    if session.status == CANCELLED:
        problems.append("la session est annulée")
    for exam in exams:
        if exam.phase != CLOSED:
            problems.append(f"la délibération {of(exam.candidate.full_name)} ({exam.jury.label}) "
                            "n'est pas close")
    conflicts = conflicts_for_exams([e.id for e in exams]) if exams else {}
    for exam in exams:
        for declaration in conflicts.get(exam.id, []):
            problems.append(f"{declaration.juror.full_name} a déclaré connaître "
                            f"{exam.candidate.full_name} : le responsable d'organisation doit "
                            "confier ce candidat à un autre jury")
    return problems
