"""Importing referentials into the database, and their cached, immutable layout."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from flask import current_app

from ..audit.services import record
from ..database import write_transaction
from ..extensions import db
from .loader import ReferentialError, blocks_of, read, referential_files
from .models import RefBlock, RefCompetency, RefCriterion, Referential
from .scoring import BlockSpec, CompetencySpec, Scheme

_TOP_LEVEL = {"code", "version", "title", "document_title", "annex_heading", "scoring", "blocks",
              "competencies"}


def import_file(path: Path) -> Referential | None:
    """Import one file; returns the new version, or None when it is already there.

    A file whose grading content changed while keeping its version is refused: a session
    pins a version, so a published version must never change under it. Its mentions
    alone (titles, registration facts, modalities' text: what documents print) may be
    completed in place, audited, e.g. the registration's end date once known.
    """
    data, sha = read(path)
    existing = db.session.scalar(
        db.select(Referential).filter_by(code=data["code"], version=data["version"]))
    if existing is not None:
        if existing.source_sha256 != sha:
            if _grading_content(_build(data, sha)) != _grading_content(existing):
                raise ReferentialError(
                    f"{path.name} : le contenu de {data['code']} v{data['version']} a changé "
                    "sans nouvelle version ; incrémentez « version »")
            _update_mentions(existing, data, sha, path.name)
        return None
    with write_transaction():
        referential = _build(data, sha)
        db.session.add(referential)
        db.session.flush()
        record(None, "referential.import", "referential", referential.id,
               new=referential.label, file=path.name, sha256=sha)
    return referential


def import_all() -> list[Referential]:
    return [r for r in (import_file(p) for p in referential_files()) if r is not None]


def _mentions(data: dict) -> dict:
    """What a referential's documents print and grading never reads."""
    return dict(title=data["title"],
                document_title=(data.get("annex_heading") or data.get("document_title")
                                or data["title"].upper()),
                details={k: v for k, v in data.items() if k not in _TOP_LEVEL})


def _grading_content(ref: Referential) -> tuple:
    """Everything a session's grading depends on, comparable between two builds."""
    return (ref.code, ref.version, ref.rule, ref.max_points, ref.pass_mark, ref.exam_minutes,
            tuple((b.code, b.title, b.validation, b.position) for b in ref.blocks),
            tuple((c.code, c.title, c.section, c.points, c.evaluation, c.position,
                   c.block.code if c.block is not None else None,
                   tuple((k.code, k.text, k.position) for k in c.criteria))
                  for c in ref.competencies))


def _update_mentions(existing: Referential, data: dict, sha: str, filename: str) -> None:
    with write_transaction():
        old = existing.source_sha256
        for key, value in _mentions(data).items():
            setattr(existing, key, value)
        existing.source_sha256 = sha
        record(None, "referential.update_mentions", "referential", existing.id, old, sha,
               file=filename, label=existing.label)


def _build(data: dict, sha: str) -> Referential:
    scoring = data["scoring"]
    referential = Referential(
        code=data["code"], version=data["version"], **_mentions(data),
        rule=scoring["rule"],
        max_points=_decimal(scoring.get("max_points")),
        pass_mark=_decimal(scoring.get("pass_mark")),
        exam_minutes=data["exam"]["duration_minutes"],
        source_sha256=sha,
    )
    comp_position = crit_position = 0
    for block_position, block_data in enumerate(blocks_of(data)):
        block = None
        if block_data["code"] is not None:
            block = RefBlock(code=block_data["code"], title=block_data["title"],
                             validation=block_data.get("validation"), position=block_position)
            referential.blocks.append(block)
        for comp_data in block_data["competencies"]:
            competency = RefCompetency(
                code=comp_data["code"], title=comp_data["title"], section=comp_data.get("section"),
                points=_decimal(comp_data.get("points")), evaluation=comp_data.get("evaluation"),
                position=comp_position)
            comp_position += 1
            if block is not None:
                competency.block = block
            referential.competencies.append(competency)
            for crit_data in comp_data["criteria"]:
                competency.criteria.append(RefCriterion(
                    code=crit_data["code"], text=crit_data["text"], position=crit_position,
                    referential=referential))
                crit_position += 1
    return referential


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- Layout: what the grading pages need of a referential, loaded once per process.
# A referential version never changes once imported, so caching it is safe.

@dataclass(frozen=True)
class CriterionView:
    id: int
    code: str
    text: str
    competency_code: str


@dataclass(frozen=True)
class CompetencyView:
    code: str
    title: str
    section: str | None
    points: Decimal | None
    criteria: tuple[CriterionView, ...]
    block_code: str | None


@dataclass(frozen=True)
class BlockView:
    code: str | None
    title: str | None
    competencies: tuple[CompetencyView, ...]


@dataclass(frozen=True)
class Layout:
    referential_id: int
    code: str
    version: int
    title: str
    rule: str
    pass_mark: Decimal | None
    max_points: Decimal | None
    blocks: tuple[BlockView, ...]
    scheme: Scheme
    criteria: dict  # criterion id -> CriterionView
    competencies: dict  # competency code -> CompetencyView

    @property
    def has_blocks(self) -> bool:
        return self.blocks[0].code is not None


def layout(referential_id: int) -> Layout:
    cache = current_app.extensions.setdefault("certif_layouts", {})
    if referential_id not in cache:
        cache[referential_id] = _load_layout(referential_id)
    return cache[referential_id]


def _load_layout(referential_id: int) -> Layout:
    ref = db.session.get(Referential, referential_id)
    competencies = db.session.scalars(
        db.select(RefCompetency).where(RefCompetency.referential_id == referential_id)
        .order_by(RefCompetency.position)
        .options(db.selectinload(RefCompetency.criteria))).all()
    blocks_by_id = {b.id: b for b in ref.blocks}
    grouped: dict = {}
    for comp in competencies:
        block = blocks_by_id.get(comp.block_id)
        key = block.code if block else None
        view = CompetencyView(
            comp.code, comp.title, comp.section, comp.points,
            tuple(CriterionView(c.id, c.code, c.text, comp.code) for c in comp.criteria), key)
        grouped.setdefault(key, (block, []))[1].append(view)
    blocks = tuple(BlockView(code, block.title if block else None, tuple(views))
                   for code, (block, views) in grouped.items())
    scheme = Scheme(
        rule=ref.rule,
        blocks=tuple(BlockSpec(b.code, tuple(
            CompetencySpec(c.code, tuple(k.id for k in c.criteria), c.points)
            for c in b.competencies)) for b in blocks),
        pass_mark=ref.pass_mark, max_points=ref.max_points)
    return Layout(
        referential_id=ref.id, code=ref.code, version=ref.version, title=ref.title,
        rule=ref.rule, pass_mark=ref.pass_mark, max_points=ref.max_points,
        blocks=blocks, scheme=scheme,
        criteria={k.id: k for b in blocks for c in b.competencies for k in c.criteria},
        competencies={c.code: c for b in blocks for c in b.competencies})
