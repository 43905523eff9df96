"""The dashboard's candidates' files (issue 14): a sitting whose certification asks for a file
(RNCP) and whose file is missing pieces or has some handed in late, listed from
LEAD_DAYS before the session (decision: 12 days, two days before the referential's D-10
deadline, so that the organiser can remind the candidate). Due on the file's last day; a
file complete on time is not listed. Two queries per session with a file, whatever its size.
"""
from __future__ import annotations

from datetime import date

from ..candidates.dossier import rules
from ..sessions.dossier.queries import asks_for_file, session_files
from ..sessions.models import ExamSession
from ..timeutil import french_date, paris_day
from .items import DueItem

LEAD_DAYS = 12


def files_incomplete(today: date, upcoming: list[ExamSession]) -> list[DueItem]:
    items = []
    for session in upcoming:
        if not asks_for_file(session) or (paris_day(session.starts_at) - today).days > LEAD_DAYS:
            continue
        for view in session_files(session):
            if view.state == rules.PRESENT:
                continue
            pieces = ", ".join(f"{s.piece.label} ({s.state_label.lower()})" for s in view.missing)
            items.append(DueItem(
                "dossier", view.last_day,
                f"Dossier {view.state_label.lower()} : {view.exam.candidate.full_name} "
                f"(session n° {session.number} du {french_date(session.starts_at)})",
                [("session_dossiers.candidate", {"session_id": session.id, "exam_id": view.exam.id})],
                detail=f"Date limite : {french_date(view.last_day)}. {pieces}.", today=today))
    return items
