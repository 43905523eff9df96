"""The council's meetings, recorded once held: who was there, the sessions and sheets it dealt
with, what it decided (seed 000, II.A). The deadlines themselves live in `rules` and `deadlines`.

A sheet reviewed at a meeting is linked through its `CouncilReview`; the review row is created
here when the council had not written on the sheet yet (same transaction as the meeting).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from .. import timeutil
from ..audit.services import record as audit
from ..auth.models import COUNCIL, User, UserRole
from ..database import write_transaction
from ..documents.pdf import render_pdf
from ..errors import FieldError, NotFound
from ..examday.models import ConditionsSheet
from ..extensions import db
from ..referentials.models import Referential
from ..sessions.models import CANCELLED, ExamSession, Jury
from ..sessions.queries import latest_referentials
from ..timeutil import utcnow
from . import checks, rules
from .deadlines import reporting_sessions
from .models import ANNUAL, EXCEPTIONAL, MEETING_KINDS, AnomalySheet, CouncilMeeting, CouncilReview
from .reviews.sheets import (
    ANOMALY,
    CONDITIONS_KIND,
    KIND_SLUGS,
    REVIEW_ENDPOINTS,
    SLUG_OF,
    review_for_write,
    sheet_name,
)

MAX_PLACE = 300
MAX_TEXT = 20_000
ANOMALY_REF = SLUG_OF[ANOMALY]  # "anomalie", as in the review URLs
CONDITIONS_REF = SLUG_OF[CONDITIONS_KIND]

MSG_DATE_REQUIRED = "Indiquez la date à laquelle la réunion s'est tenue."
MSG_DATE_FUTURE = ("Une réunion se consigne une fois tenue : la date ne peut pas être dans "
                   "le futur.")
MSG_KIND = "Choisissez le type de réunion : annuelle ou exceptionnelle."
MSG_MEMBERS = "Cochez au moins un membre du conseil présent."
MSG_MEMBER_UNKNOWN = "Un des membres cochés n'est pas un membre actif du conseil de pilotage."
MSG_SESSION_REQUIRED = ("Une réunion exceptionnelle traite les anomalies d'une session : cochez "
                        "au moins une session.")
MSG_SESSION_UNKNOWN = "Une des sessions cochées n'existe pas."
MSG_SHEET_UNKNOWN = "Une des fiches cochées n'existe pas ou n'est pas adressée au conseil."


@dataclass
class MeetingFields:
    """What the council typed; the service checks everything (a request may bypass the form)."""

    kind: str | None
    held_on: date | None
    place: str | None = None
    member_ids: list[int] = field(default_factory=list)
    other_attendees: str | None = None
    session_ids: list[int] = field(default_factory=list)
    sheet_refs: list[str] = field(default_factory=list)  # "anomalie-<id>" / "conditions-<id>"
    decisions: str | None = None
    programme_opinion: str | None = None
    certification_adjustments: str | None = None


@dataclass(frozen=True)
class SheetItem:
    """A sheet that reached the council, as a meeting lists it."""

    ref: str
    kind_label: str
    day: date
    session: ExamSession
    detail: str
    review: CouncilReview | None
    name: str = ""  # "Fiche anomalie n° 12 — Emma GARNIER", "Conditions d'examen — Jury 1, …"
    sheet_id: int | None = None

    @property
    def closed(self) -> bool:
        return self.review is not None and self.review.closed_at is not None

    @property
    def endpoint(self) -> str:
        """The sheet's review page (with `sheet_id`)."""
        kind = ANOMALY if self.ref.startswith(f"{ANOMALY_REF}-") else CONDITIONS_KIND
        return REVIEW_ENDPOINTS[kind]


@dataclass(frozen=True)
class SessionChoice:
    session: ExamSession
    day: date
    reported: bool  # an anomaly sheet or a conditions sheet in breach


@dataclass(frozen=True)
class MeetingRow:
    meeting: CouncilMeeting
    sheets_count: int
    adopted_count: int
    late_sessions: list[tuple[ExamSession, date]]


# --- Reading ------------------------------------------------------------------------------

