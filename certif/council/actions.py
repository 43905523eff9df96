"""Corrective actions: proposed on a sheet or at a meeting, adopted by the council (then
mandatory), started and applied by their owner, verified by the council with evidence
(seed 000, II.A–II.B). Every move goes through `move`, which asks
`rules.transition_problem` and records the time fields and the audit entry.

Who may move an action: the council, every step; the owner of an action (any logged-in
user), only adopted → in progress → applied, their own action (decision of issue 5).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..audit.models import AuditEntry
from ..audit.services import record
from ..auth.models import COUNCIL, ORGANISER, User, UserRole
from ..database import get_row, write_transaction
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..examday.models import ConditionsSheet
from ..extensions import db
from ..sessions import exceptions
from ..sessions.models import Jury
from ..timeutil import french_date, utcnow
from . import reviews, rules, storage
from .models import (
    ACTION_STATUSES,
    ADOPTED,
    APPLIED,
    IN_PROGRESS,
    PROPOSED,
    SET_ASIDE,
    VERIFIED,
    AnomalySheet,
    CorrectiveAction,
    CouncilMeeting,
    CouncilReview,
)

# Each move's name, for the audit log and the buttons.
STEPS = {
    (PROPOSED, ADOPTED): "adopt",
    (PROPOSED, SET_ASIDE): "set_aside",
    (ADOPTED, IN_PROGRESS): "start",
    (IN_PROGRESS, APPLIED): "apply",
    (APPLIED, VERIFIED): "verify",
    (APPLIED, IN_PROGRESS): "reopen",
}
STEP_LABELS = {
    "adopt": "Adopter",
    "set_aside": "Écarter",
    "start": "Commencer",
    "apply": "Marquer appliquée",
    "verify": "Marquer vérifiée",
    "reopen": "Remettre en cours",
}
# How the action's history reads (audit actions of entity "corrective_action").
HISTORY_LABELS = {
    "action.propose": "Proposée",
    "action.adopt": "Adoptée",
    "action.set_aside": "Écartée",
    "action.start": "Commencée",
    "action.apply": "Appliquée",
    "action.verify": "Vérifiée",
    "action.reopen": "Remise en cours (pas encore effective)",
}
# The owner of an action may take these steps on it; the council takes them all.
OWNER_STEPS = ("start", "apply")
DUE_SOON_DAYS = 14

MAX_TITLE = 300
MAX_OWNER = 200
OTHER_OWNER = "autre"

MSG_NOT_FOUND = "Action corrective introuvable."
MSG_MEETING_NOT_FOUND = "Réunion introuvable."
MSG_NOT_YOURS = ("Seuls le conseil de pilotage et le responsable de l'action peuvent la faire "
                 "avancer ; l'adoption, l'abandon et la vérification reviennent au conseil.")
MSG_COUNCIL_STEP = "Seul le conseil de pilotage peut {what} une action corrective."
MSG_TITLE_REQUIRED = "Indiquez l'action corrective (son intitulé)."
MSG_TITLE_LONG = f"L'intitulé ne doit pas dépasser {MAX_TITLE} caractères."
MSG_OWNER_REQUIRED = "Choisissez le responsable de l'action, ou indiquez le nom d'une autre personne."
MSG_OWNER_UNKNOWN = "Responsable inconnu : choisissez une personne dans la liste."
MSG_OWNER_LONG = f"Le nom du responsable ne doit pas dépasser {MAX_OWNER} caractères."
MSG_DUE_REQUIRED = "Indiquez l'échéance de l'action."
MSG_DUE_PAST = "L'échéance ne peut pas être dans le passé."
MSG_NO_ORIGIN = "Indiquez la fiche ou la réunion à laquelle l'action se rattache."
COUNCIL_WHAT = {"adopt": "adopter", "set_aside": "écarter", "verify": "vérifier",
                "reopen": "remettre en cours"}


# --- Proposing -----------------------------------------------------------------------------

def owner_choices() -> list[User]:
    """Who may own an action among certif's users: active organisers and council members."""
    return list(db.session.scalars(
        db.select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role.in_((ORGANISER, COUNCIL)))
        .order_by(User.last_name, User.first_name, User.id)).unique())


@dataclass(frozen=True)
class ActionFields:
    title: str | None
    description: str | None
    owner: str | None  # a user's id, or OTHER_OWNER
    owner_name: str | None  # when OTHER_OWNER
    due_on: date | None


