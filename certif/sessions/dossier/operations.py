"""Changes to a candidate's file, each audited: a piece handed in through the personal link
(with its receipt by email), the organiser's extension of the deadline and plan checklist."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...audit.services import record
from ...candidates.dossier import rules, storage
from ...candidates.dossier.models import CandidateFile, FileEntry
from ...candidates.links import make_token
from ...candidates.models import Candidate
from ...database import get_row, write_transaction
from ...errors import Conflict, FieldError, InvalidInput, NotFound
from ...extensions import db
from ...mail import services as mail
from ...text import clean_text
from ...timeutil import french_date, paris_day, paris_today, utcnow
from ...web import external_url
from ..models import Exam
from . import content
from .queries import FileView, file_view

MSG_NO_EXAM = "Passage introuvable."
MSG_NO_FILE = "Cette certification ne demande pas de dossier au candidat."
MSG_NOT_ASKED = "Cette pièce n'est pas demandée dans votre dossier (répondez d'abord aux questions)."
MSG_CLOSED = ("La date limite de dépôt du dossier était le {day} : le dépôt est fermé. Si vous avez "
              "un motif, demandez un délai au responsable d'organisation de la certification.")
MSG_ANSWER = "Répondez par oui ou par non."
MSG_TEXT_LONG = f"Le texte ne doit pas dépasser {rules.MAX_TEXT} caractères."
MSG_REASON = "Indiquez le motif du délai accordé."
MSG_UNTIL = "La nouvelle date limite doit suivre la date limite prévue ({day})."
MSG_UNTIL_SESSION = "La nouvelle date limite doit précéder le jour de la session."
MSG_PLAN_POINT = "Point du plan inconnu."


@dataclass
class Submission:
    """What the candidate posted for one piece (inputs.py fills it)."""

    piece: str
    value: str | None = None
    minutes: int | None = None
    data: bytes | None = None
    filename: str | None = None


def candidate_file(candidate: Candidate, exam_id: int) -> FileView:
    """The file of one of the candidate's own sittings; 404 for anyone else's."""
    exam = db.session.get(Exam, exam_id)
    if exam is None or exam.candidate_id != candidate.id:
        raise NotFound(MSG_NO_EXAM)
    view = file_view(exam)
    if view is None:
        raise NotFound(MSG_NO_FILE)
    return view


def closed_message(view: FileView, today: date) -> str | None:
    """Why the candidate can no longer hand in a piece (the deadline passed), or None."""
    if rules.on_time(today, view.last_day):
        return None
    return MSG_CLOSED.format(day=french_date(view.last_day))


def _check(view: FileView, sent: Submission, today: date):
    piece = view.deliverables.piece(sent.piece)
    if piece is None or piece.key not in {s.piece.key for s in view.statuses}:
        raise InvalidInput(MSG_NOT_ASKED)
    closed = closed_message(view, today)
    if closed:
        raise Conflict(closed)
    value = sent.value
    if piece.kind == "pdf":
        return piece, storage.check_pdf(sent.data)
    if piece.kind == "yesno":
        if value not in rules.ANSWERS:
            raise FieldError(piece.key, MSG_ANSWER)
    elif piece.kind == "text":
        value = clean_text(value)
        if len(value) > rules.MAX_TEXT:
            raise FieldError(piece.key, MSG_TEXT_LONG)
        problem = rules.words_problem(value, piece.words)
        if problem:
            raise FieldError(piece.key, problem)
    else:
        problem = rules.url_problem(value) or (
            rules.minutes_problem(sent.minutes, piece.max_minutes) if piece.kind == "video" else None)
        if problem:
            raise FieldError(piece.key, problem)
    sent.value = (value or "").strip()
    return piece, None


def submit(candidate: Candidate, exam_id: int, sent: Submission, *, today: date | None = None) -> FileEntry:
    """Hand in one piece (a new version replaces the current one, kept in the history) and
    send the receipt. Refused (400) when not asked or invalid, (409) after the deadline."""
    today = today or paris_today()
    view = candidate_file(candidate, exam_id)
    piece, sha256 = _check(view, sent, today)
    stored = storage.write(sent.data) if sha256 else None
    try:
        with write_transaction():
            view = candidate_file(db.session.get(Candidate, candidate.id), exam_id)
            session = view.session
            file = view.file or CandidateFile(candidate_id=candidate.id,
                                              certification=session.referential.code, plan_checked=[])
            db.session.add(file)
            now = utcnow()
            previous = view.current.get(piece.key)
            if previous is not None:
                previous.replaced_at = now
            entry = FileEntry(file=file, piece=piece.key, submitted_at=now, stored_name=stored,
                              value=None if sha256 else sent.value,
                              minutes=sent.minutes if piece.kind == "video" else None,
                              filename=(sent.filename or "document.pdf")[:255] if sha256 else None,
                              size=len(sent.data) if sha256 else None, sha256=sha256)
            db.session.add(entry)
            db.session.flush()
            record(None, "dossier.submit", "candidate_file_entry", entry.id,
                   previous.id if previous else None, piece.key, candidate_id=candidate.id,
                   exam_id=exam_id, sha256=sha256, late=not rules.on_time(today, view.due))
            pending = None
            if candidate.email:
                link = external_url("dossier.candidate_file", token=make_token(candidate),
                                    exam_id=exam_id)
                subject, body = content.receipt(candidate, session, piece, entry,
                                                previous is not None, view.last_day, link)
                pending = mail.record_pending([candidate.email], subject, body)
                entry.receipt_mail_id = pending.mail_id
    except BaseException:
        storage.delete(stored)
        raise
    if pending is not None:
        error = mail.deliver(pending)
        with write_transaction():
            mail.record_outcome(pending, error)
    return entry


def _organiser_file(exam_id: int) -> tuple[Exam, CandidateFile]:
    exam = get_row(Exam, exam_id, MSG_NO_EXAM)
    view = file_view(exam)
    if view is None:
        raise NotFound(MSG_NO_FILE)
    file = view.file
    if file is None:
        file = CandidateFile(candidate_id=exam.candidate_id,
                             certification=view.session.referential.code, plan_checked=[])
        db.session.add(file)
        db.session.flush()
    return exam, file


def grant_extension(actor, exam_id: int, until: date | None, reason: str | None) -> CandidateFile:
    """A later deadline for this candidate's file, with its reason (audited)."""
    reason = clean_text(reason)
    if not reason:
        raise FieldError("reason", MSG_REASON)
    with write_transaction():
        exam, file = _organiser_file(exam_id)
        view = file_view(exam, file)
        if until is None or until <= view.due:
            raise FieldError("until", MSG_UNTIL.format(day=french_date(view.due)))
        if until >= paris_day(view.session.starts_at):
            raise FieldError("until", MSG_UNTIL_SESSION)
        old = file.extended_until
        file.extended_until, file.extension_reason = until, reason[:1000]
        file.extended_by_id, file.extended_at = actor.id, utcnow()
        record(actor, "dossier.extend", "candidate_file", file.id, old, until.isoformat(),
               exam_id=exam_id, reason=file.extension_reason)
    return file


