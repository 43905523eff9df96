"""Which convocations are sent and still valid: read by the session page and the dashboard.

A convocation is current while what it announced still holds: its start time
(`announced_start`) and the other facts it told (`announced_facts`, a SHA-256 of
the mode, place, link, duration, the candidate's personal link (its nonce: renewing
the link kills the one printed in the convocation) and, for a juror, their slots and
fellow jurors).
Rows sent before the facts were kept (NULL) are judged on their start time only.
"""
from __future__ import annotations

import hashlib
import json

from ..audit.models import AuditEntry
from ..extensions import db
from ..sessions.queries import sitting_exams
from .models import CANDIDATE, JUROR, Convocation


def latest_candidate_convocations(exam_ids) -> dict[int, Convocation]:
    """The last sending for each exam (candidates' convocations)."""
    rows = db.session.scalars(
        db.select(Convocation).where(Convocation.kind == CANDIDATE,
                                     Convocation.exam_id.in_(list(exam_ids)))
        .order_by(Convocation.sent_at, Convocation.id)).all()
    return {c.exam_id: c for c in rows}


def candidate_convocations(exam) -> list[Convocation]:
    """Every convocation sent to the candidate for this exam, oldest first."""
    return list(db.session.scalars(
        db.select(Convocation).where(Convocation.kind == CANDIDATE, Convocation.exam_id == exam.id)
        .order_by(Convocation.sent_at, Convocation.id)))


def latest_juror_convocations(session_id: int) -> dict[int, Convocation]:
    """The last sending to each juror of a session."""
    rows = db.session.scalars(
        db.select(Convocation).where(Convocation.kind == JUROR,
                                     Convocation.session_id == session_id)
        .order_by(Convocation.sent_at, Convocation.id)).all()
    return {c.juror_id: c for c in rows}


def is_current(convocation: Convocation | None, starts_at, facts: str | None = None) -> bool:
    """Sent, and announcing the time (and, when given, the facts) that still hold.

    Without `facts` only the start time is compared (the historical behaviour)."""
    if convocation is None or convocation.announced_start != starts_at:
        return False
    return facts is None or convocation.announced_facts is None or convocation.announced_facts == facts


def facts_changed(convocation: Convocation | None, facts: str) -> bool:
    """Whether a convocation recorded facts that no longer hold (its start aside)."""
    return (convocation is not None and convocation.announced_facts is not None
            and convocation.announced_facts != facts)


# --- What a convocation announces -------------------------------------------------------

def _digest(facts) -> str:
    text = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _where(session) -> list:
    """Mode, and the place and link as far as the mode makes them announced."""
    on_site = session.mode in ("on_site", "both")
    remote = session.mode in ("remote", "both")
    return [session.mode, (session.place or "").strip() if on_site else None,
            (session.video_link or "").strip() if remote else None]


def candidate_facts(exam) -> str:
    """SHA-256 of what the candidate's convocation announces besides its start, their
    personal link included (`Candidate.link_nonce`: a renewed link is a changed fact)."""
    session = exam.jury.session
    return _digest(["candidate", *_where(session), exam.starts_at.isoformat(),
                    exam.duration_minutes, exam.candidate.link_nonce])


def link_renewed_since(candidate_id: int, moment) -> bool:
    """Whether the candidate's personal link was renewed after `moment` (UTC), as the
    audit log tells (the facts digest alone cannot say which fact changed)."""
    return db.session.scalar(
        db.select(AuditEntry.id).where(AuditEntry.action == "candidate.link_renewed",
                                       AuditEntry.entity == "candidate",
                                       AuditEntry.entity_id == candidate_id,
                                       AuditEntry.at > moment).limit(1)) is not None


def juror_jury_facts(session, juror_id: int) -> list:
    """For each sitting jury of the session the juror is on: its label, president,
    fellow juror and the slots (start, candidate, duration) of its expected candidates."""
    facts = []
    for jury in session.juries:
        members = [m.juror_id for m in jury.members]
        if not jury.sits or juror_id not in members:
            continue
        slots = [[e.starts_at.isoformat(), e.candidate_id, e.duration_minutes]
                 for e in sitting_exams(jury)]
        facts.append([jury.position, jury.president_id,
                      sorted(m for m in members if m != juror_id), slots])
    return facts


def juror_facts(session, juror_id: int) -> str:
    """SHA-256 of what a juror's convocation announces besides the session's start."""
    return _digest(["juror", *_where(session), session.starts_at.isoformat(),
                    juror_jury_facts(session, juror_id)])


# --- Whether a sent convocation still holds (for the session page, dashboard, workflow) ----

def candidate_convocation_current(exam, convocation: Convocation | None) -> bool:
    """The candidate's last convocation still announces the exam as it stands."""
    if convocation is None:
        return False
    return is_current(convocation, exam.starts_at, candidate_facts(exam))


def juror_convocation_current(session, juror, convocation: Convocation | None) -> bool:
    """The juror's last convocation (`juror`: a User or an id) still announces the session,
    their juries and their slots as they stand."""
    if convocation is None:
        return False
    juror_id = getattr(juror, "id", juror)
    return is_current(convocation, session.starts_at, juror_facts(session, juror_id))
