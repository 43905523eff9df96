"""A juror's access to an exam they sit on: the exam, and whether they may write on it now.

The exam day (identity check, attendance) and grading (marks, deliberation) both start
from it: one statement, run on every click, that returns the exam only to a juror of its
jury (NotFound otherwise, as if it did not exist) with the state of its jury and session,
the juror's habilitation and declaration, the identity check and the grades' lock.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func

from ..errors import NotFound
from ..extensions import db
from ..jurors.habilitations import habilitation_problem
from ..jurors.models import ConflictDeclaration, JurorHabilitation, JurorProfile
from ..referentials.models import Referential
from ..referentials.scoring import Scheme
from ..referentials.services import Layout, layout
from ..sessions.locks import locked_at_of
from ..sessions.models import (
    ABSENT_EXCUSED,
    ABSENT_UNEXCUSED,
    CANCELLED,
    GRADING,
    MOVED,
    SESSION_CLOSED,
    Exam,
    ExamSession,
    Jury,
    JuryMember,
)
from ..signatures.models import CANDIDATE_ATTENDANCE, JURY_ATTENDANCE, Signature
from .models import CandidateUnsigned, IdentityCheck
from .prior_blocks import parse as parse_prior
from .prior_blocks import prior_blocks_of

MSG_NO_EXAM = "Candidat introuvable dans vos jurys."
MSG_NOT_SITTING = ("Ce candidat n'est plus évalué par ce jury (candidat absent ou reporté, ou jury "
                   "arrêté pour la carence d'un juré).")
MSG_MOVED = ("Reporté : ce candidat a été reporté à une autre session ; vous ne l'évaluez plus "
             "dans ce jury.")
MSG_ABSENT = "Absent : ce candidat a été déclaré absent ; il n'est pas évalué dans ce jury."
MSG_CARENCE = ("Jury arrêté (carence) : la carence d'un juré a arrêté ce jury ; ses candidats "
               "sont reportés à une session de remplacement et ne sont plus évalués ici.")
MSG_SESSION_CANCELLED = ("La session n° {number} est annulée : ses candidats ne sont plus "
                         "évalués et rien ne peut y être enregistré.")
MSG_SESSION_CLOSED = ("La session n° {number} est clôturée : les évaluations et les délibérations "
                      "sont verrouillées.")
MSG_NOT_HABILITATED = ("Votre habilitation de juré pour cette certification n'est pas (ou plus) "
                       "favorable : vous ne pouvez ni évaluer ni délibérer. Le responsable "
                       "d'organisation doit vous remplacer dans ce jury.")
MSG_MINUTES_SIGNED = ("Le procès-verbal de la session n° {number} est signé : les notes sont "
                      "verrouillées et ne peuvent plus être modifiées.")
# Grading and deliberating stop in these sessions; a draft one (its convocations not yet
# sent on the exam day, in some setups) can be graded.
STOPPED_SESSIONS = {CANCELLED: MSG_SESSION_CANCELLED, SESSION_CLOSED: MSG_SESSION_CLOSED}
# Seed 000, I.C.2: the grid opens once the jury has signed its sheet (annex 2), checked the
# candidate's identity and convocation, and the candidate has signed theirs (annex 1), or the
# jury has recorded why they could not.
JURORS_PER_JURY = 2
MSG_GRID_CLOSED = "La grille s'ouvre une fois l'accueil du candidat terminé. Il manque : {missing}."


@dataclass(frozen=True)
class OpeningStep:
    """One step of the reception that opens the grid: what it is, whether it is done."""

    label: str
    done: bool
    missing: str  # how the refusal names it when not done



@dataclass
class ExamAccess:
    """An exam as one of its jurors reaches it, with what decides whether they may write."""

    exam: Exam
    referential_id: int
    jury_president_id: int | None
    jury_sits: bool  # `Jury.sits`: false once a carence stopped the jury
    session_number: str
    session_status: str
    habilitation_problem: str | None  # why this juror may not sit (see jurors.services)
    declaration: ConflictDeclaration | None  # this juror's, about this candidate
    identity_checked: bool = False  # the jury checked the candidate's identity (grading unlocks)
    minutes_locked: bool = False  # the session's minutes are signed: grades are locked
    jurors_signed: int = 0  # jurors of the jury who signed its attendance sheet for this exam
    candidate_signed: bool = False  # the candidate signed their attendance sheet
    candidate_unsigned: str | None = None  # why the candidate could not sign, as the jury recorded
    prior_blocks: dict = field(default_factory=dict)  # block code -> PriorBlock (prior_blocks.py)

    @property
    def opening_steps(self) -> list[OpeningStep]:
        """The reception's steps that open the grid, in the order the day runs them."""
        signed = min(self.jurors_signed, JURORS_PER_JURY)
        candidate = self.candidate_signed or self.candidate_unsigned is not None
        return [
            OpeningStep(f"Émargement des deux jurés (feuille du jury) : {signed}/{JURORS_PER_JURY}",
                        signed >= JURORS_PER_JURY,
                        "l'émargement des deux jurés sur la feuille du jury"),
            OpeningStep("Vérification de l'identité et de la convocation du candidat",
                        self.identity_checked, "la vérification de l'identité du candidat"),
            OpeningStep("Émargement du candidat (ou motif pour lequel il n'a pas pu émarger)",
                        candidate, "l'émargement du candidat (ou le motif pour lequel il n'a "
                                   "pas pu émarger)"),
        ]

    @property
    def grid_closed_reason(self) -> str | None:
        """Why the grid is not open yet (French, naming what is missing), or None."""
        missing = [step.missing for step in self.opening_steps if not step.done]
        return MSG_GRID_CLOSED.format(missing=", ".join(missing)) if missing else None

    @property
    def layout(self) -> Layout:
        return layout(self.referential_id)

    @property
    def scheme(self) -> Scheme:
        """The grid this exam is graded on: the blocks validated at earlier attempts kept."""
        return self.layout.scheme.keeping(self.prior_blocks)

    @property
    def write_refusal(self) -> str | None:
        """Why this juror may write nothing on this exam now (French), or None.

        The exam's phase is checked apart: it says which writes are possible.
        """
        if self.session_status in STOPPED_SESSIONS:
            return STOPPED_SESSIONS[self.session_status].format(number=self.session_number)
        if self.minutes_locked:
            return MSG_MINUTES_SIGNED.format(number=self.session_number)
        if self.habilitation_problem is not None:
            return MSG_NOT_HABILITATED
        if self.exam.phase == GRADING:
            if self.exam.status == MOVED:
                return MSG_MOVED
            if self.exam.status in (ABSENT_EXCUSED, ABSENT_UNEXCUSED):
                return MSG_ABSENT
            if not self.exam.is_active:
                return MSG_NOT_SITTING
            if not self.jury_sits:
                return MSG_CARENCE
        return None

    @property
    def president_id(self) -> int | None:
        """The president of record: frozen when the deliberation opens."""
        return self.exam.president_id or self.jury_president_id

    def is_president(self, user) -> bool:
        return self.president_id == user.id


