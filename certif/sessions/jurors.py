"""A juror seen from the sessions: the juries they sit on, the organiser's habilitation
decision per certification (an unfavourable one refused while they still grade for it), and
the conflicts of interest declared by the jurors who sit on an exam's jury.

Jurors sit below the sessions and know nothing of juries; what reads or guards a juror's
seats lives here. Every write runs in `write_transaction` with its audit entry (entity
"juror", entity_id the juror's user id).
"""
from __future__ import annotations

from sqlalchemy import and_

from ..audit.services import record
from ..auth.models import User
from ..database import write_transaction
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..jurors.habilitations import certification, habilitations_for
from ..jurors.models import (
    FAVOURABLE,
    HABILITATION_RESULTS,
    UNFAVOURABLE,
    ConflictDeclaration,
    JurorHabilitation,
)
from ..jurors.services import get_juror
from ..referentials.models import Referential
from ..text import clean_text
from ..timeutil import utcnow
from .models import DELIBERATION, GRADING, STOPPED, Exam, ExamSession, Jury, JuryMember

MAX_COMMENT = 2000
MSG_COMMENT_NEEDED_UNFAVOURABLE = ("Expliquez l'avis défavorable dans le commentaire : "
                                   "il est obligatoire dans ce cas.")
MSG_COMMENT_NEEDED_DEROGATION = ("Les conditions d'habilitation ne sont pas toutes remplies : "
                                 "justifiez l'avis favorable dans le commentaire.")


def juror_juries(user_id: int) -> list[Jury]:
    """The juries a juror sits on, most recent session first."""
    return db.session.scalars(
        db.select(Jury).join(JuryMember, JuryMember.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .where(JuryMember.juror_id == user_id)
        .options(db.joinedload(Jury.session).joinedload(ExamSession.referential))
        .order_by(ExamSession.starts_at.desc(), Jury.position)).unique().all()


def juries_still_grading(user_id: int, code: str | None = None) -> list[Jury]:
    """The juries `user_id` sits on that still have candidates to grade or deliberate on
    (only those of the certification `code`, when given).

    A stopped jury (carence) grades no more, but its open deliberations go on.
    """
    still_open = (db.select(Exam.id)
                  .where(Exam.jury_id == Jury.id, Exam.is_active,
                         db.or_(Exam.phase == DELIBERATION, and_(Exam.phase == GRADING, Jury.sits)))
                  .exists())
    query = (
        db.select(Jury)
        .join(JuryMember, and_(JuryMember.jury_id == Jury.id, JuryMember.juror_id == user_id))
        .join(ExamSession, Jury.session_id == ExamSession.id)
        # Stopped sessions' juries no longer grade: nothing is at stake there any more.
        .where(ExamSession.status.not_in(STOPPED), still_open)
        .options(db.joinedload(Jury.session))
        .order_by(ExamSession.starts_at, Jury.position))
    if code is not None:
        query = query.join(Referential, ExamSession.referential_id == Referential.id) \
            .where(Referential.code == code)
    return db.session.scalars(query).unique().all()


def unfavourable_blocked_message(user: User, juries: list[Jury], title: str) -> str:
    where = ", ".join(f"session n° {jury.session.number} ({jury.label})" for jury in juries)
    return (f"{user.full_name} siège dans un jury de la certification {title} dont des "
            f"candidats sont encore en cours d'évaluation ou de délibération : {where}. Un "
            "juré sans habilitation ne peut pas évaluer : remplacez-le d'abord dans ce jury "
            "(modifier le jury, ou constater une carence), puis enregistrez l'avis défavorable.")


def decide(actor, user_id: int, code: str, result: str | None,
           comment: str | None) -> JurorHabilitation:
    """Record the organiser's habilitation decision (favourable or unfavourable) for the
    certification `code`; the previous one stays in the audit log."""
    referential = certification(code)  # 404 before anything else
    if result not in HABILITATION_RESULTS:
        raise InvalidInput("Choisissez le résultat de l'habilitation : favorable ou défavorable.")
    comment = clean_text(comment) or None
    if comment and len(comment) > MAX_COMMENT:
        raise InvalidInput(f"Le commentaire ne doit pas dépasser {MAX_COMMENT} caractères.")
    with write_transaction():
        user = get_juror(user_id)
        referential = certification(code)
        # Unfavourable, or favourable against the rules: the comment says why.
        if not comment and result == UNFAVOURABLE:
            raise InvalidInput(MSG_COMMENT_NEEDED_UNFAVOURABLE)
        entry = habilitations_for(user, only=code)[0]
        recommendation = entry.recommendation
        if not comment and result == FAVOURABLE and not recommendation.favourable:
            raise InvalidInput(MSG_COMMENT_NEEDED_DEROGATION)
        if result == UNFAVOURABLE:
            # Grading refuses a juror without habilitation: their candidates would be stranded.
            juries = juries_still_grading(user.id, code)
            if juries:
                raise Conflict(unfavourable_blocked_message(user, juries, referential.title))
        habilitation = entry.habilitation
        old = habilitation.result if habilitation else None
        old_comment = habilitation.comment if habilitation else None
        if habilitation is None:
            habilitation = JurorHabilitation(juror_id=user.id, referential_code=code)
            db.session.add(habilitation)
        habilitation.result, habilitation.comment = result, comment
        habilitation.decided_at, habilitation.decided_by_id = utcnow(), actor.id
        db.session.flush()
        record(actor, "juror.decide", "juror", user.id, old, result, certification=code,
               comment=comment, previous_comment=old_comment,
               recommended=recommendation.favourable, complete=recommendation.complete)
    return habilitation


def conflicts_for_exams(exam_ids, *, sitting_only: bool = True) -> dict[int, list[ConflictDeclaration]]:
    """Declared conflicts (has_conflict) per exam id, oldest first.

    With `sitting_only` (the default), only those of jurors who still sit on the
    exam's jury: once the candidate is moved to another jury the conflict is
    resolved and no longer listed. `sitting_only=False` returns them all (e.g. to
    refuse moving a candidate back before a juror who declared knowing them).
    """
    ids = list(exam_ids)
    if not ids:
        return {}
    query = (db.select(ConflictDeclaration)
             .where(ConflictDeclaration.exam_id.in_(ids), ConflictDeclaration.has_conflict.is_(True))
             .options(db.joinedload(ConflictDeclaration.juror))
             .order_by(ConflictDeclaration.declared_at, ConflictDeclaration.id))
    if sitting_only:
        query = (query.join(Exam, Exam.id == ConflictDeclaration.exam_id)
                 .join(JuryMember, and_(JuryMember.jury_id == Exam.jury_id,
                                        JuryMember.juror_id == ConflictDeclaration.juror_id)))
    found: dict[int, list[ConflictDeclaration]] = {}
    for declaration in db.session.scalars(query).unique():
        found.setdefault(declaration.exam_id, []).append(declaration)
    return found