def field_problems(fields: ActionFields, today: date, owners: list[User]) -> dict[str, str]:
    """Field name -> French message, for the form and for the service alike."""
    problems = {}
    title = (fields.title or "").strip()
    if not title:
        problems["title"] = MSG_TITLE_REQUIRED
    elif len(title) > MAX_TITLE:
        problems["title"] = MSG_TITLE_LONG
    if len(fields.description or "") > reviews.MAX_TEXT:
        problems["description"] = reviews.MSG_TEXT_LONG
    if fields.owner == OTHER_OWNER:
        name = " ".join((fields.owner_name or "").split())
        if not name:
            problems["owner_name"] = MSG_OWNER_REQUIRED
        elif len(name) > MAX_OWNER:
            problems["owner_name"] = MSG_OWNER_LONG
    elif not fields.owner:
        problems["owner"] = MSG_OWNER_REQUIRED
    elif fields.owner not in {str(u.id) for u in owners}:
        problems["owner"] = MSG_OWNER_UNKNOWN
    if fields.due_on is None:
        problems["due_on"] = MSG_DUE_REQUIRED
    elif fields.due_on < today:
        problems["due_on"] = MSG_DUE_PAST
    return problems


def propose(actor, fields: ActionFields, *, sheet: tuple[str, int] | None = None,
            review_id: int | None = None, meeting_id: int | None = None) -> CorrectiveAction:
    """A council member proposes an action on a sheet (its review is created if need be),
    on a review, or at a meeting. 409 when the sheet's review is closed."""
    reviews.require_council(actor)
    if sheet is None and review_id is None and meeting_id is None:
        raise InvalidInput(MSG_NO_ORIGIN)
    with write_transaction():
        owners = owner_choices()
        problems = field_problems(fields, exceptions.paris_today(), owners)
        if problems:
            raise InvalidInput(next(iter(problems.values())))
        review = None
        if sheet is not None:
            review = reviews.review_for_write(*sheet)
        elif review_id is not None:
            review = reviews.get_review(review_id, lock=True)
        reviews.require_open(review)
        meeting = None
        if meeting_id is not None:
            meeting = get_row(CouncilMeeting, meeting_id, MSG_MEETING_NOT_FOUND)
        owner = next((u for u in owners if str(u.id) == fields.owner), None)
        action = CorrectiveAction(
            review=review, meeting=meeting, title=fields.title.strip(),
            description=reviews.clean_text(fields.description), owner=owner,
            owner_name=owner.full_name if owner else " ".join(fields.owner_name.split()),
            due_on=fields.due_on, status=PROPOSED, proposed_at=utcnow(), proposed_by_id=actor.id)
        db.session.add(action)
        db.session.flush()
        if review is not None:
            review.updated_at = utcnow()
        record(actor, "action.propose", "corrective_action", action.id, None, PROPOSED,
               title=action.title, owner=action.owner_name, due_on=action.due_on.isoformat(),
               review_id=getattr(review, "id", None), meeting_id=meeting_id)
    return action


# --- Moving --------------------------------------------------------------------------------

