"""The content of a session's minutes, as signed: a plain dict, frozen as canonical JSON.

No Flask and no database here: `live.py` gathers the facts and calls
`build`; `freeze` turns the dict into the exact text every signer signs, and
`thaw` reads it back for the documents. Times are naive UTC in ISO 8601,
decimals are strings ("14.50"), so the text is stable whatever the database.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ..grading import rules
from ..signatures.rules import canonical_json, sha256_text

VERSION = 2  # 2: section 3 built from the record ("conduct")
ACQUIS, NON_ACQUIS = "acquis", "non_acquis"
REMOTE_PLACE = "À distance"  # the place of a session held remotely


@dataclass(frozen=True)
class Person:
    id: int
    name: str

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class JuryFacts:
    id: int
    label: str
    president: Person | None
    jurors: tuple[Person, ...]


@dataclass(frozen=True)
class ExamFacts:
    """One candidate's sitting and, once its deliberation is closed, the final grid."""

    exam_id: int
    candidate: Person
    jury_id: int
    jury_label: str
    starts_at: datetime
    duration_minutes: int
    closed: bool
    closed_at: datetime | None
    # Criterion code -> final value (None: no final value yet).
    final: dict
    result: rules.GridResult | None  # None until the deliberation is closed
    president_comment: str | None
    # Blocks validated at earlier attempts (not graded again): code -> {session, date, label}.
    blocks_before: dict = field(default_factory=dict)


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat()


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _value(value: bool | None) -> str | None:
    return None if value is None else (ACQUIS if value else NON_ACQUIS)


def exam_entry(facts: ExamFacts) -> dict:
    result = facts.result if facts.closed else None
    return {
        "exam_id": facts.exam_id,
        "candidate": facts.candidate.as_dict(),
        "jury_id": facts.jury_id,
        "jury": facts.jury_label,
        "starts_at": _time(facts.starts_at),
        "duration_minutes": facts.duration_minutes,
        "closed_at": _time(facts.closed_at),
        "grid": {code: _value(value) for code, value in facts.final.items()} if result else {},
        "competencies": {
            code: {"note": _decimal(c.note), "acquired": c.acquired,
                   "acquired_criteria": c.acquired_criteria, "criteria": c.criteria}
            for code, c in result.competencies.items()} if result else {},
        "blocks": {code: b.validated for code, b in result.blocks.items() if code is not None}
        if result else {},
        "total": _decimal(result.total) if result else None,
        "decision": result.decision if result else None,
        "president_comment": (facts.president_comment or None) if result else None,
        "blocks_before": facts.blocks_before,
    }


def results_table(exams: list[dict]) -> list[dict]:
    """Section 4 of the general minutes: one row per candidate."""
    return [{"exam_id": e["exam_id"], "candidate": e["candidate"]["name"], "total": e["total"],
             "blocks": e["blocks"], "blocks_before": e.get("blocks_before") or {},
             "decision": e["decision"]} for e in exams]


def build(*, session: dict, referential: dict, president: Person | None,
          members: list[Person], juries: list[JuryFacts], exams: list[ExamFacts],
          opened_at: datetime | None, closed_at: datetime | None, place: str | None,
          observations: str | None, parts: list[dict], conduct: dict) -> dict:
    """Everything the minutes say, in one canonical dict (what is signed)."""
    entries = [exam_entry(e) for e in exams]
    return {
        "document": "minutes",
        "version": VERSION,
        "session": session,
        "referential": referential,
        "president": president.as_dict() if president else None,
        "members": [m.as_dict() for m in members],
        "juries": [{"id": j.id, "label": j.label,
                    "president": j.president.as_dict() if j.president else None,
                    "jurors": [p.as_dict() for p in j.jurors]} for j in juries],
        "participants": [e["candidate"] | {"exam_id": e["exam_id"]} for e in entries],
        "opened_at": _time(opened_at),
        "closed_at": _time(closed_at),
        "place": place,
        "observations": observations or None,
        "conduct": conduct,  # section 3: what the record says (record.py, conduct.py)
        "parts": parts,
        "exams": entries,
        "results": results_table(entries),
    }


def parts_of(details: dict | None) -> list[dict]:
    """The tests taken (section 2), from the referential's details; tolerant of what is missing."""
    exam = (details or {}).get("exam") or {}
    parts = []
    for part in exam.get("parts") or []:
        if not isinstance(part, dict) or not part.get("title"):
            continue
        minutes = part.get("minutes")
        parts.append({"title": str(part["title"]),
                      "description": str(part.get("description") or "").strip().rstrip(".") or None,
                      "minutes": int(minutes) if isinstance(minutes, int) else None})
    return parts


def freeze(content: dict) -> tuple[str, str]:
    """The canonical text signed and its SHA-256."""
    text = canonical_json(content)
    return text, sha256_text(text)


def thaw(text: str) -> dict:
    return json.loads(text)


def parse_time(value: str | None) -> datetime | None:
    return None if not value else datetime.fromisoformat(value)
