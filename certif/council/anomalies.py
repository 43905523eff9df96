"""Anomaly sheets (annex 3): who may file one and for which session, the filing itself
(sheet, signature and audit entry together), who may read a sheet, and its PDF.

Seed 000, II.B.1: "Cette fiche devra être complétée par anomalie constatée, elle devra
également être tenue à disposition des candidat(e)s qui constateraient un dysfonctionnement."

Decisions: a user who sits on a jury of the session files as a juror, otherwise as the
organiser (an organiser may file for any session); a candidate files from their personal
link for a session where they have an exam. Cancelled sessions take no sheet. The "Date de
l'épreuve" is the session's day (a session lasts one day): the service sets it, whatever is
posted; a session still to come (its day after today, Paris) takes no sheet yet.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from .. import timeutil
from ..audit.services import record
from ..auth.models import COUNCIL, JUROR, ORGANISER
from ..database import write_transaction
from ..documents.pdf import render_pdf
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..sessions.models import CANCELLED, MOVED, Exam, ExamSession, Jury, JuryMember
from ..sessions.queries import session_day
from ..signatures.models import ANOMALY, Signature
from ..signatures.services import add_signature, candidate_key, signatures_of, user_key
from ..text import slug
from ..timeutil import french_date
from .checks import TextTooLong, clean_text
from .models import ANOMALY_TYPES, REPORTER_KINDS, AnomalySheet
from .reviews.opinion import opinion_signature, split_retained

DOCUMENT = "annexe 3 — fiche anomalie"
MAX_TEXT = 5000  # per text field: a candidate's input is bounded too
MAX_DETAIL = 200

MSG_NO_SESSION = "Session introuvable parmi celles où vous pouvez signaler une anomalie."
MSG_NO_SHEET = "Fiche anomalie introuvable."
MSG_CANCELLED = "La session n° {number} est annulée : elle ne peut pas faire l'objet d'une fiche anomalie."
MSG_SESSION_REQUIRED = "Choisissez la session."
MSG_NOT_HELD = ("La session n° {number} n'a pas encore eu lieu (elle se tient le {day}) : une fiche "
                "anomalie se remplit le jour de l'épreuve ou après.")
MSG_TYPE_REQUIRED = "Choisissez le type d'anomalie."
MSG_TYPE_UNKNOWN = "Choisissez un type d'anomalie dans la liste."
MSG_DETAIL_REQUIRED = "Précisez le type d'anomalie (« Autre »)."
MSG_DETAIL_LONG = f"La précision du type ne doit pas dépasser {MAX_DETAIL} caractères."
MSG_DESCRIPTION_REQUIRED = "Décrivez l'anomalie."
MSG_CONSEQUENCE_REQUIRED = "Indiquez la conséquence de l'anomalie."
MSG_TOO_LONG = "{what} ne doit pas dépasser {limit} caractères."
MSG_CONTROL = "{what} contient un caractère non autorisé."

# What the council's handling of a sheet looks like to the person who filed it.
STATUS_SENT = "Transmise au conseil de pilotage"
STATUS_REVIEWED = "Examinée"
STATUS_CLOSED = "Clôturée"


# --- Who files ------------------------------------------------------------------------

@dataclass(frozen=True)
class Reporter:
    """The person filing: a logged-in user, or a candidate from their personal link."""

    user: object | None = None
    candidate: object | None = None
    link_detail: str | None = None  # how the candidate's link identified them (no token)

    @property
    def name(self) -> str:
        return (self.user or self.candidate).full_name

    @property
    def is_candidate(self) -> bool:
        return self.candidate is not None


def _sits_on(user, session_id: int) -> bool:
    return db.session.scalar(
        db.select(JuryMember.id).join(Jury, JuryMember.jury_id == Jury.id)
        .where(Jury.session_id == session_id, JuryMember.juror_id == user.id).limit(1)) is not None


def _has_exam(candidate, session_id: int) -> bool:
    """An exam in the session, not moved to another one (they file for the new session)."""
    return db.session.scalar(
        db.select(Exam.id).join(Jury, Exam.jury_id == Jury.id)
        .where(Jury.session_id == session_id, Exam.candidate_id == candidate.id,
               Exam.status != MOVED).limit(1)) is not None


def reporter_kind(reporter: Reporter, session: ExamSession) -> str | None:
    """In what capacity `reporter` files for `session` (juror/organiser/candidate), or None
    when they may not."""
    if reporter.is_candidate:
        return "candidate" if _has_exam(reporter.candidate, session.id) else None
    user = reporter.user
    if user.has_role(JUROR) and _sits_on(user, session.id):
        return "juror"
    if user.has_role(ORGANISER):
        return "organiser"
    return None


def session_choices(reporter: Reporter) -> list[ExamSession]:
    """The sessions `reporter` may file for (not cancelled), the most recent first."""
    query = db.select(ExamSession).where(ExamSession.status != CANCELLED)
    if reporter.is_candidate:
        query = query.where(ExamSession.id.in_(
            db.select(Jury.session_id).join(Exam, Exam.jury_id == Jury.id)
            .where(Exam.candidate_id == reporter.candidate.id, Exam.status != MOVED)))
    elif not reporter.user.has_role(ORGANISER):
        query = query.where(ExamSession.id.in_(
            db.select(Jury.session_id).join(JuryMember, JuryMember.jury_id == Jury.id)
            .where(JuryMember.juror_id == reporter.user.id)))
    return list(db.session.scalars(query.order_by(ExamSession.starts_at.desc(), ExamSession.id.desc())))


def default_session(sessions: list[ExamSession], today: date | None = None) -> ExamSession | None:
    """The most recent session that has begun, else the soonest to come."""
    today = today or timeutil.paris_today()
    begun = [s for s in sessions if session_day(s) <= today]
    if begun:
        return begun[0]
    return sessions[-1] if sessions else None


def reachable_session(reporter: Reporter, session_id: int | None) -> tuple[ExamSession, str]:
    """The session and the reporter's capacity; 404 when it is not one of theirs, 409 when
    it is cancelled."""
    session = db.session.get(ExamSession, session_id) if session_id else None
    kind = reporter_kind(reporter, session) if session is not None else None
    if kind is None:
        raise NotFound(MSG_NO_SESSION)
    if session.status == CANCELLED:
        raise Conflict(MSG_CANCELLED.format(number=session.number))
    return session, kind


# --- What is filed --------------------------------------------------------------------

@dataclass(frozen=True)
class AnomalyFields:
    """What the observer writes on the sheet ("Constatée par" is who they are).
    `observed_on` ("Date de l'épreuve") is not theirs to give: `checked_fields` sets it to the
    session's day (a value passed in is ignored)."""

    session_id: int | None
    observed_on: date | None = None
    anomaly_type: str | None = None
    type_detail: str | None = None
    description: str | None = None
    consequence: str | None = None
    causes: str | None = None