def get_action(action_id: int, *, lock: bool = False) -> CorrectiveAction:
    query = db.select(CorrectiveAction).where(CorrectiveAction.id == action_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    action = db.session.scalar(query)
    if action is None:
        raise NotFound(MSG_NOT_FOUND)
    return action


def visible_action(viewer, action_id: int) -> CorrectiveAction:
    """The action if `viewer` may read it: the council, the organiser, or its owner (404)."""
    action = get_action(action_id)
    if viewer.has_role(COUNCIL, ORGANISER) or action.owner_id == viewer.id:
        return action
    raise NotFound(MSG_NOT_FOUND)


def step_of(current: str, target: str) -> str | None:
    return STEPS.get((current, target))


def is_owner(actor, action: CorrectiveAction) -> bool:
    return actor is not None and action.owner_id is not None and action.owner_id == actor.id


def allowed_steps(actor, action: CorrectiveAction,
                  review: CouncilReview | None = None) -> list[tuple[str, str]]:
    """(step, target status) the actor may take now, for the buttons."""
    review = review if review is not None else action.review
    if review is not None and review.closed_at is not None:
        return []
    council = actor.has_role(COUNCIL)
    steps = []
    for target in rules.TRANSITIONS[action.status]:
        step = STEPS[(action.status, target)]
        if council or (step in OWNER_STEPS and is_owner(actor, action)):
            steps.append((step, target))
    return steps


def _permission_problem(actor, action: CorrectiveAction, target: str) -> str | None:
    if actor.has_role(COUNCIL):
        return None
    step = step_of(action.status, target)
    if not is_owner(actor, action):
        return MSG_NOT_YOURS
    if step not in OWNER_STEPS:
        return MSG_COUNCIL_STEP.format(what=COUNCIL_WHAT.get(step, "faire avancer ainsi"))
    return None


def _check_move(actor, action: CorrectiveAction, target: str, evidence_text, reason) -> None:
    """403 not allowed to, 409 closed sheet or impossible move, 400 missing evidence/reason."""
    problem = _permission_problem(actor, action, target)
    if problem:
        raise Forbidden(problem)
    reviews.require_open(action.review)
    problem = rules.transition_problem(action.status, target, evidence_text=evidence_text, reason=reason)
    if problem in (rules.MSG_EVIDENCE_REQUIRED, rules.MSG_REASON_REQUIRED):
        raise InvalidInput(problem)
    if problem:
        raise Conflict(problem)


def move(action: CorrectiveAction, target: str, actor, *, note: str | None = None,
         evidence_text: str | None = None, evidence_file: tuple[bytes, str | None] | None = None,
         reason: str | None = None) -> CorrectiveAction:
    """Move `action` to `target` (a status), recording who, when and why. `evidence_file`
    (its bytes and the name it was sent with) goes with a verification only."""
    note, evidence_text, reason = (reviews.clean_text(v) for v in (note, evidence_text, reason))
    action_id = action.id
    _check_move(actor, action, target, evidence_text, reason)  # before reading or writing any file
    evidence = storage.check(*evidence_file) if evidence_file is not None and target == VERIFIED else None
    stored = storage.write(evidence) if evidence is not None else None
    try:
        with write_transaction():
            if action.review_id is not None:
                reviews.get_review(action.review_id, lock=True)  # closing waits for us
            action = get_action(action_id, lock=True)
            _check_move(actor, action, target, evidence_text, reason)
            old, step = action.status, step_of(action.status, target)
            _apply(action, step, actor, note=note, evidence_text=evidence_text,
                   evidence=evidence, stored=stored, reason=reason)
            details = {"note": note, "reason": reason, "evidence_text": evidence_text}
            if stored:
                details.update(evidence_file=action.evidence_filename, evidence_sha256=action.evidence_sha256)
            record(actor, f"action.{step}", "corrective_action", action.id, old, target,
                   **{k: v for k, v in details.items() if v})
    except BaseException:
        storage.delete(stored)
        raise
    return action


def _apply(action: CorrectiveAction, step: str, actor, *, note, evidence_text, evidence, stored,
           reason) -> None:
    now = utcnow()
    if step == "adopt":
        action.adopted_at, action.adopted_by_id = now, actor.id
    elif step == "set_aside":
        action.set_aside_at, action.set_aside_reason = now, reason
    elif step == "start":
        action.started_at = action.started_at or now
    elif step == "apply":
        action.applied_at, action.applied_note = now, note
    elif step == "verify":
        action.verified_at, action.verified_by_id, action.evidence_text = now, actor.id, evidence_text
        if stored:
            action.evidence_file, action.evidence_filename = stored, evidence.filename
            action.evidence_mime, action.evidence_sha256 = evidence.mime, evidence.sha256
    elif step == "reopen":
        action.applied_at = None  # to apply again; the audit log keeps the first time
    action.status = {"adopt": ADOPTED, "set_aside": SET_ASIDE, "start": IN_PROGRESS,
                     "apply": APPLIED, "verify": VERIFIED, "reopen": IN_PROGRESS}[step]
    action.updated_at = now
    if action.review is not None:
        action.review.updated_at = now


def parse_target(value: str | None) -> str:
    if value not in ACTION_STATUSES:
        raise InvalidInput("Statut d'action inconnu.")
    return value


def evidence_download(action_id: int):
    """(path, download name, mime) of the action's evidence file; 404 when there is none."""
    action = get_action(action_id)
    if not action.evidence_file:
        raise NotFound("Aucun fichier de preuve pour cette action.")
    path = storage.path_of(action.evidence_file)
    if not path.is_file():
        raise NotFound("Le fichier de preuve est introuvable.")
    return path, action.evidence_filename or action.evidence_file, action.evidence_mime


# --- Reading -------------------------------------------------------------------------------

def _with_origin(query):
    """Eager loads for an action's origin (its sheet and session, its meeting)."""
    return query.options(
        db.joinedload(CorrectiveAction.meeting),
        db.joinedload(CorrectiveAction.review).joinedload(CouncilReview.anomaly_sheet)
        .joinedload(AnomalySheet.session),
        db.joinedload(CorrectiveAction.review).joinedload(CouncilReview.conditions_sheet)
        .joinedload(ConditionsSheet.jury).joinedload(Jury.session))


def overdue_actions(today: date | None = None) -> list[CorrectiveAction]:
    """Adopted or in progress, past their due date: oldest due first."""
    today = today or exceptions.paris_today()
    return list(db.session.scalars(_with_origin(
        db.select(CorrectiveAction)
        .where(CorrectiveAction.status.in_(rules.NOT_APPLIED), CorrectiveAction.due_on < today)
        .order_by(CorrectiveAction.due_on, CorrectiveAction.id))).unique())


def due_soon(today: date | None = None, days: int = DUE_SOON_DAYS) -> list[CorrectiveAction]:
    """Adopted or in progress, due between today and `days` days from now."""
    today = today or exceptions.paris_today()
    return list(db.session.scalars(_with_origin(
        db.select(CorrectiveAction)
        .where(CorrectiveAction.status.in_(rules.NOT_APPLIED),
               CorrectiveAction.due_on.between(today, today + timedelta(days=days)))
        .order_by(CorrectiveAction.due_on, CorrectiveAction.id))).unique())


def awaiting_verification() -> list[CorrectiveAction]:
    """Applied, for the council to verify: applied first, first listed."""
    return list(db.session.scalars(_with_origin(
        db.select(CorrectiveAction).where(CorrectiveAction.status == APPLIED)
        .order_by(CorrectiveAction.applied_at, CorrectiveAction.id))).unique())


def open_actions() -> list[CorrectiveAction]:
    """Adopted or in progress (the organiser's dashboard): soonest due first."""
    return list(db.session.scalars(
        db.select(CorrectiveAction).where(CorrectiveAction.status.in_(rules.NOT_APPLIED))
        .order_by(CorrectiveAction.due_on, CorrectiveAction.id)))


@dataclass(frozen=True)
class ActionFilters:
    status: str | None = None
    overdue: bool = False
    owner: str | None = None  # owner_name

    @property
    def active(self) -> bool:
        return bool(self.status or self.overdue or self.owner)


def owner_names() -> list[str]:
    return list(db.session.scalars(
        db.select(CorrectiveAction.owner_name).distinct().order_by(CorrectiveAction.owner_name)))


def parse_filters(args) -> ActionFilters:
    """The list's filters from the query string; 400 (French) on a value that is not one."""
    status = (args.get("statut") or "").strip() or None
    overdue = (args.get("en_retard") or "").strip()
    owner = (args.get("responsable") or "").strip() or None
    if status is not None and status not in ACTION_STATUSES:
        raise InvalidInput("Filtre invalide : statut d'action inconnu.")
    if overdue not in ("", "1"):
        raise InvalidInput("Filtre invalide : « en retard » vaut 1 ou rien.")
    if owner is not None and owner not in owner_names():
        raise InvalidInput("Filtre invalide : responsable inconnu.")
    return ActionFilters(status, overdue == "1", owner)


def list_actions(filters: ActionFilters, today: date | None = None) -> list[CorrectiveAction]:
    """Every action matching the filters: overdue first, then by due date."""
    today = today or exceptions.paris_today()
    query = db.select(CorrectiveAction)
    if filters.status:
        query = query.where(CorrectiveAction.status == filters.status)
    if filters.owner:
        query = query.where(CorrectiveAction.owner_name == filters.owner)
    if filters.overdue:
        query = query.where(CorrectiveAction.status.in_(rules.NOT_APPLIED), CorrectiveAction.due_on < today)
    found = db.session.scalars(_with_origin(query.order_by(CorrectiveAction.due_on, CorrectiveAction.id)))
    return sorted(found.unique(), key=lambda a: not rules.is_overdue(a.status, a.due_on, today))


def history(action: CorrectiveAction) -> list[AuditEntry]:
    """The action's audit entries, oldest first (who did what, when, with which note)."""
    return list(db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.entity == "corrective_action",
                                    AuditEntry.entity_id == action.id)
        .options(db.joinedload(AuditEntry.actor)).order_by(AuditEntry.at, AuditEntry.id)).unique())


def origin_link(action: CorrectiveAction) -> list[tuple[str, str, dict]]:
    """(label, endpoint, values) of the sheet and/or meeting the action comes from."""
    links = []
    if action.review is not None:
        kind = reviews.review_kind(action.review)
        links.append((reviews.sheet_title(action.review), reviews.REVIEW_ENDPOINTS[kind],
                      {"sheet_id": reviews.review_sheet_id(action.review)}))
    if action.meeting is not None:
        links.append((f"{action.meeting.kind_label} du {french_date(action.meeting.held_on)}",
                      "meetings.show", {"meeting_id": action.meeting.id}))
    return links
