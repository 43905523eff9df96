"""The minutes' PDFs as they are served: who may read them, their file names, and the
sealed copies once the visa is given.

The general minutes are sealed at the visa (`operations.visa`). The individual
minutes and grids are sealed on their first download after the visa and kept
(SEALED_INDIVIDUAL, SEALED_GRID): sealing one PDF per candidate at the visa would
make the organiser wait for every candidate of the session, while most of these
documents are only fetched later, one at a time (results, archive). The content
they show is frozen anyway, so sealing later changes nothing in what they say.
"""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..auth.models import ORGANISER
from ..database import get_row, write_transaction
from ..documents.models import SEALED_GRID, SEALED_INDIVIDUAL, SEALED_MINUTES, SealedDocument
from ..documents.seal import seal_pdf
from ..documents.sealed import read_sealed, store_sealed
from ..errors import Conflict, NotFound
from ..extensions import db
from ..people import of
from ..sessions.models import CLOSED, Exam, ExamSession, JuryMember
from ..text import slug
from . import pdfs
from .queries import minutes_of
from .state import may_read, minutes_state

MSG_NO_GRID_YET = ("La grille finale n'est disponible qu'une fois la délibération close pour ce "
                   "candidat.")
MSG_NO_EXAM = "Passage introuvable."


def general_filename(session: ExamSession) -> str:
    return f"proces-verbal-session-{session.number}.pdf"


def exam_for_viewer(user, exam_id: int, *, grid: bool = False) -> Exam:
    """An exam the viewer may read: the organiser, or a juror of the exam's own jury (a juror
    of another jury of the session signs the general minutes, not this candidate's papers)."""
    exam = get_row(Exam, exam_id, MSG_NO_EXAM)
    if not user.has_role(ORGANISER) and not _sits_on(user, exam.jury_id):
        raise NotFound(MSG_NO_EXAM)
    if grid and exam.phase != CLOSED and not user.has_role(ORGANISER):
        raise Conflict(MSG_NO_GRID_YET)
    return exam


def _sits_on(user, jury_id: int) -> bool:
    return db.session.scalar(db.select(JuryMember.id).filter_by(jury_id=jury_id, juror_id=user.id)
                             .limit(1)) is not None


def session_for_viewer(user, session_id: int) -> ExamSession:
    session = db.session.get(ExamSession, session_id)
    if session is None or not may_read(user, session):
        raise NotFound("Session introuvable.")
    return session


def individual_filename(exam: Exam) -> str:
    return f"proces-verbal-individuel-{exam.jury.session.number}-{_candidate_slug(exam)}.pdf"


def grid_filename(exam: Exam) -> str:
    return f"grille-evaluation-{exam.jury.session.number}-{_candidate_slug(exam)}.pdf"


def _candidate_slug(exam: Exam) -> str:
    return slug(exam.candidate.full_name, fallback="candidat")


def general_minutes_pdf(session: ExamSession) -> bytes:
    """The general minutes as they stand (a draft until the first signature)."""
    return pdfs.render_general(minutes_state(session.id))


def individual_minutes_pdf(exam: Exam) -> bytes:
    return pdfs.render_individual(minutes_state(exam.jury.session_id), exam)


def grid_pdf(exam: Exam) -> bytes:
    return pdfs.render_grid(minutes_state(exam.jury.session_id), exam)


def general_document(session: ExamSession) -> tuple[str, bytes]:
    """The sealed general minutes once the visa is given, else the document as it stands."""
    minutes = minutes_of(session.id)
    if minutes is not None and minutes.visa_at is not None:
        found = read_sealed(SEALED_MINUTES, session.id)
        if found is not None:
            return found
    return general_filename(session), general_minutes_pdf(session)


def individual_document(exam: Exam) -> tuple[str, bytes]:
    return _sealed_after_visa(SEALED_INDIVIDUAL, exam, individual_filename(exam),
                              lambda: individual_minutes_pdf(exam),
                              f"Procès-verbal individuel {of(exam.candidate.full_name)}, session "
                              f"n° {exam.jury.session.number}")


def grid_document(exam: Exam) -> tuple[str, bytes]:
    return _sealed_after_visa(SEALED_GRID, exam, grid_filename(exam), lambda: grid_pdf(exam),
                              f"Grille d'évaluation {of(exam.candidate.full_name)}, session "
                              f"n° {exam.jury.session.number}")


def exam_documents(exam: Exam) -> list[tuple[str, bytes]]:
    """The candidate's individual minutes and grid: sealed once the visa is given, else drafts.
    None for a candidate who did not sit (absent, moved, or before a stopped jury)."""
    if not exam.sits:
        return []
    return [individual_document(exam), grid_document(exam)]


def _sealed_after_visa(kind: str, exam: Exam, filename: str, build, reason: str) -> tuple[str, bytes]:
    minutes = minutes_of(exam.jury.session_id)
    if minutes is None or minutes.visa_at is None:
        return filename, build()
    found = read_sealed(kind, exam.id)
    if found is not None:
        return found
    sealed = seal_pdf(build(), reason=reason)  # outside the write transaction: it takes time

    def store():
        if db.session.scalar(db.select(SealedDocument.id).filter_by(kind=kind, subject_id=exam.id)):
            return  # sealed meanwhile by another download: keep the first
        try:
            with db.session.begin_nested():
                store_sealed(kind, exam.id, filename, sealed)
        except IntegrityError:
            pass
    if db.session.info.get("in_write_transaction"):
        store()
    else:
        with write_transaction():
            store()
    return read_sealed(kind, exam.id) or (filename, sealed)