class InvalidFields(InvalidInput):
    """Several problems at once, each tied to its field, so the form shows them all."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def _has_control(text: str | None, multiline: bool) -> bool:
    allowed = "\n\t" if multiline else ""
    return bool(text) and any(ord(ch) < 32 and ch not in allowed for ch in text)


TEXTS = (("description", "La description", MSG_DESCRIPTION_REQUIRED),
         ("consequence", "La conséquence", MSG_CONSEQUENCE_REQUIRED),
         ("causes", "Les causes probables", None))


def checked_fields(fields: AnomalyFields, session: ExamSession, today: date) -> AnomalyFields:
    """The fields trimmed, the date of the exam set to the session's day; InvalidFields
    listing every problem."""
    errors: dict[str, str] = {}
    day = session_day(session)
    if day > today:
        errors["session_id"] = MSG_NOT_HELD.format(number=session.number, day=french_date(day))
    kind = fields.anomaly_type or None
    detail = " ".join((fields.type_detail or "").split()) or None
    if kind is None:
        errors["anomaly_type"] = MSG_TYPE_REQUIRED
    elif kind not in ANOMALY_TYPES:
        errors["anomaly_type"] = MSG_TYPE_UNKNOWN
    if kind == "other" and detail is None:
        errors["type_detail"] = MSG_DETAIL_REQUIRED
    elif kind != "other":
        detail = None  # a detail only says what "other" was
    if detail is not None and len(detail) > MAX_DETAIL:
        errors["type_detail"] = MSG_DETAIL_LONG
    elif _has_control(detail, multiline=False):
        errors["type_detail"] = MSG_CONTROL.format(what="La précision du type")
    texts = {}
    for name, what, required in TEXTS:
        try:
            text = clean_text(getattr(fields, name), MAX_TEXT)
        except TextTooLong:
            errors[name] = MSG_TOO_LONG.format(what=what, limit=MAX_TEXT)
            continue
        if text is None and required:
            errors[name] = required
        elif _has_control(text, multiline=True):
            errors[name] = MSG_CONTROL.format(what=what)
        texts[name] = text
    if errors:
        raise InvalidFields(errors)
    return replace(fields, observed_on=day, anomaly_type=kind, type_detail=detail, **texts)


def sheet_content(sheet: AnomalySheet) -> dict:
    """What the observer signs: every field printed on the sheet."""
    session = sheet.session
    return {
        "document": DOCUMENT,
        "sheet": sheet.id,
        "certification": session.referential.document_title,
        "session": session.number,
        "date": sheet.observed_on.isoformat(),
        "observed_by": sheet.observed_by,
        "reporter": REPORTER_KINDS[sheet.reporter_kind],
        "type": sheet.anomaly_type,
        "type_label": sheet.type_label,
        "description": sheet.description,
        "consequence": sheet.consequence,
        "causes": sheet.causes or "",
    }


def file_anomaly(reporter: Reporter, fields: AnomalyFields, mark, *,
                 today: date | None = None) -> AnomalySheet:
    """File and sign one sheet: the sheet, the observer's signature and the audit entry
    land together, or nothing does."""
    today = today or timeutil.paris_today()
    with write_transaction():
        session, kind = reachable_session(reporter, fields.session_id)
        fields = checked_fields(fields, session, today)
        sheet = AnomalySheet(
            session_id=session.id, observed_on=fields.observed_on, reporter_kind=kind,
            reporter_user_id=getattr(reporter.user, "id", None),
            reporter_candidate_id=getattr(reporter.candidate, "id", None),
            observed_by=reporter.name[:200], anomaly_type=fields.anomaly_type,
            type_detail=fields.type_detail, description=fields.description,
            consequence=fields.consequence, causes=fields.causes)
        db.session.add(sheet)
        db.session.flush()
        if reporter.is_candidate:
            signer = dict(signer_key=candidate_key(reporter.candidate), candidate=reporter.candidate,
                          auth_method="candidate_portal", auth_detail=reporter.link_detail)
        else:
            signer = dict(signer_key=user_key(reporter.user), user=reporter.user,
                          auth_method="login")
        signature = add_signature(ANOMALY, sheet.id, role=kind, name=sheet.observed_by,
                                  content=sheet_content(sheet), mark=mark, **signer)
        details = {"session_id": session.id, "reporter_kind": kind, "signature_id": signature.id}
        if reporter.is_candidate:
            details["candidate_id"] = reporter.candidate.id
        record(reporter.user, "anomaly.file", "anomaly_sheet", sheet.id, None,
               sheet.anomaly_type, **details)
    return sheet


# --- Reading --------------------------------------------------------------------------

def _sheets_query():
    return (db.select(AnomalySheet)
            .options(db.joinedload(AnomalySheet.session).joinedload(ExamSession.referential),
                     db.joinedload(AnomalySheet.review))
            .order_by(AnomalySheet.filed_at.desc(), AnomalySheet.id.desc()))


def _reads_all(user) -> bool:
    return user.has_role(ORGANISER, COUNCIL)


def visible_sheets(user) -> list[AnomalySheet]:
    """The organiser and the council see every sheet; a juror the sheets they filed."""
    query = _sheets_query()
    if not _reads_all(user):
        query = query.where(AnomalySheet.reporter_user_id == user.id)
    return list(db.session.scalars(query).unique())


def visible_sheet(user, sheet_id: int) -> AnomalySheet:
    """The sheet if `user` may read it (organiser, council, whoever filed it); else 404."""
    sheet = db.session.get(AnomalySheet, sheet_id)
    if sheet is None or not (_reads_all(user) or sheet.reporter_user_id == user.id):
        raise NotFound(MSG_NO_SHEET)
    return sheet


def candidate_sheets(candidate) -> list[AnomalySheet]:
    return list(db.session.scalars(
        _sheets_query().where(AnomalySheet.reporter_candidate_id == candidate.id)).unique())


def observer_signature(sheet: AnomalySheet) -> Signature | None:
    return next(iter(signatures_of(ANOMALY, [sheet.id])[sheet.id]), None)


def council_status(sheet: AnomalySheet) -> str:
    """Where the council is with the sheet, as its observer sees it."""
    review = sheet.review
    if review is not None and review.closed_at is not None:
        return STATUS_CLOSED
    if review is not None and review.opinion_signed_at is not None:
        return STATUS_REVIEWED
    return STATUS_SENT


@dataclass
class SheetView:
    """A sheet with what its pages and its PDF print beside it."""

    sheet: AnomalySheet
    signature: Signature | None
    review: object | None
    actions: list = field(default_factory=list)  # under the opinion: as signed (SignedAction)
    opinion_signature: Signature | None = None
    later_actions: list = field(default_factory=list)  # adopted after the opinion was signed

    @property
    def status(self) -> str:
        return council_status(self.sheet)


def sheet_view(sheet: AnomalySheet) -> SheetView:
    review = sheet.review
    signature = opinion_signature(review) if review is not None and review.opinion_signed_at else None
    signed, later = split_retained(review, signature)
    return SheetView(sheet=sheet, signature=observer_signature(sheet), review=review,
                     actions=signed, opinion_signature=signature, later_actions=later)


# --- The PDF --------------------------------------------------------------------------

def anomaly_pdf(sheet: AnomalySheet) -> bytes:
    """Annex 3 filled from the sheet, with the council's opinion block when it has one
    (empty dotted boxes otherwise, like the paper form)."""
    view = sheet_view(sheet)
    return render_pdf("pdf/anomaly.html", view=view, sheet=sheet, session=sheet.session,
                      referential=sheet.session.referential)


def pdf_filename(sheet: AnomalySheet) -> str:
    number = slug(sheet.session.number, fallback="session", lower=False)
    return f"fiche-anomalie-{sheet.id}-session-{number}.pdf"
