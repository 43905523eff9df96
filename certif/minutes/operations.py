"""State changes of a session's minutes: editing, the jurors' signatures, the organiser's visa.

The first juror's signature freezes the content (`content.py`) into `Minutes.content`
and sets `locked_at`: from then on the grading services refuse every write of the
session (`ExamAccess.minutes_locked`). Every later signature, the visa included,
signs that same frozen text. The general minutes are sealed at the visa.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..audit.services import record
from ..database import write_transaction
from ..documents.models import SEALED_MINUTES
from ..documents.seal import seal_pdf
from ..documents.sealed import store_sealed
from ..errors import Conflict, FieldError, Forbidden, NotFound
from ..extensions import db
from ..people import of
from ..sessions.models import Exam, ExamSession, Jury
from ..signatures.models import MINUTES
from ..signatures.services import (
    add_signature,
    require_same_content,
    seen_fingerprint,
    signatures_of,
    user_key,
)
from ..timeutil import utcnow
from . import content as minutes_content
from . import pdfs
from .blocks import record_signed_blocks
from .documents import general_filename
from .inputs import MAX_OBSERVATIONS, MAX_PLACE, MinutesFields, checked_text, parse_clock_time
from .models import ORGANISER_ROLE, Minutes
from .state import MinutesState, juror_state, minutes_state

MSG_LOCKED = ("Le procès-verbal a déjà été signé : son contenu est figé et ne peut plus être "
              "modifié.")
MSG_PRESIDENT_ONLY = "Seul un président de jury de la session peut compléter le procès-verbal."
MSG_NOT_READY = "Le procès-verbal ne peut pas encore être signé : {problems}"
MSG_VISA_TOO_EARLY = ("Le visa ne peut être apposé qu'après la signature du procès-verbal par "
                      "tous les jurés : {missing}.")
MSG_VISA_DONE = "Le visa du responsable d'organisation a déjà été apposé sur ce procès-verbal."
MSG_CHANGED = "Le procès-verbal a changé pendant l'opération : rechargez la page puis recommencez."


# --- Editing before the first signature --------------------------------------------------


def save(user, session_id: int, fields: MinutesFields) -> Minutes:
    """A jury president completes the minutes (observations, times, place) before signing."""
    with write_transaction():
        session = _locked_session(session_id)
        state = juror_state(user, session.id)
        if not state.is_jury_president(user):
            raise Forbidden(MSG_PRESIDENT_ONLY)
        if state.locked:
            raise Conflict(MSG_LOCKED)
        opened = parse_clock_time(session, fields.opened_at, "opened_at", "Heure d'ouverture")
        closed = parse_clock_time(session, fields.closed_at, "closed_at", "Heure de clôture")
        if opened and closed and closed < opened:
            raise FieldError("closed_at", "L'heure de clôture doit suivre l'heure d'ouverture.")
        observations = checked_text(fields.observations, MAX_OBSERVATIONS, "observations",
                                   "L'observation", lines=True)
        place = checked_text(fields.place, MAX_PLACE, "place", "Le lieu", lines=False)
        minutes = _minutes_row(session.id)
        old = _editable(minutes)
        minutes.observations, minutes.opened_at, minutes.closed_at, minutes.place = (
            observations, opened, closed, place)
        new = _editable(minutes)
        if old != new:
            minutes.updated_at, minutes.updated_by_id = utcnow(), user.id
            db.session.flush()
            record(user, "minutes.update", "minutes", minutes.id, old, new, session_id=session.id)
    return minutes


def _editable(minutes: Minutes) -> str:
    def when(value):
        return value.isoformat(timespec="minutes") if value else "–"
    return (f"ouverture {when(minutes.opened_at)}, clôture {when(minutes.closed_at)}, "
            f"lieu {minutes.place or '–'}, observations {minutes.observations or '–'}")


def _locked_session(session_id: int) -> ExamSession:
    """Inside a write transaction: the session row, locked (PostgreSQL) to serialise its minutes."""
    session = db.session.scalar(
        db.select(ExamSession).where(ExamSession.id == session_id)
        .with_for_update(of=ExamSession).execution_options(populate_existing=True))
    if session is None:
        raise NotFound("Session introuvable.")
    return session


def _minutes_row(session_id: int) -> Minutes:
    minutes = db.session.scalar(db.select(Minutes).where(Minutes.session_id == session_id)
                                .execution_options(populate_existing=True))
    if minutes is None:
        minutes = Minutes(session_id=session_id)
        db.session.add(minutes)
        db.session.flush()
    return minutes


# --- Signing: the first signature freezes the content and locks the grades ---------------

def _lock_exam_rows(session_id: int) -> None:
    """PostgreSQL: hold the session's exam rows so that no grading write slips in while the
    content is frozen (a concurrent mark waits, then sees the minutes locked)."""
    if db.engine.dialect.name == "sqlite":
        return  # the write transaction holds the database's single write lock already
    db.session.execute(
        db.select(Exam.id).join(Jury, Exam.jury_id == Jury.id)
        .where(Jury.session_id == session_id).with_for_update(of=Exam)).all()


def sign(user, session_id: int, mark, content_sha256: str | None) -> Minutes:
    """A juror signs the minutes whose fingerprint `content_sha256` their page displayed."""
    seen = seen_fingerprint(content_sha256)
    with write_transaction():
        session = _locked_session(session_id)
        _lock_exam_rows(session.id)
        state = juror_state(user, session.id)
        role = state.role_of(user)
        if not state.locked and state.problems:
            raise Conflict(MSG_NOT_READY.format(problems="; ".join(state.problems) + "."))
        require_same_content(seen, state.content_sha256)
        minutes = _minutes_row(session.id)
        if minutes.locked_at is None:
            _freeze(user, minutes, state.content, state)  # exactly the content just checked
        add_signature(MINUTES, minutes.id, signer_key=user_key(user), role=role,
                      name=user.full_name, content=minutes.content, mark=mark,
                      auth_method="login", user=user)
        signed = {s.user_id for s in signatures_of(MINUTES, [minutes.id])[minutes.id]}
        if minutes.signed_at is None and all(u.id in signed for u, _ in state.signers):
            minutes.signed_at = utcnow()
            record_signed_blocks(user, state, minutes_content.thaw(minutes.content))
            record(user, "minutes.signed", "minutes", minutes.id, None, minutes.content_sha256,
                   session_id=session.id, signers=len(state.signers))
    return minutes


def _freeze(user, minutes: Minutes, content: dict, state: MinutesState) -> None:
    text, sha = minutes_content.freeze(content)
    minutes.content, minutes.content_sha256, minutes.locked_at = text, sha, utcnow()
    # The row says what was signed, defaults included.
    minutes.opened_at = minutes_content.parse_time(content["opened_at"])
    minutes.closed_at = minutes_content.parse_time(content["closed_at"])
    minutes.place = content["place"]
    record(user, "minutes.lock", "minutes", minutes.id, None, sha,
           session_id=state.session.id, exams=len(content["exams"]))


# --- The organiser's visa -----------------------------------------------------------------

@dataclass(frozen=True)
class PendingSignature:
    """The visa as the sealed PDF shows it, before its row exists (same mark, same content)."""

    method: str
    image_png: bytes | None
    typed_name: str | None
    signer_name: str
    signed_at: datetime
    content_sha256: str
    signer_role: str = ORGANISER_ROLE
    user_id: int | None = None



def visa(user, session_id: int, mark, content_sha256: str | None) -> Minutes:
    """The organiser's visa once every juror signed; the general minutes are sealed with it.

    The PDF is built and sealed before the write transaction (it takes time); the
    transaction then checks that nothing changed meanwhile."""
    seen = seen_fingerprint(content_sha256)
    state = minutes_state(session_id)
    _require_visa_possible(state)
    require_same_content(seen, state.content_sha256)  # before the costly seal
    pending = PendingSignature(mark.method, mark.image_png, mark.typed_name, user.full_name,
                               utcnow(), state.minutes.content_sha256, user_id=user.id)
    data = pdfs.render_general(state, visa=pending)
    sealed = seal_pdf(data, reason=f"Procès-verbal signé de la session n° {state.session.number}")
    expected = (state.minutes.id, state.minutes.content_sha256, len(state.signatures))
    with write_transaction():
        session = _locked_session(session_id)
        minutes = _minutes_row(session.id)
        now = minutes_state(session.id)
        _require_visa_possible(now)
        require_same_content(seen, now.content_sha256)
        if (minutes.id, minutes.content_sha256, len(now.signatures)) != expected:
            raise Conflict(MSG_CHANGED)
        # The time printed in the sealed PDF is the signature's own.
        signature = add_signature(MINUTES, minutes.id, signer_key=user_key(user), role=ORGANISER_ROLE,
                                  name=user.full_name, content=minutes.content, mark=mark,
                                  auth_method="login", user=user, signed_at=pending.signed_at)
        minutes.visa_at, minutes.visa_by_id = pending.signed_at, user.id
        document = store_sealed(SEALED_MINUTES, session.id, general_filename(session), sealed)
        record(user, "minutes.visa", "minutes", minutes.id, None, minutes.content_sha256,
               session_id=session.id, signature_id=signature.id, sealed_sha256=document.sha256)
    return minutes


def _require_visa_possible(state: MinutesState) -> None:
    if state.visa_given:
        raise Conflict(MSG_VISA_DONE)
    if not state.signed:
        missing = ", ".join(u.full_name for u in state.missing) or "aucun juré n'a signé"
        raise Conflict(MSG_VISA_TOO_EARLY.format(missing=f"signature attendue {of(missing)}"
                                                 if state.missing else missing))