def set_plan_point(actor, exam_id: int, point: int, checked: bool) -> FileView:
    """The organiser ticks (or unticks) one point of the 8-point plan (audited)."""
    with write_transaction():
        exam, file = _organiser_file(exam_id)
        if not 1 <= point <= len(exam.jury.session.referential.deliverables.plan):
            raise NotFound(MSG_PLAN_POINT)
        ticked = set(file.plan_checked or [])
        before = point in ticked
        ticked = ticked | {point} if checked else ticked - {point}
        file.plan_checked = sorted(ticked)
        if before != checked:
            record(actor, "dossier.plan", "candidate_file", file.id, before, checked,
                   exam_id=exam_id, point=point)
    return file_view(exam, file)


def open_piece(view: FileView, entry_id: int, actor, *, opened_by: str,
               download: bool = False) -> tuple[FileEntry, bytes | None]:
    """A version of a piece of this file and, for a PDF, its bytes; the opening (or download)
    is audited. 404 when the version is not of this file."""
    entry = view.entry(entry_id)
    if entry is None:
        raise NotFound("Pièce introuvable.")
    data = None
    if entry.stored_name is not None:
        try:
            data = storage.read(entry.stored_name)
        except (OSError, ValueError):
            raise NotFound("Le fichier de cette pièce est introuvable.") from None
    with write_transaction():
        record(actor, "dossier.download" if download else "dossier.open", "candidate_file_entry",
               entry.id, None, entry.piece, exam_id=view.exam.id, by=opened_by)
    return entry, data
