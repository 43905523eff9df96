"""A juror's access to an exam they sit on: the exam, and whether they may write on it now.

The exam day (identity check, attendance) and grading (marks, deliberation) both start
from it: one statement, run on every click, that returns the exam only to a juror of its
jury (NotFound otherwise, as if it did not exist) with the state of its jury and session,
the juror's habilitation and declaration, the identity check and the grades' lock.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_

from ..errors import NotFound
from ..extensions import db
from ..jurors.models import ConflictDeclaration, JurorProfile
from ..jurors.services import habilitation_problem
from ..referentials.services import Layout, layout
from ..sessions.locks import locked_at_of
from ..sessions.models import (
    ABSENT_EXCUSED,
    ABSENT_UNEXCUSED,
    CANCELLED,
    GRADING,
    MOVED,
    SCHEDULED,
    SESSION_CLOSED,
    Exam,
    ExamSession,
    Jury,
    JuryMember,
)
from .models import IdentityCheck

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
MSG_NOT_HABILITATED = ("Votre habilitation de juré n'est pas (ou plus) favorable : vous ne pouvez "
                       "ni évaluer ni délibérer. Le responsable d'organisation doit vous remplacer "
                       "dans ce jury.")
MSG_MINUTES_SIGNED = ("Le procès-verbal de la session n° {number} est signé : les notes sont "
                      "verrouillées et ne peuvent plus être modifiées.")
# Grading and deliberating stop in these sessions; a draft one (its convocations not yet
# sent on the exam day, in some setups) can be graded.
STOPPED_SESSIONS = {CANCELLED: MSG_SESSION_CANCELLED, SESSION_CLOSED: MSG_SESSION_CLOSED}

@dataclass
class ExamAccess:
    """An exam as one of its jurors reaches it, with what decides whether they may write."""

    exam: Exam
    referential_id: int
    jury_president_id: int | None
    jury_stopped_at: object | None  # the carence, if the jury was stopped
    session_number: str
    session_status: str
    habilitation_problem: str | None  # why this juror may not sit (see jurors.services)
    declaration: ConflictDeclaration | None  # this juror's, about this candidate
    identity_checked: bool = False  # the jury checked the candidate's identity (grading unlocks)
    minutes_locked: bool = False  # the session's minutes are signed: grades are locked

    @property
    def layout(self) -> Layout:
        return layout(self.referential_id)

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
            if self.exam.status != SCHEDULED:
                return MSG_NOT_SITTING
            if self.jury_stopped_at is not None:
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
    the juror's habilitation profile and their declaration about the candidate.
    """
    query = (
        db.select(Exam, ExamSession.referential_id, Jury.president_id, Jury.stopped_at,
                  ExamSession.number, ExamSession.status, JurorProfile, ConflictDeclaration,
                  IdentityCheck.id, locked_at_of(ExamSession.id))
        .join(Jury, Exam.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .join(JuryMember, and_(JuryMember.jury_id == Jury.id, JuryMember.juror_id == user.id))
        .outerjoin(JurorProfile, JurorProfile.user_id == user.id)
        .outerjoin(ConflictDeclaration, and_(ConflictDeclaration.exam_id == Exam.id,
                                             ConflictDeclaration.juror_id == user.id))
        .outerjoin(IdentityCheck, IdentityCheck.exam_id == Exam.id)
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
    *facts, profile, declaration, identity_check_id, minutes_locked_at = row
    return ExamAccess(*facts, habilitation_problem=habilitation_problem(user, profile),
                      declaration=declaration, identity_checked=identity_check_id is not None,
                      minutes_locked=minutes_locked_at is not None)
