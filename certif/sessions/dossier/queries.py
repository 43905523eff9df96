"""The candidate's file as a sitting sees it: its deadline (the session's day minus the
referential's days, or the organiser's extension) and each required piece's state. Read-only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...candidates.dossier import rules
from ...candidates.dossier.models import CandidateFile, FileEntry
from ...extensions import db
from ...referentials.deliverables import Deliverables
from ...timeutil import paris_day
from ..models import SCHEDULED, Exam, ExamSession, Jury

SUMMARY_KIND = "text"


def file_of(candidate_id: int, certification: str) -> CandidateFile | None:
    return db.session.scalar(db.select(CandidateFile).filter_by(
        candidate_id=candidate_id, certification=certification))


def asks_for_file(session: ExamSession) -> bool:
    """Whether the session's referential declares pieces (RS6240 declares none)."""
    return bool(session.referential.deliverables.pieces)


def due_of(session: ExamSession) -> date | None:
    """The referential's deadline for this session (None when it asks for no file)."""
    deliverables = session.referential.deliverables
    if not deliverables.pieces or deliverables.due_days_before is None:
        return None
    return rules.due_date(paris_day(session.starts_at), deliverables.due_days_before)


@dataclass
class FileView:
    """One sitting's file: what is required, in which state, and its history."""

    exam: Exam
    deliverables: Deliverables
    file: CandidateFile | None
    due: date
    current: dict[str, FileEntry]
    statuses: list[rules.PieceStatus]

    @property
    def session(self) -> ExamSession:
        return self.exam.jury.session

    @property
    def last_day(self) -> date:
        return rules.last_day(self.due, self.file.extended_until if self.file else None)

    @property
    def extended(self) -> bool:
        return self.last_day > self.due

    @property
    def state(self) -> str:
        return rules.overall(self.statuses)

    @property
    def state_label(self) -> str:
        return rules.OVERALL[self.state]

    @property
    def missing(self) -> list[rules.PieceStatus]:
        return [s for s in self.statuses if s.state != rules.PRESENT]

    @property
    def summary_words(self) -> int | None:
        """The summary's word count, None before any summary."""
        entry = next((self.current.get(p.key) for p in self.deliverables.pieces
                      if p.kind == SUMMARY_KIND), None)
        return rules.word_count(entry.value) if entry is not None else None

    @property
    def plan_checked(self) -> set[int]:
        return set(self.file.plan_checked or []) if self.file else set()

    @property
    def confidential(self) -> bool:
        """Whether a required yes/no piece declared `confidentiality` was answered yes."""
        return any(s.piece.confidentiality and self.current.get(s.piece.key) is not None
                   and self.current[s.piece.key].value == rules.YES for s in self.statuses)

    def history(self, key: str) -> list[FileEntry]:
        """Every version of a piece, newest first."""
        if self.file is None:
            return []
        return sorted((e for e in self.file.entries if e.piece == key),
                      key=lambda e: (e.submitted_at, e.id), reverse=True)

    def entry(self, entry_id: int) -> FileEntry | None:
        if self.file is None:
            return None
        return next((e for e in self.file.entries if e.id == entry_id), None)


def file_view(exam: Exam, file: CandidateFile | None = None, *, lookup: bool = True) -> FileView | None:
    """The sitting's file, or None when its referential asks for none."""
    session = exam.jury.session
    due = due_of(session)
    if due is None:
        return None
    if file is None and lookup:
        file = file_of(exam.candidate_id, session.referential.code)
    deliverables = session.referential.deliverables
    current = file.current() if file else {}
    answers = rules.answers_of({k: e.value for k, e in current.items()})
    required = rules.required_pieces(deliverables, exam.candidate.pathway, answers)
    submitted = {k: paris_day(e.submitted_at) for k, e in current.items()}
    last = rules.last_day(due, file.extended_until if file else None)
    return FileView(exam, deliverables, file, due, current, rules.statuses(required, submitted, last))


def session_files(session: ExamSession) -> list[FileView]:
    """Every sitting candidate's file in the session (two queries whatever the size)."""
    if due_of(session) is None:
        return []
    exams = db.session.scalars(
        db.select(Exam).join(Jury).where(Jury.session_id == session.id, Exam.status == SCHEDULED)
        .order_by(Jury.position, Exam.position)).all()
    files = {f.candidate_id: f for f in db.session.scalars(
        db.select(CandidateFile).where(
            CandidateFile.certification == session.referential.code,
            CandidateFile.candidate_id.in_([e.candidate_id for e in exams]))
        .options(db.selectinload(CandidateFile.entries)))}
    return [file_view(e, files.get(e.candidate_id), lookup=False) for e in exams]
