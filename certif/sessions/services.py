"""Creating, editing and cancelling a session: the organiser's fields are checked, then each
write runs in one `write_transaction` with its audit entry.

Refusals raise FieldError or InvalidInput (400: what was typed is wrong), Conflict (409: the
state of the session forbids it) or NotFound (404), each with a French message."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, FieldError
from ..extensions import db
from ..referentials.models import Referential
from ..referentials.registration import session_day_problem
from ..text import clean_text
from ..timeutil import paris_to_utc, paris_today, utcnow
from . import rules
from .lifecycle import cancel_problem
from .models import CANCELLED, DRAFT, FINISHED, IN_PROGRESS, MODES, Exam, ExamSession, Jury
from .queries import get_session, latest_referentials, session_day
from .slots import reschedule


class FieldConflict(Conflict):
    """A conflict (409) about one field's value, e.g. a session number already taken."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SessionFields:
    """What the organiser types for a session (Paris wall-clock date and time)."""

    number: str
    referential_id: int
    day: date
    start: time
    mode: str
    place: str | None = None
    video_link: str | None = None
    technical_requirements: str | None = None

    @property
    def starts_at(self) -> datetime:
        return paris_to_utc(self.day, self.start)


def _clean(text: str | None) -> str | None:
    """Trimmed, None when empty; line breaks as sent (the rules check them per field)."""
    return clean_text(text, breaks="keep") or None


def _checked(fields: SessionFields) -> SessionFields:
    """The fields trimmed, with what the mode does not use dropped; FieldError when wrong."""
    number = _clean(fields.number)
    if number is None:
        raise FieldError("number", "Indiquez le numéro de la session.")
    if len(number) > 40:
        raise FieldError("number", "Le numéro de session ne peut dépasser 40 caractères.")
    if rules.has_control_chars(number):
        raise FieldError("number", rules.MSG_CONTROL_CHARS.format(what="Le numéro de session"))
    if fields.day is None:
        raise FieldError("day", "Indiquez la date de l'épreuve.")
    # Before anything computes the UTC start or a deadline from it (year 1 or 9999 overflow).
    day_problem = rules.session_day_problem(fields.day)
    if day_problem:
        raise FieldError("day", day_problem)
    if fields.start is None:
        raise FieldError("start", "Indiquez l'heure de début.")
    if fields.mode not in MODES:
        raise FieldError("mode", "Choisissez une modalité : à distance, en présentiel ou les deux.")
    on_site, remote = fields.mode in ("on_site", "both"), fields.mode in ("remote", "both")
    place = _clean(fields.place) if on_site else None
    link = _clean(fields.video_link) if remote else None
    if on_site and place is None:
        raise FieldError("place", "Indiquez le lieu de la session (épreuve en présentiel).")
    if remote and link is None:
        raise FieldError("video_link", "Indiquez le lien de visioconférence (épreuve à distance).")
    if place is not None and rules.has_control_chars(place):
        raise FieldError("place", rules.MSG_CONTROL_CHARS.format(what="Le lieu"))
    if link is not None and rules.has_control_chars(link):
        raise FieldError("video_link", rules.MSG_CONTROL_CHARS.format(what="Le lien de visioconférence"))
    if link is not None and not _is_https_url(link):
        raise FieldError("video_link", "Le lien de visioconférence doit être une adresse "
                                       "commençant par https://.")
    requirements = _clean(fields.technical_requirements)
    if requirements is not None and len(requirements) > rules.MAX_TEXT:
        raise FieldError("technical_requirements",
                         f"Les prérequis techniques ne peuvent dépasser {rules.MAX_TEXT} caractères.")
    if rules.has_control_chars(requirements, multiline=True):
        raise FieldError("technical_requirements", "Les prérequis techniques ne peuvent contenir "
                                                   "de caractère de contrôle.")
    return replace(fields, number=number, place=place, video_link=link,
                   technical_requirements=requirements)


def _is_https_url(link: str) -> bool:
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:  # e.g. "https://[" (an unclosed IPv6 address)
        return False
    return (parts.scheme == "https" and bool(host) and not any(c.isspace() for c in link)
            and len(link) <= 500)


def _require_future(fields: SessionFields, today: date) -> None:
    if fields.day < today:
        raise FieldError("day", "La date de la session est passée : choisissez une date à venir.")


def _require_free_number(number: str, session_id: int | None = None) -> None:
    query = db.select(ExamSession.id).where(ExamSession.number == number)
    if session_id is not None:
        query = query.where(ExamSession.id != session_id)
    if db.session.scalar(query) is not None:
        raise FieldConflict("number", f"Le numéro de session « {number} » est déjà utilisé : "
                                      "choisissez-en un autre.")


def _require_latest_referential(referential_id: int) -> Referential:
    referential = next((r for r in latest_referentials() if r.id == referential_id), None)
    if referential is None:
        raise FieldError("referential_id", "Choisissez une certification dans la liste.")
    return referential


