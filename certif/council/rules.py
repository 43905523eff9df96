"""The council's rules, apart from Flask and the database (seed 000, II.A and II.B).

* Corrective actions move proposed → adopted → in progress → applied → verified; a
  proposal may be set aside, an adopted action may not (adopted actions are mandatory);
  verification needs evidence; an applied action found not effective goes back to
  "in progress".
* A sheet's review closes only once its opinion is signed, every adopted action is
  verified and no proposal is left undecided (adopted or set aside).
* An action is overdue when its due date has passed and it is not applied yet
  (decision: the due date is for applying it; the council's verification follows).
* The council meets once a year (decision: within 12 months of the last annual
  meeting; before the first one, by 31 December of the year of the first session), and
  in an exceptional meeting within one month after a session that reported an anomaly
  (decision: counted from the session's day, calendar month, the last day included;
  a session "reported an anomaly" when an anomaly sheet was filed for it or a handed
  conditions sheet records a condition not respected).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..timeutil import add_months
from .models import (
    ACTION_STATUSES,
    ADOPTED,
    ANNUAL,
    APPLIED,
    EXCEPTIONAL,
    IN_PROGRESS,
    PROPOSED,
    SET_ASIDE,
    VERIFIED,
)

# Where each status may go next.
TRANSITIONS = {
    PROPOSED: (ADOPTED, SET_ASIDE),
    ADOPTED: (IN_PROGRESS,),
    IN_PROGRESS: (APPLIED,),
    APPLIED: (VERIFIED, IN_PROGRESS),
    VERIFIED: (),
    SET_ASIDE: (),
}
# Adopted and not verified yet: mandatory, still to follow.
OPEN_ADOPTED = (ADOPTED, IN_PROGRESS, APPLIED)
# Not applied yet: the due date still binds.
NOT_APPLIED = (ADOPTED, IN_PROGRESS)
# Retained by the council (annex 3's "Actions correctives retenues"): adopted, whatever
# has happened since; neither a mere proposal nor a proposal set aside.
RETAINED = (ADOPTED, IN_PROGRESS, APPLIED, VERIFIED)

MSG_EVIDENCE_REQUIRED = ("Pour marquer l'action vérifiée, décrivez la preuve de son application "
                         "effective (un fichier peut l'accompagner).")
MSG_REASON_REQUIRED = "Indiquez pourquoi la proposition est écartée."
MSG_OPINION_UNSIGNED = ("L'avis du comité de pilotage n'est pas encore signé : la fiche ne peut pas "
                        "être clôturée.")
MSG_PROPOSED_LEFT = ("Une action proposée n'est ni adoptée ni écartée : décidez-en avant de "
                     "clôturer la fiche.")


def is_retained(status: str) -> bool:
    return status in RETAINED


def retained(actions) -> list:
    """The actions the council retained, in their order."""
    return [a for a in actions if is_retained(a.status)]


def transition_problem(current: str, target: str, *, evidence_text: str | None = None,
                       reason: str | None = None) -> str | None:
    """Why an action cannot move from `current` to `target` (French), or None."""
    if target not in ACTION_STATUSES:
        return "Statut d'action inconnu."
    if target == current:
        return f"L'action est déjà « {ACTION_STATUSES[current]} »."
    if target not in TRANSITIONS[current]:
        if current in OPEN_ADOPTED and target == SET_ASIDE:
            return ("Une action adoptée est obligatoire : elle ne peut plus être écartée, "
                    "elle doit être appliquée puis vérifiée.")
        return (f"Une action « {ACTION_STATUSES[current]} » ne peut pas passer à "
                f"« {ACTION_STATUSES[target]} ».")
    if target == VERIFIED and not (evidence_text or "").strip():
        return MSG_EVIDENCE_REQUIRED
    if target == SET_ASIDE and not (reason or "").strip():
        return MSG_REASON_REQUIRED
    return None


def close_problem(opinion_signed: bool, action_statuses: list[str]) -> str | None:
    """Why a sheet's review cannot be closed (French), or None: the opinion unsigned, an
    adopted action not verified, a proposal neither adopted nor set aside."""
    if not opinion_signed:
        return MSG_OPINION_UNSIGNED
    open_count = sum(1 for status in action_statuses if status in OPEN_ADOPTED)
    if open_count == 1:
        return ("Une action corrective adoptée n'est pas encore vérifiée : la fiche ne peut être "
                "clôturée qu'une fois toutes ses actions adoptées vérifiées.")
    if open_count:
        return (f"{open_count} actions correctives adoptées ne sont pas encore vérifiées : la fiche ne "
                "peut être clôturée qu'une fois toutes ses actions adoptées vérifiées.")
    # A proposal left undecided could be neither adopted nor set aside once the sheet is closed.
    proposed_count = sum(1 for status in action_statuses if status == PROPOSED)
    if proposed_count == 1:
        return MSG_PROPOSED_LEFT
    if proposed_count:
        return (f"{proposed_count} actions proposées ne sont ni adoptées ni écartées : décidez-en "
                "avant de clôturer la fiche.")
    return None


def is_overdue(status: str, due_on: date, today: date) -> bool:
    return status in NOT_APPLIED and due_on < today


# --- Meetings ---------------------------------------------------------------------------


def exceptional_deadline(session_day: date) -> date:
    """Last day of the exceptional meeting after a session that reported an anomaly."""
    return add_months(session_day, 1)


def annual_deadline(last_annual: date | None, first_session_day: date | None, today: date) -> date:
    """Last day of the next annual meeting."""
    if last_annual is not None:
        return add_months(last_annual, 12)
    return date((first_session_day or today).year, 12, 31)


@dataclass(frozen=True)
class MeetingDue:
    """A meeting the council owes: kind, its last day, and (exceptional) the session."""

    kind: str
    due: date
    today: date
    session_id: int | None = None
    session_number: str | None = None
    session_day: date | None = None

    @property
    def days_left(self) -> int:
        """Days until the last day (0 on the day itself, negative once overdue)."""
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class HeldMeeting:
    kind: str
    held_on: date
    session_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ReportingSession:
    """A session that reported an anomaly."""

    session_id: int
    number: str
    day: date


def exceptional_meetings_due(sessions: list[ReportingSession], meetings: list[HeldMeeting],
                             today: date) -> list[MeetingDue]:
    """One item per reporting session that no meeting has dealt with yet (a meeting held on
    or after the session's day and listing it). Items keep their deadline once passed."""
    due = []
    for session in sessions:
        handled = any(session.session_id in m.session_ids and m.held_on >= session.day for m in meetings)
        if not handled:
            due.append(MeetingDue(EXCEPTIONAL, exceptional_deadline(session.day), today,
                                  session.session_id, session.number, session.day))
    return sorted(due, key=lambda item: item.due)


def annual_meeting_due(meetings: list[HeldMeeting], first_session_day: date | None,
                       today: date) -> MeetingDue:
    annuals = [m.held_on for m in meetings if m.kind == ANNUAL]
    return MeetingDue(ANNUAL, annual_deadline(max(annuals, default=None), first_session_day, today), today)


def held_late(session_day: date, held_on: date) -> bool:
    """An exceptional meeting held after its last day (shown as such on the record)."""
    return held_on > exceptional_deadline(session_day)
