"""Livrets d'évaluation (seed 001, 5-2-4): a candidate's livret on a shipped referential,
its evaluations and block projects."""
from datetime import date

from certif.candidates.livret.models import BlockProject, Livret, LivretEvaluation
from certif.extensions import db
from certif.referentials.models import Referential


def referential(code="RNCP-CM") -> Referential:
    return db.session.scalar(db.select(Referential).filter_by(code=code)
                             .order_by(Referential.version.desc()).limit(1))


def make_livret(candidate, code="RNCP-CM") -> Livret:
    livret = Livret(candidate_id=candidate.id, referential_id=referential(code).id)
    db.session.add(livret)
    db.session.commit()
    return livret


def add_evaluation(livret, competency_code="C1.1", evaluated_on=date(2026, 3, 2), kind="quiz",
                   acquired=True, evaluator="Mme Formatrice", comment=None,
                   source="organiser") -> LivretEvaluation:
    competency = next(c for c in livret.referential.competencies if c.code == competency_code)
    row = LivretEvaluation(livret_id=livret.id, competency_id=competency.id,
                           evaluated_on=evaluated_on, kind=kind, acquired=acquired,
                           evaluator=evaluator, comment=comment, source=source)
    db.session.add(row)
    db.session.commit()
    return row


def add_project(livret, block_code="BC01", validated_on=date(2026, 3, 20),
                validated_by="M. Référent") -> BlockProject:
    block = next(b for b in livret.referential.blocks if b.code == block_code)
    row = BlockProject(livret_id=livret.id, block_id=block.id, validated_on=validated_on,
                       validated_by=validated_by, source="organiser")
    db.session.add(row)
    db.session.commit()
    return row
