"""What the session's record says about how the tests went: section 3 of the general minutes.

Read from the database when the minutes are drafted (and frozen with them at the first
signature): the conditions sheets' conditions not respected with their observations
(annex 4), the anomaly sheets filed for the session (annex 3), the juries stopped by a
carence, the candidates absent, those who could not sign the attendance sheet (with the
reason the jury recorded), the accommodations applied. `conduct.py` turns these
facts into the minutes' sentences.

The anomaly sheets belong to the council, a higher layer that this one never imports:
the council registers, when the app is created, the reader of a session's sheets.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..audit.models import AuditEntry
from ..examday.conditions.rules import condition_label
from ..examday.models import ConditionsSheet
from ..examday.queries import candidate_unsigned_reasons
from ..extensions import db
from ..sessions.models import ABSENT_EXCUSED, ABSENT_UNEXCUSED, MOVED, ExamSession

ABSENT_STATUSES = (ABSENT_EXCUSED, ABSENT_UNEXCUSED)


@dataclass(frozen=True)
class AnomalyFact:
    """An anomaly sheet filed for the session, as the minutes mention it."""

    id: int
    observed_on: date
    type_label: str
    reporter_label: str  # who observed it: "Juré", "Candidat"…


# session id -> the anomaly sheets filed for it, oldest first
_anomaly_reader: Callable[[int], list[AnomalyFact]] | None = None


def register_anomaly_reader(reader: Callable[[int], list[AnomalyFact]]) -> None:
    """Called once by the council when the app is created (`certif._resolvers`)."""
    global _anomaly_reader
    _anomaly_reader = reader


def anomalies_of(session_id: int) -> list[AnomalyFact]:
    if _anomaly_reader is None:
        raise RuntimeError("nobody told the minutes how to read a session's anomaly sheets: "
                           "is the app created with certif.create_app()?")
    return _anomaly_reader(session_id)


def _conditions(session: ExamSession, labels: dict[int, str]) -> list[dict]:
    sheets = db.session.scalars(
        db.select(ConditionsSheet).where(ConditionsSheet.jury_id.in_(list(labels)))
        .order_by(ConditionsSheet.day, ConditionsSheet.jury_id)).all() if labels else []
    found = []
    for sheet in sheets:
        breached = [a.position for a in sorted(sheet.answers, key=lambda a: a.position)
                    if a.respected is False]
        if breached:
            found.append({"jury": labels[sheet.jury_id], "day": sheet.day.isoformat(),
                          "breached": [{"position": p, "label": condition_label(p)} for p in breached],
                          "observations": (sheet.observations or "").strip() or None})
    return found


def _absent_then_moved(exam_ids: list[int]) -> set[int]:
    """Sittings marked absent, then moved to another session: still absent from this one."""
    if not exam_ids:
        return set()
    return set(db.session.scalars(
        db.select(AuditEntry.entity_id).where(
            AuditEntry.action == "exam.move", AuditEntry.entity == "exam",
            AuditEntry.entity_id.in_(exam_ids), AuditEntry.old_value.in_(ABSENT_STATUSES))))


def _absences(juries) -> list[dict]:
    exams = [e for j in juries if j.sits
             for e in sorted(j.exams, key=lambda e: (e.position, e.id))]
    moved = _absent_then_moved([e.id for e in exams if e.status == MOVED])
    absences = []
    for exam in exams:
        if exam.status in ABSENT_STATUSES:
            absences.append({"candidate": exam.candidate.full_name,
                             "excused": exam.status == ABSENT_EXCUSED, "moved": False})
        elif exam.id in moved:
            absences.append({"candidate": exam.candidate.full_name, "excused": None, "moved": True})
    return absences


def _unsigned(sitting_exams) -> list[dict]:
    """Candidates who could not sign annex 1, with the reason the jury recorded."""
    reasons = candidate_unsigned_reasons(e.id for e in sitting_exams)
    return [{"candidate": e.candidate.full_name, "reason": reasons[e.id].reason}
            for e in sitting_exams if e.id in reasons]


def session_conduct(session: ExamSession, sitting_exams) -> dict:
    """Section 3's facts: a plain dict, part of the content signed (`content.build`)."""
    juries = sorted(session.juries, key=lambda j: (j.position, j.id))
    labels = {j.id: j.label for j in juries}
    carences = [{"jury": j.label,
                 "absent_juror": j.absent_juror.full_name if j.absent_juror else None,
                 "reason": (j.stop_reason or "").strip() or None}
                for j in juries if not j.sits]
    accommodations = [{"candidate": e.candidate.full_name,
                       "measures": (e.candidate.accommodation or "").strip() or None,
                       "extra_minutes": e.candidate.extra_minutes or 0}
                      for e in sitting_exams
                      if (e.candidate.accommodation or "").strip() or e.candidate.extra_minutes]
    return {
        "conditions": _conditions(session, labels),
        "anomalies": [{"id": a.id, "observed_on": a.observed_on.isoformat(), "type": a.type_label,
                       "reporter": a.reporter_label} for a in anomalies_of(session.id)],
        "carences": carences,
        "absences": _absences(juries),
        "unsigned": _unsigned(sitting_exams),
        "accommodations": accommodations,
    }
