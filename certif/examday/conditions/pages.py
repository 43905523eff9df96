"""The exam-conditions sheet as a page shows it: to a juror of its jury, or to the
organiser for every jury of a session."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...extensions import db
from ...sessions.models import ExamSession, Jury
from ...sessions.queries import get_session, session_day
from ...signatures.models import CONDITIONS as SIGNED_CONDITIONS
from ...signatures.models import Signature
from ...signatures.rules import content_sha256
from ...signatures.services import signatures_of
from ...timeutil import french_date, paris_today
from ..models import ConditionsSheet
from .content import sheet_content
from .facts import day_facts
from .proposals import Proposal, not_applicable_allowed, origin, propose
from .queries import juror_jury, sheet_answers, sheet_of, write_refusal
from .rules import (
    HINTS,
    NOT_APPLICABLE_POSITIONS,
    POSITIONS,
    answer_value,
    condition_label,
    has_breach,
    signing_problem,
)


@dataclass(frozen=True)
class Row:
    """One condition as the page shows it: the answer given (form value, or None), what
    certif proposes now, what it proposed when the answer was given, and how it came."""

    n: int
    label: str
    hint: str | None
    answer: str | None
    proposal: Proposal | None
    proposed_then: str | None
    origin: str
    not_applicable: bool  # "sans objet" is offered

    @property
    def pending(self) -> bool:
        """A proposal still to confirm or change."""
        return self.answer is None and self.proposal is not None and self.proposal.value is not None

    @property
    def differs(self) -> bool:
        """The facts changed since the answer: certif now proposes something else."""
        return (self.answer is not None and self.proposal is not None
                and self.proposal.value is not None and self.proposal.value != self.answer)


@dataclass
class SheetState:
    """A jury's sheet as a juror (or the organiser) sees it."""

    jury: Jury
    session: ExamSession
    day: date
    sheet: ConditionsSheet | None
    answers: dict[int, bool | None]
    signatures: list[Signature] = field(default_factory=list)
    refusal: str | None = None  # why the viewer may not edit, signatures apart
    proposals: dict[int, Proposal] = field(default_factory=dict)
    not_applicable_allowed: bool = False

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def handed(self) -> bool:
        return self.sheet is not None and self.sheet.handed_at is not None

    @property
    def editable(self) -> bool:
        return self.refusal is None and not self.signed

    @property
    def breach(self) -> bool:
        return has_breach(self.answers)

    @property
    def problem(self) -> str | None:
        return signing_problem(self.answers, self.sheet.observations if self.sheet else None)

    @property
    def content_sha256(self) -> str | None:
        """The fingerprint of the sheet as displayed, once it can be signed (the form carries it)."""
        if self.sheet is None or self.problem is not None:
            return None
        return content_sha256(sheet_content(self.sheet, self.jury))

    def signed_by(self, user) -> bool:
        return any(s.user_id == user.id for s in self.signatures)

    @property
    def rows(self) -> list[Row]:
        """Each condition, in the annex's order."""
        given = {a.position: a for a in self.sheet.answers} if self.sheet else {}
        rows = []
        for n in POSITIONS:
            answer = answer_value(self.answers[n]) if n in self.answers else None
            then = given[n].proposed if n in given else None
            rows.append(Row(n, condition_label(n), HINTS.get(n), answer, self.proposals.get(n), then,
                            origin(answer, then) if answer else "",
                            n in NOT_APPLICABLE_POSITIONS and (self.not_applicable_allowed
                                                               or answer == "sans_objet")))
        return rows

    @property
    def pending_count(self) -> int:
        return sum(1 for row in self.rows if row.pending)

    @property
    def status_label(self) -> str:
        """à remplir / en cours / signée par X / remise le …"""
        if self.handed:
            return f"Remise le {french_date(self.sheet.handed_at)}"
        if self.signatures:
            return "Signée par " + " et ".join(s.signer_name for s in self.signatures)
        if self.answers or (self.sheet and self.sheet.observations):
            return "En cours"
        return "À remplir"


def _state(jury: Jury, sheet: ConditionsSheet | None, signatures, refusal=None, *,
           proposals: bool = False) -> SheetState:
    facts = day_facts(jury) if proposals else None
    return SheetState(jury=jury, session=jury.session, day=session_day(jury.session), sheet=sheet,
                      answers=sheet_answers(sheet), signatures=list(signatures), refusal=refusal,
                      proposals=propose(facts) if facts else {},
                      not_applicable_allowed=bool(facts) and not_applicable_allowed(facts))


def juror_sheet(user, jury_id: int, today: date | None = None) -> SheetState:
    jury = juror_jury(user, jury_id)
    sheet = sheet_of(jury)
    signatures = signatures_of(SIGNED_CONDITIONS, [sheet.id])[sheet.id] if sheet else []
    return _state(jury, sheet, signatures, write_refusal(user, jury, today or paris_today()),
                  proposals=True)


def session_sheets(session_id: int) -> tuple[ExamSession, list[SheetState]]:
    """The organiser's view: every jury of the session with its sheet's state."""
    session = get_session(session_id)
    day = session_day(session)
    sheets = {s.jury_id: s for s in db.session.scalars(
        db.select(ConditionsSheet).where(ConditionsSheet.jury_id.in_([j.id for j in session.juries]),
                                         ConditionsSheet.day == day))}
    signed = signatures_of(SIGNED_CONDITIONS, [s.id for s in sheets.values()])
    states = []
    for jury in session.juries:
        sheet = sheets.get(jury.id)
        states.append(_state(jury, sheet, signed[sheet.id] if sheet else []))
    return session, states


def sheet_state(sheet: ConditionsSheet) -> SheetState:
    return _state(sheet.jury, sheet, signatures_of(SIGNED_CONDITIONS, [sheet.id])[sheet.id])
