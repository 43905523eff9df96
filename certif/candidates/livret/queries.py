"""Reading a candidate's livret (read-only): whether they keep one, its entries by block and
competency, and the certifications that declare a livret."""
from __future__ import annotations

from dataclasses import dataclass, field

from ...extensions import db
from ...referentials.models import RefBlock, RefCompetency, Referential
from ..models import Candidate
from .models import BlockProject, Livret, LivretEvaluation
from .rules import refusal, requires_livret


def livret_of(candidate: Candidate) -> Livret | None:
    return db.session.scalar(db.select(Livret).filter_by(candidate_id=candidate.id))


def has_livret(candidate: Candidate) -> bool:
    """Whether the candidate's file holds a livret (and so a relevé des évaluations): their
    pathway keeps one for the livret's certification and it has at least one entry."""
    livret = livret_of(candidate)
    if livret is None or not requires_livret(candidate.pathway,
                                             livret.referential.livret_pathways):
        return False
    return any(db.session.scalar(db.select(model.id).filter_by(livret_id=livret.id).limit(1))
               is not None for model in (LivretEvaluation, BlockProject))


def livret_referentials(pathway: str) -> list[Referential]:
    """The certifications (latest version of each) whose livret this pathway keeps."""
    latest: dict[str, Referential] = {}
    for ref in db.session.scalars(db.select(Referential).order_by(Referential.version)):
        latest[ref.code] = ref
    return [r for r in sorted(latest.values(), key=lambda r: r.title)
            if requires_livret(pathway, r.livret_pathways)]


@dataclass
class CompetencyLine:
    competency: RefCompetency
    evaluations: list[LivretEvaluation] = field(default_factory=list)

    @property
    def acquired(self) -> bool:
        return any(e.acquired for e in self.evaluations)


@dataclass
class BlockLine:
    block: RefBlock
    competencies: list[CompetencyLine]
    project: BlockProject | None

    @property
    def evaluated(self) -> int:
        return sum(1 for c in self.competencies if c.evaluations)


@dataclass
class LivretView:
    """The livret by block, then competency, in the referential's order."""

    candidate: Candidate
    livret: Livret
    blocks: list[BlockLine]
    refusal: str | None  # the pathway keeps no livret for this certification: read-only

    @property
    def count(self) -> int:
        return len(self.livret.evaluations) + len(self.livret.projects)

    @property
    def competency_codes(self) -> list[str]:
        return [c.competency.code for b in self.blocks for c in b.competencies]

    @property
    def complete(self) -> bool:
        """Every competency evaluated and every block project validated."""
        return all(b.project and b.evaluated == len(b.competencies) for b in self.blocks)


def livret_view(candidate: Candidate, livret: Livret) -> LivretView:
    ref = livret.referential
    evaluations = db.session.scalars(
        db.select(LivretEvaluation).filter_by(livret_id=livret.id)
        .order_by(LivretEvaluation.evaluated_on, LivretEvaluation.id)).all()
    by_competency: dict[int, list[LivretEvaluation]] = {}
    for evaluation in evaluations:
        by_competency.setdefault(evaluation.competency_id, []).append(evaluation)
    projects = {p.block_id: p for p in livret.projects}
    blocks = [BlockLine(block, [CompetencyLine(c, by_competency.get(c.id, []))
                                for c in ref.competencies if c.block_id == block.id],
                        projects.get(block.id))
              for block in ref.blocks]
    return LivretView(candidate, livret, blocks,
                      refusal(candidate.pathway, ref.livret_pathways, ref.title))


def structure_of(referential: Referential) -> tuple[dict[str, str], tuple[str, ...]]:
    """Each competency's block code, and the block codes, for the forms and the import."""
    return ({c.code: c.block.code for c in referential.competencies if c.block is not None},
            tuple(b.code for b in referential.blocks))


@dataclass
class Summary:
    """What the candidate's page shows of the livret."""

    required: bool  # the pathway keeps a livret for the suggested or chosen certification
    livret: Livret | None
    suggested: Referential | None  # from the candidate's sittings, when no livret is open
    count: int = 0


def summary(candidate: Candidate, sitting_referentials: list[Referential]) -> Summary:
    """For the candidate's page: `sitting_referentials` are those of their sittings (the
    sessions layer passes them in), the latest last."""
    livret = livret_of(candidate)
    if livret is not None:
        return Summary(requires_livret(candidate.pathway, livret.referential.livret_pathways),
                       livret, None, len(livret.evaluations) + len(livret.projects))
    if sitting_referentials:  # the sittings' certifications say whether one is kept
        suggested = next((r for r in reversed(sitting_referentials) if r.livret_pathways), None)
        required = suggested is not None and requires_livret(candidate.pathway,
                                                             suggested.livret_pathways)
        return Summary(required, None, suggested)
    return Summary(bool(livret_referentials(candidate.pathway)), None, None)
