"""Blocks kept across attempts, as the minutes say them: the blocks validated before each
sitting (in the content signed), and the blocks validated now, recorded once every juror signed."""
from __future__ import annotations

from ..grading.blocks.models import BlockValidation
from ..grading.blocks.queries import origin_label
from ..grading.blocks.records import record_validations


def blocks_before_entry(before: dict[str, BlockValidation]) -> dict:
    """code -> {session, date, label}: what the content says of a block validated before."""
    return {code: {"session": v.session_number, "date": v.validated_on.isoformat(),
                   "exam_id": v.exam_id, "label": origin_label(v.validated_on, v.session_number)}
            for code, v in sorted(before.items())}


def validated_now(entry: dict) -> list[str]:
    """The blocks this sitting validated itself, as the signed content says."""
    if entry.get("decision") is None:
        return []
    before = entry.get("blocks_before") or {}
    return [code for code, ok in (entry.get("blocks") or {}).items() if ok and code not in before]


def record_signed_blocks(actor, state, content: dict) -> int:
    """Inside the signing transaction, once every juror signed: each block the signed minutes
    validate at this session is kept for the candidate (grading.blocks). `state`: MinutesState."""
    titles = {b.code: b.title for b in state.layout.blocks if b.code is not None}
    exams = {e.id: e for e in state.exams}
    count = 0
    for entry in content.get("exams", []):
        exam = exams.get(entry["exam_id"])
        codes = validated_now(entry)
        if exam is not None and codes:
            count += len(record_validations(actor, exam, {c: titles.get(c, c) for c in codes}))
    return count
