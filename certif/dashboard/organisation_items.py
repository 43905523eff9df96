"""The dashboard's items the organisation owes as a whole: the steering council's corrective
actions and meetings, and the civil liability insurance to renew.

* council_action — a corrective action the steering council adopted, not applied
  yet (adopted or in progress): due on its due date (seed 000 II.B: adopted
  actions are mandatory; overdue once the date has passed, `council.rules.is_overdue`);
* council_meeting — a meeting the council owes (`council.deadlines.due_meetings`):
  an exceptional one after a session that reported an anomaly, due one month after
  the session, always listed; the annual one, listed from MEETING_NOTICE_DAYS
  before its last day (decision: two months to convene the members), and only once
  a session exists (before, there is nothing to meet about);
* insurance — the organisation's civil liability cover ends within 30 days, or has
  ended (seed 000, I.A): due on its last day.
"""
from __future__ import annotations

from datetime import date, timedelta

from ..council.actions.queries import open_actions
from ..council.deadlines import due_meetings, first_session_day
from ..council.models import ANNUAL
from ..organisation import rules as insurance_rules
from ..organisation.queries import policies as insurance_policies
from ..timeutil import french_date
from .items import DueItem

MEETING_NOTICE_DAYS = 60


def council_actions(today: date) -> list[DueItem]:
    """Corrective actions adopted and not applied yet (mandatory), by their due date."""
    return [DueItem(
        "council_action", action.due_on,
        f"Action corrective « {action.title} » à appliquer (responsable : {action.owner_name})",
        [("council.action", {"action_id": action.id})],
        detail=f"{action.status_label} ; échéance le {french_date(action.due_on)}.", today=today)
        for action in open_actions()]


def council_meetings(today: date) -> list[DueItem]:
    """The council's meetings to hold: each exceptional one, and the annual one when near."""
    started = first_session_day() is not None
    items = []
    for due in due_meetings(today):
        if due.kind == ANNUAL:
            if not started or due.due > today + timedelta(days=MEETING_NOTICE_DAYS):
                continue
            label = "Réunion annuelle du conseil de pilotage à tenir"
        else:
            label = (f"Réunion exceptionnelle du conseil de pilotage à tenir : la session n° "
                     f"{due.session_number} du {french_date(due.session_day)} a signalé une anomalie")
        items.append(DueItem("council_meeting", due.due, label, [("meetings.index", {})],
                             detail=f"Au plus tard le {french_date(due.due)}.", today=today))
    return items


def insurance_to_renew(today: date) -> list[DueItem]:
    """The organisation's civil liability cover ends within 30 days, or has ended (seed 000,
    I.A; `organisation.rules.expiry_notice`): due on its last day."""
    notice = insurance_rules.expiry_notice(insurance_policies(), today)
    if notice is None:
        return []
    return [DueItem("insurance", notice.due, notice.label, [("organisation.insurance", {})],
                    detail="Aucune session ne peut être convoquée pour une date que la police ne "
                           "couvre pas.", today=today)]