def exam_access(user, exam_id: int, *, lock: bool = False) -> ExamAccess:
    """The exam if `user` sits on its jury; otherwise NotFound, as if it did not exist.

    One statement (it runs on every click): the exam, its jury's and session's state,
    the juror's habilitation for the session's certification and their declaration about
    the candidate.
    """
    jurors_signed = (
        db.select(func.count(Signature.id))
        .join(JuryMember, and_(JuryMember.juror_id == Signature.user_id,
                               JuryMember.jury_id == Exam.jury_id))
        .where(Signature.document == JURY_ATTENDANCE, Signature.subject_id == Exam.id)
        .correlate(Exam).scalar_subquery())
    candidate_signed = (
        db.select(Signature.id)
        .where(Signature.document == CANDIDATE_ATTENDANCE, Signature.subject_id == Exam.id)
        .correlate(Exam).exists())
    query = (
        db.select(Exam, ExamSession.referential_id, Jury.president_id, Jury.sits,
                  ExamSession.number, ExamSession.status, Referential, JurorHabilitation,
                  JurorProfile, ConflictDeclaration, IdentityCheck.id,
                  locked_at_of(ExamSession.id), jurors_signed, candidate_signed,
                  CandidateUnsigned.reason, prior_blocks_of(Exam, ExamSession))
        .join(Jury, Exam.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .join(Referential, ExamSession.referential_id == Referential.id)
        .join(JuryMember, and_(JuryMember.jury_id == Jury.id, JuryMember.juror_id == user.id))
        # The juror's habilitation for the session's certification (its code, any version).
        .outerjoin(JurorHabilitation, and_(JurorHabilitation.juror_id == user.id,
                                           JurorHabilitation.referential_code == Referential.code))
        .outerjoin(JurorProfile, JurorProfile.user_id == user.id)
        .outerjoin(ConflictDeclaration, and_(ConflictDeclaration.exam_id == Exam.id,
                                             ConflictDeclaration.juror_id == user.id))
        .outerjoin(IdentityCheck, IdentityCheck.exam_id == Exam.id)
        .outerjoin(CandidateUnsigned, CandidateUnsigned.exam_id == Exam.id)
        .where(Exam.id == exam_id)
    )
    if lock:
        # Inside a write transaction: lock the exam row (PostgreSQL; SQLite holds the
        # write lock already) and re-read it as it is now, since its phase may have
        # moved. Whatever depends on the lock is read by later statements.
        query = query.with_for_update(of=Exam).execution_options(populate_existing=True)
    row = db.session.execute(query).first()
    if row is None:
        raise NotFound(MSG_NO_EXAM)
    (*facts, referential, habilitation, profile, declaration, identity_check_id, minutes_locked_at,
     jurors_signed, candidate_signed, unsigned_reason, prior) = row
    problem = habilitation_problem(user, referential, habilitation, profile)
    return ExamAccess(*facts, habilitation_problem=problem,
                      declaration=declaration, identity_checked=identity_check_id is not None,
                      minutes_locked=minutes_locked_at is not None,
                      jurors_signed=jurors_signed or 0, candidate_signed=bool(candidate_signed),
                      candidate_unsigned=unsigned_reason, prior_blocks=parse_prior(prior))
