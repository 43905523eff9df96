"""The blocks of each sitting, as the results page and the candidate's pages show them: validated
at this attempt (with their attestation) and validated before (with the attempt)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ...extensions import db
from ...grading.blocks.models import BlockValidation
from ...grading.blocks.queries import (
    candidate_validations,
    origin_label,
    prior_validations,
    validations_by_exam,
)
from ...grading.rules import Attempt, TitleOutcome, across_attempts
from ...referentials.models import Referential
from ...sessions.models import Exam
from .models import BlockAttestation
from .queries import attestations_of, is_sealed


def latest_referential(code: str) -> Referential | None:
    return db.session.scalar(db.select(Referential).where(Referential.code == code)
                             .order_by(Referential.version.desc()).limit(1))


@dataclass
class BlockLine:
    validation: BlockValidation
    attestation: BlockAttestation | None
    sealed: bool

    @property
    def origin(self) -> str:
        return origin_label(self.validation.validated_on, self.validation.session_number)


@dataclass
class ExamBlocks:
    now: list[BlockLine] = field(default_factory=list)  # validated by this attempt
    before: list[BlockLine] = field(default_factory=list)  # validated at earlier attempts

    @property
    def any(self) -> bool:
        return bool(self.now or self.before)

    @property
    def to_make(self) -> int:
        """Attestations of this attempt's blocks still to number or seal."""
        return sum(1 for line in self.now if not line.validation.revoked
                   and (line.attestation is None or not line.sealed))


def exam_blocks(exams: list[Exam]) -> dict[int, ExamBlocks]:
    """exam id -> its blocks now and before (a fixed number of queries, plus one per attestation
    for its sealed PDF)."""
    now = validations_by_exam(exams)
    before = prior_validations(exams)
    attestations = attestations_of(
        [v.id for rows in now.values() for v in rows]
        + [v.id for rows in before.values() for v in rows.values()])

    def line(validation):
        attestation = attestations.get(validation.id)
        return BlockLine(validation, attestation, attestation is not None and is_sealed(attestation))

    return {e.id: ExamBlocks([line(v) for v in now.get(e.id, [])],
                             [line(v) for v in before.get(e.id, {}).values()]) for e in exams}


@dataclass
class CertificationBlocks:
    """One certification's blocks for a candidate, across their attempts."""

    code: str
    title: str
    blocks: list[tuple[str, str, BlockLine | None]]  # (code, title, its validation or None)
    outcome: TitleOutcome

    @property
    def awarded(self) -> bool:
        return self.outcome.awarded


def candidate_blocks(candidate_id: int) -> list[CertificationBlocks]:
    """Per certification the candidate validated blocks of: each block of its latest version,
    validated (by which attempt, with its attestation) or not; revoked attempts ignored."""
    rows = candidate_validations(candidate_id)
    attestations = attestations_of([v.id for v in rows])
    found = []
    for code in sorted({v.referential_code for v in rows}):
        referential = latest_referential(code)
        mine = [v for v in rows if v.referential_code == code]
        attempts = [Attempt(v.exam_id, {v.block_code: True}, v.revoked) for v in mine]
        block_codes = [b.code for b in referential.blocks] if referential else sorted(
            {v.block_code for v in mine})
        outcome = across_attempts(block_codes, attempts)
        by_exam_block = {(v.exam_id, v.block_code): v for v in mine}
        lines = []
        for block_code in block_codes:
            exam_id = outcome.validated_by[block_code]
            v = by_exam_block.get((exam_id, block_code)) if exam_id is not None else None
            title = next((b.title for b in referential.blocks if b.code == block_code), block_code) \
                if referential else (v.block_title if v else block_code)
            a = attestations.get(v.id) if v else None
            lines.append((block_code, title, BlockLine(v, a, a is not None and is_sealed(a))
                          if v else None))
        found.append(CertificationBlocks(code, referential.registered_title if referential else code,
                                         lines, outcome))
    return found
