"""PDF timings for `make bench`: the general minutes of a 30-candidate session, and one grid.

The session is seeded directly in the database (as bench/seed.py does): 30 candidates
over 2 juries, every deliberation closed with both jurors' complete grids, so the
documents carry every candidate's final result. The minutes are not signed: the PDFs
are the drafts, which render the same content as the final documents.
"""
from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from . import seed as seeding

MINUTES_CANDIDATES = 30
MINUTES_JURIES = 2
RUNS = 3  # best of: the first render also pays for imports and font loading


def _close_every_deliberation(path: Path) -> None:
    from certif.extensions import db
    from certif.grading.models import Grid, Mark
    from certif.grading.rules import FAVORABLE
    from certif.referentials.services import layout
    from certif.sessions.models import CLOSED, Exam

    app = seeding.app_for(path)
    with app.app_context():
        exams = list(db.session.scalars(db.select(Exam)))
        criteria = None
        for exam in exams:
            if criteria is None:
                criteria = list(layout(exam.jury.session.referential_id).scheme.criteria)
            for member in exam.jury.members:
                grid = Grid(exam_id=exam.id, juror_id=member.juror_id)
                db.session.add(grid)
                db.session.flush()
                db.session.add_all(Mark(grid_id=grid.id, criterion_id=c, value=True) for c in criteria)
            exam.phase = CLOSED
            exam.president_id = exam.jury.president_id
            exam.deliberation_opened_at = exam.starts_at + timedelta(minutes=45)
            exam.closed_at = exam.starts_at + timedelta(minutes=55)
            exam.closed_by_id = exam.jury.president_id
            exam.decision = FAVORABLE
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _best_ms(build) -> float:
    best = float("inf")
    for _ in range(RUNS):
        began = time.perf_counter()
        data = build()
        best = min(best, (time.perf_counter() - began) * 1000)
        assert data.startswith(b"%PDF-")
    return best


def pdf_timings(workdir: Path) -> dict:
    """{"minutes_pdf_30_ms": ..., "grid_pdf_ms": ...}, best of RUNS renders each."""
    from certif.extensions import db
    from certif.minutes.documents import general_minutes_pdf, grid_pdf
    from certif.sessions.models import Exam, ExamSession

    path = workdir / "pdfs.db"
    seeding.seed(path, MINUTES_CANDIDATES, juries=MINUTES_JURIES)
    _close_every_deliberation(path)
    app = seeding.app_for(path, FILES_DIR=str(workdir / "pdf-files"), SERVER_NAME="bench.test")
    with app.app_context(), app.test_request_context():
        session = db.session.scalar(db.select(ExamSession))
        exam = db.session.scalar(db.select(Exam).order_by(Exam.id))
        figures = {"minutes_pdf_30_ms": _best_ms(lambda: general_minutes_pdf(session)),
                   "grid_pdf_ms": _best_ms(lambda: grid_pdf(exam))}
        db.session.remove()
        db.engine.dispose()
    return figures


if __name__ == "__main__":
    import shutil
    import tempfile
    folder = Path(tempfile.mkdtemp(prefix="certif-bench-pdf-"))
    try:
        print(pdf_timings(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
