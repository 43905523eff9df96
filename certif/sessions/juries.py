"""Composing a session's juries while it is prepared: who can be chosen, two jurors
habilitated for the session's certification one of whom presides, one jury per juror and
session; adding, editing and removing a jury. Every write runs in one `write_transaction`
with its audit entry."""
from __future__ import annotations

from dataclasses import dataclass

from ..audit.services import record
from ..auth.models import JUROR, User, UserRole
from ..database import write_transaction
from ..errors import Conflict, FieldError
from ..extensions import db
from ..jurors.habilitations import habilitation_problem
from .models import PREPARING, ExamSession, Jury, JuryMember
from .queries import get_jury, get_session, graded_exam_ids

MSG_ABSENT_JUROR = ("{name} était absent(e) lors de la carence que cette session remplace : "
                    "choisissez un autre juré.")


@dataclass(frozen=True)
class JuryChoice:
    juror_1_id: int | None
    juror_2_id: int | None
    president_id: int | None


def habilitation_problems(users, referential) -> dict:
    """user id -> why they cannot sit on a jury of `referential`'s certification (None when
    they can)."""
    return {user.id: habilitation_problem(user, referential) for user in users}


def juror_choices() -> list[User]:
    """Active users with the juror role, by name (habilitated or not: the page says which,
    for the session's certification)."""
    return db.session.scalars(
        db.select(User).join(UserRole).where(UserRole.role == JUROR, User.active.is_(True))
        # read by habilitation_problem
        .options(db.selectinload(User.juror_profile), db.selectinload(User.juror_habilitations))
        .order_by(User.last_name, User.first_name)).unique().all()


def _chosen_jurors(session: ExamSession, choice: JuryChoice, jury: Jury | None = None) -> list[User]:
    if not choice.juror_1_id or not choice.juror_2_id:
        raise FieldError("juror_1_id" if not choice.juror_1_id else "juror_2_id",
                         "Choisissez les deux jurés du jury.")
    if choice.juror_1_id == choice.juror_2_id:
        raise FieldError("juror_2_id", "Les deux jurés doivent être deux personnes différentes.")
    if choice.president_id not in (choice.juror_1_id, choice.juror_2_id):
        raise FieldError("president_id", "Le président doit être l'un des deux jurés du jury.")
    jurors = []
    for field, user_id in (("juror_1_id", choice.juror_1_id), ("juror_2_id", choice.juror_2_id)):
        user = db.session.get(User, user_id)
        if user is None:
            raise FieldError(field, "Juré introuvable.")
        problem = habilitation_problem(user, session.referential)
        if problem:
            raise FieldError(field, problem)
        if session.replaces_jury is not None and user.id == session.replaces_jury.absent_juror_id:
            raise FieldError(field, MSG_ABSENT_JUROR.format(name=user.full_name))
        jurors.append(user)
    for other in session.juries:
        if other is jury or not other.sits:
            continue
        for juror in jurors:
            if any(m.juror_id == juror.id for m in other.members):
                raise Conflict(f"{juror.full_name} siège déjà dans le {other.label} de cette "
                               "session : un juré ne peut siéger que dans un jury par session.")
    return jurors


def require_preparing(session: ExamSession) -> None:
    if session.status not in PREPARING:
        raise Conflict(f"La session est « {session.status_label.lower()} » : ses jurys ne "
                       "peuvent plus être composés ni modifiés ici.")


def _seat(jury: Jury, jurors: list[User], president_id: int) -> None:
    jury.members = [JuryMember(juror=juror, seat=seat) for seat, juror in enumerate(jurors, 1)]
    jury.president_id = president_id


def _jury_text(jury: Jury) -> str:
    names = [m.juror.full_name + (" (président)" if m.juror_id == jury.president_id else "")
             for m in jury.members]
    return ", ".join(names)


def add_jury(actor, session_id: int, choice: JuryChoice) -> Jury:
    with write_transaction():
        session = get_session(session_id, lock=True)
        require_preparing(session)
        jurors = _chosen_jurors(session, choice)
        jury = Jury(position=max((j.position for j in session.juries), default=0) + 1)
        _seat(jury, jurors, choice.president_id)
        session.juries.append(jury)
        db.session.flush()
        record(actor, "jury.create", "jury", jury.id, new=_jury_text(jury), session_id=session.id,
               position=jury.position)
    return jury


def edit_jury(actor, jury_id: int, choice: JuryChoice) -> Jury:
    with write_transaction():
        jury = get_jury(jury_id)
        session = get_session(jury.session_id, lock=True)
        require_preparing(session)
        if not jury.sits:
            raise Conflict(f"{jury.label} a été arrêté (carence) : il ne peut plus être modifié.")
        if graded_exam_ids(e.id for e in jury.exams):
            raise Conflict(f"Un juré du {jury.label} a déjà commencé à évaluer : sa composition "
                           "ne peut plus changer.")
        jurors = _chosen_jurors(session, choice, jury)
        old = _jury_text(jury)
        if [m.juror_id for m in jury.members] != [j.id for j in jurors]:
            jury.members = []
            db.session.flush()  # free the seats before they are taken again
            _seat(jury, jurors, choice.president_id)
        jury.president_id = choice.president_id
        db.session.flush()
        new = _jury_text(jury)
        if old != new:
            record(actor, "jury.update", "jury", jury.id, old, new, session_id=session.id)
    return jury


def delete_jury(actor, jury_id: int) -> ExamSession:
    with write_transaction():
        jury = get_jury(jury_id)
        session = get_session(jury.session_id, lock=True)
        require_preparing(session)
        if jury.exams:
            raise Conflict(f"{jury.label} a des candidats : retirez-les ou déplacez-les vers un "
                           "autre jury avant de le supprimer.")
        record(actor, "jury.delete", "jury", jury.id, _jury_text(jury), None,
               session_id=session.id, position=jury.position)
        session.juries.remove(jury)
        db.session.flush()
        # Keep the labels consecutive: Jury 1, Jury 2 …
        for position, other in enumerate(session.juries, start=1):
            other.position = position
    return session


def jury_problem(jury: Jury) -> str | None:
    """Why a jury cannot sit as composed: two distinct jurors, one of them presiding."""
    ids = [m.juror_id for m in jury.members]
    if len(ids) != 2 or len(set(ids)) != 2:
        return f"{jury.label} est incomplet : il faut deux jurés."
    if jury.president_id not in ids:
        return f"{jury.label} n'a pas de président : nommez l'un de ses deux jurés."
    return None
