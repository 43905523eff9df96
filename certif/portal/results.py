"""What the candidate's page shows of a sitting's result (a page model, read-only): the
decision, the total or the blocks, the competencies not acquired, their appeals, and the
certificate once produced.

The portal is an aggregator: it reads the grading (final grid) and the certificates, which
the sessions below it cannot; the candidate's writes stay in their domains (retakes and
appeals in `sessions.changes`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..candidates.models import Appeal
from ..certificates.blocks.pages import ExamBlocks, exam_blocks
from ..certificates.models import Certificate
from ..certificates.queries import certificate_of, final_result
from ..documents.models import SEALED_CERTIFICATE
from ..documents.sealed import sealed_document
from ..extensions import db
from ..grading.presenters import decision_label
from ..grading.rules import FAVORABLE
from ..referentials.scoring import BLOCKS
from ..sessions.changes.appeals import candidate_appeal_problem
from ..sessions.models import CLOSED, Exam

MSG_CERTIFICATE_PENDING = ("Votre certificat est en cours de production : il sera disponible "
                           "ici, et vous sera adressé dans les 3 semaines suivant le résultat.")
MSG_CERTIFICATE_REVOKED = ("Ce certificat a été révoqué par l'organisme certificateur : il "
                           "n'est plus téléchargeable. Contactez le responsable d'organisation.")


@dataclass(frozen=True)
class BlockLine:
    code: str
    title: str | None
    validated: bool | None


@dataclass
class Outcome:
    """A sitting's result as the candidate reads it."""

    decision: str
    favourable: bool
    rule: str
    total: Decimal | None
    max_points: Decimal | None
    pass_mark: Decimal | None
    blocks: list[BlockLine] = field(default_factory=list)
    not_acquired: list[str] = field(default_factory=list)
    certificate: Certificate | None = None
    certificate_ready: bool = False  # produced, sealed and not revoked: downloadable
    certificate_note: str | None = None
    appeals: list[Appeal] = field(default_factory=list)
    appeal_problem: str | None = None  # why no appeal may be requested now (None: it may)
    block_history: ExamBlocks | None = None  # blocks validated now and before, with attestations

    @property
    def has_blocks(self) -> bool:
        return self.rule == BLOCKS

    @property
    def can_appeal(self) -> bool:
        return self.appeal_problem is None


def has_result(exam: Exam) -> bool:
    return exam.phase == CLOSED and exam.decision is not None and exam.closed_at is not None


def outcome(exam: Exam) -> Outcome | None:
    """The result of this sitting, None before the deliberation is closed."""
    if not has_result(exam):
        return None
    referential = exam.jury.session.referential
    favourable = exam.decision == FAVORABLE
    result, lay = final_result(exam)
    graded = result.complete  # a sitting closed without grids (imported) shows the decision only
    blocks = [BlockLine(b.code, b.title, result.blocks[b.code].validated)
              for b in lay.blocks if b.code is not None] if graded and lay.has_blocks else []
    not_acquired = [] if favourable or not graded else [
        f"{code} : {lay.competencies[code].title}"
        for code, competency in result.competencies.items() if competency.acquired is False]
    found = Outcome(
        decision=decision_label(referential.rule, exam.decision), favourable=favourable,
        rule=referential.rule, total=exam.total, max_points=lay.max_points,
        pass_mark=lay.pass_mark, blocks=blocks, not_acquired=not_acquired,
        appeals=list(db.session.scalars(db.select(Appeal).filter_by(exam_id=exam.id)
                                        .order_by(Appeal.filed_on, Appeal.id))),
        appeal_problem=None if favourable else candidate_appeal_problem(exam))
    if favourable:
        _certificate(found, certificate_of(exam.id))
    if found.has_blocks:
        found.block_history = exam_blocks([exam])[exam.id]
    return found


def _certificate(found: Outcome, certificate: Certificate | None) -> None:
    found.certificate = certificate
    if certificate is not None and certificate.revoked_at is not None:
        found.certificate_note = MSG_CERTIFICATE_REVOKED
    elif certificate is not None and sealed_document(SEALED_CERTIFICATE, certificate.id):
        found.certificate_ready = True
    else:
        found.certificate_note = MSG_CERTIFICATE_PENDING

