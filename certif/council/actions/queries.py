"""Reading corrective actions: one action (and who may see it, its evidence file), the lists
the council and the dashboard follow, the list's filters, an action's history and origin."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ... import timeutil
from ...audit.models import AuditEntry
from ...auth.models import COUNCIL, ORGANISER
from ...database import get_row
from ...errors import InvalidInput, NotFound
from ...examday.models import ConditionsSheet
from ...extensions import db
from ...sessions.models import Jury
from ...timeutil import french_date
from .. import rules, storage
from ..models import ACTION_STATUSES, APPLIED, AnomalySheet, CorrectiveAction, CouncilReview
from ..reviews.sheets import REVIEW_ENDPOINTS, review_kind, review_sheet_id, sheet_title

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
DUE_SOON_DAYS = 14

MSG_NOT_FOUND = "Action corrective introuvable."


def get_action(action_id: int, *, lock: bool = False) -> CorrectiveAction:
    return get_row(CorrectiveAction, action_id, MSG_NOT_FOUND, lock=lock)


def visible_action(viewer, action_id: int) -> CorrectiveAction:
    """The action if `viewer` may read it: the council, the organiser, or its owner (404)."""
    action = get_action(action_id)
    if viewer.has_role(COUNCIL, ORGANISER) or action.owner_id == viewer.id:
        return action
    raise NotFound(MSG_NOT_FOUND)


def evidence_download(action_id: int):
    """(path, download name, mime) of the action's evidence file; 404 when there is none."""
    action = get_action(action_id)
    if not action.evidence_file:
        raise NotFound("Aucun fichier de preuve pour cette action.")
    path = storage.path_of(action.evidence_file)
    if not path.is_file():
        raise NotFound("Le fichier de preuve est introuvable.")
    return path, action.evidence_filename or action.evidence_file, action.evidence_mime


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
    today = today or timeutil.paris_today()
    return list(db.session.scalars(_with_origin(
        db.select(CorrectiveAction)
        .where(CorrectiveAction.status.in_(rules.NOT_APPLIED), CorrectiveAction.due_on < today)
        .order_by(CorrectiveAction.due_on, CorrectiveAction.id))).unique())


def due_soon(today: date | None = None, days: int = DUE_SOON_DAYS) -> list[CorrectiveAction]:
    """Adopted or in progress, due between today and `days` days from now."""
    today = today or timeutil.paris_today()
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
    today = today or timeutil.paris_today()
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


def applied_by_id(action: CorrectiveAction) -> int | None:
    """Who marked the action applied (the last time), from the audit log; None if unknown."""
    if action.status != APPLIED:
        return None
    return db.session.scalar(
        db.select(AuditEntry.actor_id).where(AuditEntry.entity == "corrective_action",
                                             AuditEntry.entity_id == action.id,
                                             AuditEntry.action == "action.apply")
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1))


def origin_link(action: CorrectiveAction) -> list[tuple[str, str, dict]]:
    """(label, endpoint, values) of the sheet and/or meeting the action comes from."""
    links = []
    if action.review is not None:
        kind = review_kind(action.review)
        links.append((sheet_title(action.review), REVIEW_ENDPOINTS[kind],
                      {"sheet_id": review_sheet_id(action.review)}))
    if action.meeting is not None:
        links.append((f"{action.meeting.kind_label} du {french_date(action.meeting.held_on)}",
                      "meetings.show", {"meeting_id": action.meeting.id}))
    return links
