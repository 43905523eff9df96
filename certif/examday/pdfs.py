"""Annexes 1 and 2 of seed 000 as PDFs, filled with the signatures given in certif."""
from __future__ import annotations

from ..documents.pdf import render_pdf
from ..sessions.models import Exam, Jury
from ..text import slug
from ..timeutil import to_paris
from .pages import attendance_rows, jury_attendance


def candidate_attendance_pdf(exams: list[Exam]) -> bytes:
    """Annex 1: one row per candidate (name, date, time, signature), grouped by session."""
    rows = attendance_rows(exams)
    sessions = []
    for row in rows:
        session = row.exam.jury.session
        if session not in sessions:
            sessions.append(session)
    return render_pdf("pdf/attendance_candidate.html", rows=rows, sessions=sessions)


def jury_attendance_pdf(jury: Jury) -> bytes:
    """Annex 2: one row per candidate, each juror's name and signature for that exam."""
    attendance = jury_attendance(jury)
    seats = {m.seat: m.juror for m in jury.members}
    days = sorted({to_paris(r.exam.starts_at).date() for r in attendance.rows})
    return render_pdf("pdf/attendance_jury.html", jury=jury, session=jury.session,
                      rows=attendance.rows, juror1=seats.get(1), juror2=seats.get(2), days=days)


def filename(kind: str, *parts) -> str:
    return f"emargement-{kind}-" + "-".join(slug(str(p)) for p in parts) + ".pdf"