def _require_registered(referential: Referential, day: date) -> None:
    """No session after the certification's registration end date (the end day itself is fine)."""
    problem = session_day_problem(referential.registration_facts, day)
    if problem:
        raise FieldError("day", problem)


def create_session(actor, fields: SessionFields, *, today: date | None = None) -> ExamSession:
    """A new session in draft, pinned to the latest version of its referential."""
    fields = _checked(fields)
    _require_future(fields, today or paris_today())
    with write_transaction():
        _require_free_number(fields.number)
        referential = _require_latest_referential(fields.referential_id)
        _require_registered(referential, fields.day)
        session = ExamSession(number=fields.number, referential=referential,
                              starts_at=fields.starts_at, mode=fields.mode, place=fields.place,
                              video_link=fields.video_link,
                              technical_requirements=fields.technical_requirements,
                              status=DRAFT)
        db.session.add(session)
        _flush_number(session.number)
        record(actor, "session.create", "session", session.id, new=session.number,
               referential=referential.label, starts_at=session.starts_at.isoformat(),
               mode=session.mode)
    return session


def referential_locked_reason(session: ExamSession) -> str | None:
    """Why the pinned referential can no longer change (None while it still can)."""
    if session.status != DRAFT:
        return "La certification ne peut plus changer une fois la session convoquée."
    if _session_exam_count(session.id):
        return ("La certification ne peut plus changer : des candidats sont déjà placés "
                "dans les jurys de cette session.")
    return None


def _session_exam_count(session_id: int) -> int:
    return db.session.scalar(db.select(func.count(Exam.id)).join(Jury, Exam.jury_id == Jury.id)
                             .where(Jury.session_id == session_id))


def edit_locked_reason(session: ExamSession) -> str | None:
    if session.status in FINISHED:
        return (f"La session est « {session.status_label.lower()} » : "
                "elle ne peut plus être modifiée.")
    return None


def update_session(actor, session_id: int, fields: SessionFields, *,
                   today: date | None = None) -> ExamSession:
    """Change a session's facts; a new date or time reschedules every jury's slots
    (the convocations already sent then show as to be sent again)."""
    fields = _checked(fields)
    with write_transaction():
        session = get_session(session_id, lock=True)
        locked = edit_locked_reason(session)
        if locked:
            raise Conflict(locked)
        _require_free_number(fields.number, session.id)
        moved = fields.starts_at != session.starts_at
        if moved:
            if session.status == IN_PROGRESS:
                raise Conflict("La session est en cours : sa date et son heure ne peuvent plus "
                               "changer.")
            _require_future(fields, today or paris_today())
            _require_replacement_window(session, fields.day)
        other_referential = fields.referential_id != session.referential_id
        if other_referential:
            reason = referential_locked_reason(session)
            if reason:
                raise Conflict(reason)
            old_label = session.referential.label
            session.referential = _require_latest_referential(fields.referential_id)
            record(actor, "session.update", "session", session.id, old_label,
                   session.referential.label, field="referential")
        if moved or other_referential:
            _require_registered(session.referential, fields.day)
        for name in ("number", "mode", "place", "video_link", "technical_requirements"):
            old, new = getattr(session, name), getattr(fields, name)
            if old != new:
                setattr(session, name, new)
                record(actor, "session.update", "session", session.id, old, new, field=name)
        if moved:
            record(actor, "session.update", "session", session.id,
                   session.starts_at.isoformat(), fields.starts_at.isoformat(), field="starts_at")
            session.starts_at = fields.starts_at
            for jury in session.juries:
                reschedule(jury)
        _flush_number(session.number)
    return session


def _require_replacement_window(session: ExamSession, day: date) -> None:
    """A replacement session (carence) stays within 30 days of the absence, edited or not."""
    if session.replaces_jury_id is None:
        return
    absence = session_day(session.replaces_jury.session)
    problem = rules.replacement_date_problem(absence, day)
    if problem:
        raise FieldError("day", problem)


def _flush_number(number: str) -> None:
    """Flush, turning a race on the unique number (another organiser, same instant) into a 409."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise FieldConflict("number", f"Le numéro de session « {number} » est déjà utilisé : "
                                      "choisissez-en un autre.") from exc


def cancel_session(actor, session_id: int, reason: str | None) -> ExamSession:
    reason = _clean(reason)
    if reason is None:
        raise FieldError("reason", "Indiquez le motif de l'annulation.")
    if len(reason) > rules.MAX_TEXT:
        raise FieldError("reason", f"Le motif ne peut dépasser {rules.MAX_TEXT} caractères.")
    with write_transaction():
        session = get_session(session_id, lock=True)
        problem = cancel_problem(session)
        if problem:
            raise Conflict(problem)
        old = session.status
        session.status = CANCELLED
        session.cancelled_at = utcnow()
        session.cancel_reason = reason
        record(actor, "session.cancel", "session", session.id, old, CANCELLED, reason=reason)
    return session
