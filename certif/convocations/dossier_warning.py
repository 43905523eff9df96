"""The convocation page warns the organiser when the candidates' file deadline (RNCP: the
technical dossier, D-10) is already past at sending: a candidate convened now can no longer
hand it in, unless the organiser grants an extension."""
from __future__ import annotations

from datetime import date

from ..sessions.dossier.queries import due_of
from ..sessions.models import ExamSession
from ..timeutil import french_date, paris_today

MSG_PAST = ("Attention : la date limite de dépôt du dossier technique ({day}, {days} jours avant la "
            "session) est déjà passée. Les candidats convoqués maintenant ne peuvent plus déposer "
            "leur dossier par leur lien, sauf si vous leur accordez un délai (page « Dossiers » de "
            "la session).")


def dossier_deadline_warning(session: ExamSession, today: date | None = None) -> str | None:
    due = due_of(session)
    if due is None or (today or paris_today()) <= due:
        return None
    return MSG_PAST.format(day=french_date(due),
                           days=session.referential.deliverables.due_days_before)
