"""Read-only lookups of the certificates domain: the sittings with a result, the minutes'
visa certificates wait for, a certificate and its sealed PDF, the final grid of a sitting."""
from __future__ import annotations

from datetime import datetime

from ..database import get_row
from ..documents.models import SEALED_CERTIFICATE, SealedDocument
from ..documents.sealed import read_sealed
from ..errors import NotFound
from ..extensions import db
from ..grading import rules as grading_rules
from ..grading.blocks.queries import prior_validations
from ..grading.models import DeliberationMark
from ..grading.rules import FAVORABLE
from ..grading.services import juror_grid
from ..minutes.models import ORGANISER_ROLE
from ..minutes.queries import minutes_of
from ..referentials.services import layout
from ..sessions.models import CLOSED, WITH_RESULTS, Exam, ExamSession
from ..signatures.models import MINUTES, Signature
from .models import Certificate

MSG_NOT_DELIBERATED = (
    "Les résultats de la session n° {number} ne peuvent pas encore être envoyés : la session "
    "est « {status} ». Ils partent une fois la session délibérée (procès-verbal signé par le "
    "jury).")
MSG_NOT_SEALED = ("Le PDF scellé de ce certificat n'est pas encore produit : utilisez « Produire "
                  "les certificats » sur la page des résultats, puis recommencez.")
MSG_NO_CERTIFICATE = "Certificat introuvable."


def closed_exams(session: ExamSession) -> list[Exam]:
    """The session's sittings with a result (deliberation closed), in jury and slot order."""
    return [e for jury in session.juries for e in jury.exams
            if e.phase == CLOSED and e.decision is not None]


def is_admitted(exam: Exam) -> bool:
    return exam.phase == CLOSED and exam.decision == FAVORABLE


def send_refusal(session: ExamSession) -> str | None:
    """Why the session's results cannot be sent yet (French), or None."""
    # Results go out once the jury has deliberated (minutes signed) or the session is closed.
    if session.status not in WITH_RESULTS:
        return MSG_NOT_DELIBERATED.format(number=session.number,
                                          status=session.status_label.lower())
    return None


def minutes_visa_at(session_id: int) -> datetime | None:
    """When the organiser gave the minutes their visa (None before): certificates wait for it."""
    minutes = minutes_of(session_id)
    return minutes.visa_at if minutes is not None else None


def visa_signature(session_id: int) -> Signature | None:
    """The organiser's visa on the session's minutes: the certificates' signatory (its name,
    its drawn or typed mark), None before the visa or when it was given without one."""
    minutes = minutes_of(session_id)
    if minutes is None or minutes.visa_at is None:
        return None
    return db.session.scalar(db.select(Signature).where(
        Signature.document == MINUTES, Signature.subject_id == minutes.id,
        Signature.signer_role == ORGANISER_ROLE).order_by(Signature.id.desc()).limit(1))


def visa_giver_name(session_id: int) -> str | None:
    """Who gave the minutes their visa, by name (for a visa recorded without a signature row)."""
    minutes = minutes_of(session_id)
    return minutes.visa_by.full_name if minutes is not None and minutes.visa_by else None


def get_certificate(certificate_id: int, *, lock: bool = False) -> Certificate:
    return get_row(Certificate, certificate_id, MSG_NO_CERTIFICATE, lock=lock)


def certificate_of(exam_id: int) -> Certificate | None:
    return db.session.scalar(db.select(Certificate).where(Certificate.exam_id == exam_id))


def sealed_ids(certificate_ids: list[int]) -> set[int]:
    if not certificate_ids:
        return set()
    return set(db.session.scalars(
        db.select(SealedDocument.subject_id)
        .where(SealedDocument.kind == SEALED_CERTIFICATE,
               SealedDocument.subject_id.in_(certificate_ids))))


def sealed_certificate(certificate_id: int) -> tuple[str, bytes]:
    """(filename, PDF) of the sealed certificate; 404 when it is not produced yet."""
    certificate = get_certificate(certificate_id)
    found = read_sealed(SEALED_CERTIFICATE, certificate.id)
    if found is None:
        raise NotFound(MSG_NOT_SEALED)
    return found


def certificate_file(exam: Exam) -> tuple[str, bytes] | None:
    """The sealed certificate of this sitting, for the candidate's archive (None if none)."""
    certificate = certificate_of(exam.id)
    return read_sealed(SEALED_CERTIFICATE, certificate.id) if certificate is not None else None


# --- The final grid (for the competencies not acquired) -----------------------------------------

def final_result(exam: Exam) -> tuple[grading_rules.GridResult, object]:
    """The deliberation's final grid, as the grading domain computes it, with its layout."""
    lay = layout(exam.jury.session.referential_id)
    president_id = exam.president_id or exam.jury.president_id
    other_id = next((m.juror_id for m in exam.jury.members if m.juror_id != president_id), None)
    _, president_marks = juror_grid(exam.id, president_id)
    _, other_marks = juror_grid(exam.id, other_id)
    jury_marks = dict(db.session.execute(
        db.select(DeliberationMark.criterion_id, DeliberationMark.value)
        .where(DeliberationMark.exam_id == exam.id)).all())
    scheme = lay.scheme.keeping(prior_validations([exam])[exam.id])  # blocks validated before
    final = grading_rules.merge_grids(scheme.criteria, president_marks, other_marks, jury_marks)
    return grading_rules.score(scheme, grading_rules.final_values(final)), lay


def competencies_not_acquired(exam: Exam) -> list[str]:
    """"C3 : <title>" for each competency the final grid does not acquire."""
    result, lay = final_result(exam)
    return [f"{code} : {lay.competencies[code].title}"
            for code, competency in result.competencies.items() if competency.acquired is False]
