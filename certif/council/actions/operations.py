"""The council's writes on corrective actions: proposing one (with its checks) and moving it
step by step, who may take which step, and the evidence file of a verification."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ... import timeutil
from ...audit.services import record
from ...auth.models import COUNCIL, ORGANISER, User, UserRole
from ...database import get_row, write_transaction
from ...errors import Conflict, Forbidden, InvalidInput
from ...extensions import db
from ...timeutil import utcnow
from .. import rules, storage
from ..checks import MAX_TEXT, MSG_TEXT_LONG, clean_text, require_council
from ..models import (
    ACTION_STATUSES,
    ADOPTED,
    APPLIED,
    IN_PROGRESS,
    PROPOSED,
    SET_ASIDE,
    VERIFIED,
    CorrectiveAction,
    CouncilMeeting,
    CouncilReview,
)
from ..reviews.sheets import get_review, require_open, review_for_write
from .queries import applied_by_id, get_action

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
# The owner of an action may take these steps on it; the council takes them all.
OWNER_STEPS = ("start", "apply")

MAX_TITLE = 300
MAX_OWNER = 200
OTHER_OWNER = "autre"

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
MSG_VERIFY_OWN_APPLIED = ("Vous avez marqué cette action appliquée : sa vérification revient à un autre "
                          "membre du conseil de pilotage.")
MSG_VERIFY_OWN_ACTION = ("Vous êtes responsable de cette action : sa vérification revient à un autre "
                         "membre du conseil de pilotage.")
COUNCIL_WHAT = {"adopt": "adopter", "set_aside": "écarter", "verify": "vérifier",
                "reopen": "remettre en cours"}


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
    if len(fields.description or "") > MAX_TEXT:
        problems["description"] = MSG_TEXT_LONG
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
    require_council(actor)
    if sheet is None and review_id is None and meeting_id is None:
        raise InvalidInput(MSG_NO_ORIGIN)
    with write_transaction():
        owners = owner_choices()
        problems = field_problems(fields, timeutil.paris_today(), owners)
        if problems:
            raise InvalidInput(next(iter(problems.values())))
        review = None
        if sheet is not None:
            review = review_for_write(*sheet)
        elif review_id is not None:
            review = get_review(review_id, lock=True)
        require_open(review)
        meeting = None
        if meeting_id is not None:
            meeting = get_row(CouncilMeeting, meeting_id, MSG_MEETING_NOT_FOUND)
        owner = next((u for u in owners if str(u.id) == fields.owner), None)
        action = CorrectiveAction(
            review=review, meeting=meeting, title=fields.title.strip(),
            description=clean_text(fields.description), owner=owner,
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
        if step == "verify" and council and verify_problem(actor, action):
            continue
        if council or (step in OWNER_STEPS and is_owner(actor, action)):
            steps.append((step, target))
    return steps


def verify_problem(actor, action: CorrectiveAction) -> str | None:
    """Why `actor`, a council member, may not verify the action: the one who marked it applied
    and its owner are not the ones to check it (four eyes). None when they may."""
    if action.status != APPLIED or actor is None:
        return None
    if applied_by_id(action) == actor.id:
        return MSG_VERIFY_OWN_APPLIED
    if is_owner(actor, action):
        return MSG_VERIFY_OWN_ACTION
    return None


def _permission_problem(actor, action: CorrectiveAction, target: str) -> str | None:
    step = step_of(action.status, target)
    if step == "verify" and actor.has_role(COUNCIL):
        return verify_problem(actor, action)
    if actor.has_role(COUNCIL):
        return None
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
    require_open(action.review)
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
    note, evidence_text, reason = (clean_text(v) for v in (note, evidence_text, reason))
    action_id = action.id
    _check_move(actor, action, target, evidence_text, reason)  # before reading or writing any file
    evidence = storage.check(*evidence_file) if evidence_file is not None and target == VERIFIED else None
    stored = storage.write(evidence) if evidence is not None else None
    try:
        with write_transaction():
            if action.review_id is not None:
                get_review(action.review_id, lock=True)  # closing waits for us
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
