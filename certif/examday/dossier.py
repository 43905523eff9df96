"""The jury's view of the candidate's file (seed 001, 5-2-3) under confidentiality (5-3-4).

Only the two jurors of the candidate's jury reach it (`exam_access`: 404 for anyone else).
When the company asked for confidentiality, each juror signs a confidentiality attestation
(a signature with its evidence, annexed to the minutes) before the pieces open (403 until
then). Every opening and download of a piece, and of the relevé, is audited.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..audit.services import record
from ..candidates.livret.documents import releve_pdf
from ..candidates.livret.queries import has_livret
from ..database import write_transaction
from ..errors import Conflict, Forbidden, NotFound
from ..sessions.dossier import operations
from ..sessions.dossier.queries import FileView, file_view
from ..signatures import services as signatures
from ..signatures.models import CONFIDENTIALITY, Signature
from ..signatures.readers import register_jurors
from ..signatures.rules import Mark, content_sha256
from ..signatures.services import require_seen
from ..timeutil import french_date
from .access import exam_access
from .models import _jurors_of_exam

MSG_NO_FILE = "La certification de ce candidat ne demande pas de dossier."
MSG_SIGN_FIRST = ("L'entreprise a demandé la confidentialité : signez d'abord l'attestation de "
                  "confidentialité pour ouvrir les pièces du dossier.")
MSG_NOT_CONFIDENTIAL = "L'entreprise n'a pas demandé la confidentialité pour ce dossier."
ATTESTATION = ("Je soussigné(e) {juror}, membre du jury de la session n° {session} du {day}, "
               "m'engage à ne divulguer aucune des informations confidentielles du projet présenté "
               "par {candidate} ni aucun élément de son dossier, communiqués au jury avec "
               "l'autorisation de l'entreprise, et à ne les utiliser qu'aux fins de la "
               "certification « {title} ».")

# The jurors of the exam's jury read its confidentiality attestations (as its attendance).
register_jurors(CONFIDENTIALITY, _jurors_of_exam)


@dataclass
class JuryFile:
    view: FileView
    user_id: int
    signatures: list[Signature] = field(default_factory=list)
    livret: bool = False

    @property
    def exam(self):
        return self.view.exam

    @property
    def confidential(self) -> bool:
        return self.view.confidential

    @property
    def own_signature(self) -> Signature | None:
        return next((s for s in self.signatures if s.user_id == self.user_id), None)

    @property
    def is_open(self) -> bool:
        return not self.confidential or self.own_signature is not None

    def attestation_text(self, user) -> str:
        session = self.view.session
        return ATTESTATION.format(juror=user.full_name, session=session.number,
                                  day=french_date(self.exam.starts_at),
                                  candidate=self.exam.candidate.full_name,
                                  title=session.referential.registered_title)

    def content_sha256(self, user) -> str:
        return content_sha256(attestation_content(self, user))


def attestation_content(jury_file: JuryFile, user) -> dict:
    """What the juror signs (its SHA-256 is kept with the signature)."""
    exam = jury_file.exam
    return {"document": "Attestation de confidentialité", "exam_id": exam.id,
            "session": jury_file.view.session.number, "candidate": exam.candidate.full_name,
            "juror": user.full_name, "text": jury_file.attestation_text(user)}


def jury_file(user, exam_id: int) -> JuryFile | None:
    """The file of a candidate of the user's jury (NotFound otherwise); None without a file."""
    access = exam_access(user, exam_id)
    view = file_view(access.exam)
    if view is None:
        return None
    signed = signatures.signatures_of(CONFIDENTIALITY, [exam_id])[exam_id]
    return JuryFile(view, user.id, signed, livret=has_livret(access.exam.candidate))


def _required(user, exam_id: int) -> JuryFile:
    found = jury_file(user, exam_id)
    if found is None:
        raise NotFound(MSG_NO_FILE)
    return found


def sign_confidentiality(user, exam_id: int, mark: Mark, *, seen_sha256: str | None) -> Signature:
    with write_transaction():
        found = _required(user, exam_id)
        if not found.confidential:
            raise Conflict(MSG_NOT_CONFIDENTIAL)
        if found.own_signature is not None:
            raise Conflict(signatures.MSG_ALREADY_SIGNED)
        content = attestation_content(found, user)
        require_seen(seen_sha256, content)
        return signatures.add_signature(
            CONFIDENTIALITY, exam_id, signer_key=signatures.user_key(user), role="juror",
            name=user.full_name, content=content, mark=mark, auth_method="login", user=user)


def open_piece(user, exam_id: int, entry_id: int, *, download: bool = False):
    """(entry, bytes or None) of a piece, for a juror of the jury who may open it."""
    found = _required(user, exam_id)
    if not found.is_open:
        raise Forbidden(MSG_SIGN_FIRST)
    return found, *operations.open_piece(found.view, entry_id, user, opened_by="juror",
                                          download=download)


def releve(user, exam_id: int) -> tuple[bytes, str]:
    """The relevé des évaluations of the candidate (training, partner), its opening audited."""
    found = _required(user, exam_id)
    if not found.livret:
        raise NotFound("Ce candidat n'a pas de livret d'évaluation.")
    candidate = found.exam.candidate
    data = releve_pdf(candidate)
    with write_transaction():
        record(user, "dossier.open", "candidate", candidate.id, None, "releve", exam_id=exam_id,
               by="juror")
    return data, f"releve-evaluations-{candidate.last_name}.pdf"