def get_meeting(meeting_id: int, *, lock: bool = False) -> CouncilMeeting:
    """The meeting; `lock` (inside a write transaction): its row locked until the commit, so
    two corrections do not overwrite each other (the query reads this table only)."""
    query = db.select(CouncilMeeting).where(CouncilMeeting.id == meeting_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    meeting = db.session.scalar(query)
    if meeting is None:
        raise NotFound("Réunion introuvable.")
    return meeting


def list_meetings() -> list[MeetingRow]:
    """Meetings held, newest first, with what each dealt with."""
    meetings = db.session.scalars(
        db.select(CouncilMeeting)
        .options(db.selectinload(CouncilMeeting.sessions), db.selectinload(CouncilMeeting.reviews),
                 db.selectinload(CouncilMeeting.actions))
        .order_by(CouncilMeeting.held_on.desc(), CouncilMeeting.id.desc())).all()
    return [MeetingRow(m, len(m.reviews), len(rules.retained(m.actions)), late_sessions(m)) for m in meetings]


def late_sessions(meeting: CouncilMeeting) -> list[tuple[ExamSession, date]]:
    """Sessions an exceptional meeting dealt with after their last day ("tenue en retard"),
    each with that last day."""
    if meeting.kind != EXCEPTIONAL:
        return []
    late = []
    for session in meeting.sessions:
        day = timeutil.paris_day(session.starts_at)
        if rules.held_late(day, meeting.held_on):
            late.append((session, rules.exceptional_deadline(day)))
    return late


def council_members() -> list[User]:
    """Active users holding the council role: who may be marked present."""
    return db.session.scalars(
        db.select(User).join(UserRole).where(UserRole.role == COUNCIL, User.active.is_(True))
        .order_by(User.last_name, User.first_name)).unique().all()


def member_choices(meeting: CouncilMeeting | None = None) -> list[User]:
    """Council members, plus those a meeting already lists (who may have left since)."""
    members = {u.id: u for u in council_members()}
    for user in meeting.members if meeting else ():
        members.setdefault(user.id, user)
    return sorted(members.values(), key=lambda u: (u.last_name, u.first_name))


def session_choices(meeting: CouncilMeeting | None = None) -> list[SessionChoice]:
    """Sessions that reported an anomaly first (what meetings are for), then the other sessions
    already held; a meeting's own sessions stay listed whatever their state."""
    reported = {r.session_id for r in reporting_sessions()}
    kept = {s.id for s in meeting.sessions} if meeting else set()
    today = timeutil.paris_today()
    sessions = db.session.scalars(
        db.select(ExamSession).where(db.or_(ExamSession.status != CANCELLED, ExamSession.id.in_(kept)))
        .order_by(ExamSession.starts_at.desc())).all()
    choices = [SessionChoice(s, timeutil.paris_day(s.starts_at), s.id in reported) for s in sessions]
    choices = [c for c in choices if c.reported or c.session.id in kept or c.day <= today]
    return sorted(choices, key=lambda c: not c.reported)  # stable: newest first in each group


def sheet_choices(meeting: CouncilMeeting | None = None, session_ids=(), checked=()) -> list[SheetItem]:
    """The sheets a meeting may review: every open one (no review yet, or not closed), those of
    the chosen sessions, and those already linked or checked."""
    keep_sessions = set(session_ids) | ({s.id for s in meeting.sessions} if meeting else set())
    keep_refs = set(checked) | ({review_ref(r) for r in meeting.reviews} if meeting else set())
    items = [*_anomaly_items(), *_conditions_items()]
    chosen = [i for i in items if not i.closed or i.session.id in keep_sessions or i.ref in keep_refs]
    return sorted(chosen, key=lambda i: (i.day, i.ref), reverse=True)


def _anomaly_items() -> list[SheetItem]:
    sheets = db.session.scalars(db.select(AnomalySheet).options(
        db.selectinload(AnomalySheet.session), db.selectinload(AnomalySheet.review))).all()
    return [_anomaly_item(s) for s in sheets]


def _anomaly_item(sheet: AnomalySheet) -> SheetItem:
    return SheetItem(f"{ANOMALY_REF}-{sheet.id}", "Fiche anomalie", sheet.observed_on, sheet.session,
                     sheet.type_label, sheet.review, sheet_name(ANOMALY, sheet), sheet.id)


def _conditions_items() -> list[SheetItem]:
    sheets = db.session.scalars(
        db.select(ConditionsSheet).join(ConditionsSheet.jury)
        .where(ConditionsSheet.has_breach.is_(True), ConditionsSheet.handed_at.is_not(None))
        .options(db.contains_eager(ConditionsSheet.jury).joinedload(Jury.session))).all()
    reviews = {r.conditions_sheet_id: r for r in db.session.scalars(
        db.select(CouncilReview).where(CouncilReview.conditions_sheet_id.in_([s.id for s in sheets])))}
    return [_conditions_item(s, reviews.get(s.id)) for s in sheets]


def _conditions_item(sheet: ConditionsSheet, review: CouncilReview | None) -> SheetItem:
    return SheetItem(f"{CONDITIONS_REF}-{sheet.id}", "Conditions d'examen non respectées", sheet.day,
                     sheet.jury.session, "Conditions d'examen non respectées", review,
                     sheet_name(CONDITIONS_KIND, sheet), sheet.id)


def review_ref(review: CouncilReview) -> str:
    if review.anomaly_sheet_id is not None:
        return f"{ANOMALY_REF}-{review.anomaly_sheet_id}"
    return f"{CONDITIONS_REF}-{review.conditions_sheet_id}"


def reviewed_sheets(meeting: CouncilMeeting) -> list[SheetItem]:
    """The sheets a meeting reviewed, oldest first."""
    items = []
    for review in meeting.reviews:
        if review.anomaly_sheet is not None:
            items.append(_anomaly_item(review.anomaly_sheet))
        else:
            items.append(_conditions_item(review.conditions_sheet, review))
    return sorted(items, key=lambda i: (i.day, i.ref))


# --- Writing ------------------------------------------------------------------------------

def record_meeting(actor, fields: MeetingFields, today: date | None = None) -> CouncilMeeting:
    """Record a meeting once held."""
    today = today or timeutil.paris_today()
    with write_transaction():
        checked = _check(fields, today, None)
        meeting = CouncilMeeting(created_by_id=actor.id)
        _apply(meeting, checked)
        db.session.add(meeting)
        db.session.flush()
        audit(actor, "meeting.record", "council_meeting", meeting.id, None, _snapshot(meeting),
              kind=meeting.kind)
    return meeting


def edit_meeting(actor, meeting_id: int, fields: MeetingFields,
                 today: date | None = None) -> CouncilMeeting:
    """Correct a meeting's record; the audit keeps the old and new values."""
    today = today or timeutil.paris_today()
    with write_transaction():
        meeting = get_meeting(meeting_id, lock=True)
        checked = _check(fields, today, meeting)
        old = _snapshot(meeting)
        _apply(meeting, checked)
        meeting.updated_at = utcnow()
        db.session.flush()
        new = _snapshot(meeting)
        if new != old:
            before, after = json.loads(old), json.loads(new)
            changed = sorted(k for k in after if after[k] != before.get(k))
            audit(actor, "meeting.edit", "council_meeting", meeting.id, old, new, fields=changed)
    return meeting


@dataclass
class _Checked:
    kind: str
    held_on: date
    place: str | None
    members: list[User]
    other_attendees: str | None
    sessions: list[ExamSession]
    reviews: list  # CouncilReview, or ("anomaly"|"conditions", sheet) still without one
    decisions: str | None
    programme_opinion: str | None
    certification_adjustments: str | None


def _check(fields: MeetingFields, today: date, meeting: CouncilMeeting | None) -> _Checked:
    if fields.held_on is None:
        raise FieldError("held_on", MSG_DATE_REQUIRED)
    if fields.held_on > today:
        raise FieldError("held_on", MSG_DATE_FUTURE)
    if fields.kind not in MEETING_KINDS:
        raise FieldError("kind", MSG_KIND)
    members = _members(fields.member_ids, meeting)
    sessions = _sessions(fields.session_ids, fields.held_on)
    if fields.kind == EXCEPTIONAL and not sessions:
        raise FieldError("session_ids", MSG_SESSION_REQUIRED)
    return _Checked(
        kind=fields.kind, held_on=fields.held_on,
        place=_text(fields.place, "place", MAX_PLACE), members=members,
        other_attendees=_text(fields.other_attendees, "other_attendees"), sessions=sessions,
        reviews=_sheets(fields.sheet_refs),
        decisions=_text(fields.decisions, "decisions"),
        programme_opinion=_text(fields.programme_opinion, "programme_opinion"),
        certification_adjustments=_text(fields.certification_adjustments,
                                        "certification_adjustments"))


def _text(raw: str | None, name: str, limit: int = MAX_TEXT) -> str | None:
    try:
        return checks.clean_text(raw, limit)
    except checks.TextTooLong:
        raise FieldError(name, f"{limit} caractères au plus.") from None


def _members(ids: list[int], meeting: CouncilMeeting | None) -> list[User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        raise FieldError("member_ids", MSG_MEMBERS)
    if None in ids:
        raise FieldError("member_ids", MSG_MEMBER_UNKNOWN)
    members = [u for u in member_choices(meeting) if u.id in wanted]
    if len(members) != len(wanted):
        raise FieldError("member_ids", MSG_MEMBER_UNKNOWN)
    return members


def _sessions(ids: list[int], held_on: date) -> list[ExamSession]:
    wanted = {i for i in ids if i is not None}
    if None in ids:
        raise FieldError("session_ids", MSG_SESSION_UNKNOWN)
    sessions = db.session.scalars(db.select(ExamSession).where(ExamSession.id.in_(wanted))).all()
    if len(sessions) != len(wanted):
        raise FieldError("session_ids", MSG_SESSION_UNKNOWN)
    for session in sessions:
        # Its anomalies cannot have been dealt with before it took place (nor would it count).
        if timeutil.paris_day(session.starts_at) > held_on:
            raise FieldError("session_ids", f"La session n° {session.number} a eu lieu après cette "
                                            "date : la réunion ne peut pas l'avoir traitée.")
    return sorted(sessions, key=lambda s: s.starts_at)


def _sheets(refs: list[str]) -> list[CouncilReview]:
    """Each checked sheet's review (locked), created when the council had not written on it
    yet: `review_for_write`, which also says which sheets are the council's (404)."""
    found = []
    for ref in dict.fromkeys(refs):
        slug, _, raw_id = (ref or "").partition("-")
        kind = KIND_SLUGS.get(slug)
        sheet_id = int(raw_id) if raw_id.isdigit() and 0 < int(raw_id) < 2**31 else None
        if kind is None or sheet_id is None:
            raise FieldError("sheet_refs", MSG_SHEET_UNKNOWN)
        try:
            found.append(review_for_write(kind, sheet_id))
        except NotFound:
            raise FieldError("sheet_refs", MSG_SHEET_UNKNOWN) from None
    return found


def _apply(meeting: CouncilMeeting, checked: _Checked) -> None:
    meeting.kind = checked.kind
    meeting.held_on = checked.held_on
    meeting.place = checked.place
    meeting.members = checked.members
    meeting.other_attendees = checked.other_attendees
    meeting.sessions = checked.sessions
    meeting.reviews = checked.reviews
    meeting.decisions = checked.decisions
    meeting.programme_opinion = checked.programme_opinion
    meeting.certification_adjustments = checked.certification_adjustments


def _snapshot(meeting: CouncilMeeting) -> str:
    """The record as the audit keeps it (JSON, French text as is)."""
    return json.dumps({
        "kind": meeting.kind, "held_on": meeting.held_on.isoformat(), "place": meeting.place,
        "members": sorted(u.id for u in meeting.members),
        "other_attendees": meeting.other_attendees,
        "sessions": sorted(s.number for s in meeting.sessions),
        "sheets": sorted(review_ref(r) for r in meeting.reviews),
        "decisions": meeting.decisions, "programme_opinion": meeting.programme_opinion,
        "certification_adjustments": meeting.certification_adjustments,
    }, ensure_ascii=False, sort_keys=True)


# --- Document -----------------------------------------------------------------------------

def certifications(meeting: CouncilMeeting) -> list[Referential]:
    """The certifications concerned: those of the sessions and sheets dealt with; a meeting
    that dealt with none (an annual one) concerns every certification delivered."""
    sessions = {s.id: s for s in meeting.sessions}
    sessions.update({i.session.id: i.session for i in reviewed_sheets(meeting)})
    referentials = {s.referential.code: s.referential for s in sessions.values()}
    if not referentials:
        return latest_referentials()
    return [referentials[code] for code in sorted(referentials)]


def meeting_pdf(meeting: CouncilMeeting) -> bytes:
    """"Compte rendu de réunion du conseil de pilotage"."""
    return render_pdf("pdf/council_meeting.html", meeting=meeting,
                      certifications=certifications(meeting), sheets=reviewed_sheets(meeting),
                      late=late_sessions(meeting), kinds=MEETING_KINDS)


def pdf_filename(meeting: CouncilMeeting) -> str:
    kind = "annuelle" if meeting.kind == ANNUAL else "exceptionnelle"
    return f"reunion-conseil-{kind}-{meeting.held_on.isoformat()}.pdf"
