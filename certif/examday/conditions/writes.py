"""Filling and signing the exam-conditions sheet: each save and signature in its own
write transaction, audited; the last juror present to sign hands it to the organiser."""
from __future__ import annotations

from datetime import date

from ...audit.services import record
from ...database import write_transaction
from ...errors import Conflict, InvalidInput
from ...extensions import db
from ...sessions.models import Jury
from ...sessions.queries import session_day
from ...signatures.models import CONDITIONS as SIGNED_CONDITIONS
from ...signatures.models import Signature
from ...signatures.services import (
    MSG_ALREADY_SIGNED,
    add_signature,
    require_seen,
    signature_by_key,
    user_key,
)
from ...timeutil import paris_today, utcnow
from ..models import ConditionAnswer, ConditionsSheet
from .content import sheet_content
from .facts import day_facts
from .proposals import not_applicable_allowed, propose
from .queries import juror_jury, sheet_answers, signers, write_refusal
from .rules import POSITIONS, answer_value, has_breach, signing_problem

MSG_SIGNED = "La fiche est signée : elle ne peut plus être modifiée."
MSG_NOT_APPLICABLE_REFUSED = ("« Sans objet » ne convient pas à la condition 10 : un candidat du "
                              "jour au moins a un aménagement ({names}). Indiquez s'il a été "
                              "respecté.")
_MARKS = {True: "R", False: "N", None: "S"}


def _summary(answers: dict[int, bool | None], observations: str | None) -> str:
    marks = "".join("?" if n not in answers else _MARKS[answers[n]] for n in POSITIONS)
    return f"{marks} | {observations or ''}"[:1000]


def _require_writable(user, jury: Jury, today: date) -> None:
    refusal = write_refusal(user, jury, today)
    if refusal is not None:
        raise Conflict(refusal)


def _signature_count(sheet: ConditionsSheet) -> int:
    return db.session.scalar(db.select(db.func.count(Signature.id)).where(
        Signature.document == SIGNED_CONDITIONS, Signature.subject_id == sheet.id))


def save_sheet(user, jury_id: int, answers: dict[int, bool], observations: str | None, *,
               today: date | None = None) -> ConditionsSheet:
    """Record the answers given (others unchanged) and, when posted, the observations.

    `observations` None: not posted, kept. Refused (409) once the first juror signed.
    """
    today = today or paris_today()
    with write_transaction():
        jury = juror_jury(user, jury_id, lock=True)
        _require_writable(user, jury, today)
        day = session_day(jury.session)
        sheet = db.session.scalar(
            db.select(ConditionsSheet).filter_by(jury_id=jury.id, day=day)
            .execution_options(populate_existing=True))
        if sheet is None:
            sheet = ConditionsSheet(jury_id=jury.id, day=day, updated_by_id=user.id)
            db.session.add(sheet)
            db.session.flush()
            record(user, "conditions.create", "conditions_sheet", sheet.id, None, day.isoformat(),
                   jury_id=jury.id)
        elif _signature_count(sheet):
            raise Conflict(MSG_SIGNED)
        facts = day_facts(jury)
        if any(v is None for v in answers.values()) and not not_applicable_allowed(facts):
            names = ", ".join(s.candidate for s in facts.sittings if s.accommodated)
            raise InvalidInput(MSG_NOT_APPLICABLE_REFUSED.format(names=names))
        proposals = propose(facts)  # what the page proposes: recorded beside each answer
        before = sheet_answers(sheet)
        old = _summary(before, sheet.observations)
        existing = {a.position: a for a in sheet.answers}
        for position, respected in answers.items():
            answer = existing.get(position)
            if answer is None:
                answer = ConditionAnswer(position=position)
                sheet.answers.append(answer)
            elif before.get(position, "unset") is respected:
                continue  # unchanged: keeps what was proposed when it was given
            proposal = proposals.get(position)
            answer.respected = respected is not False  # "sans objet" is no breach
            answer.not_applicable = respected is None
            answer.proposed = proposal.value if proposal else None
            answer.proposed_facts = proposal.facts if proposal else None
        changed = {n: answer_value(v) for n, v in answers.items() if before.get(n, "unset") is not v}
        if observations is not None:
            sheet.observations = observations
        new = _summary({**before, **answers}, sheet.observations)
        if new != old:
            sheet.updated_at = utcnow()
            sheet.updated_by_id = user.id
            record(user, "conditions.save", "conditions_sheet", sheet.id, old, new, jury_id=jury.id,
                   proposed={n: proposals[n].value for n in changed if n in proposals})
    return sheet


def sign_sheet(user, jury_id: int, mark, *, seen_sha256: str | None,
               today: date | None = None) -> ConditionsSheet:
    """`user` signs the day's sheet as their page displayed it (`seen_sha256`); the last
    signer present hands it to the organiser."""
    today = today or paris_today()
    with write_transaction():
        jury = juror_jury(user, jury_id, lock=True)
        _require_writable(user, jury, today)
        sheet = db.session.scalar(
            db.select(ConditionsSheet).filter_by(jury_id=jury.id, day=session_day(jury.session))
            .execution_options(populate_existing=True))
        answers = sheet_answers(sheet)
        problem = signing_problem(answers, sheet.observations if sheet else None)
        if problem is not None:
            raise InvalidInput(problem)
        if signature_by_key(SIGNED_CONDITIONS, sheet.id, user_key(user)) is not None:
            raise Conflict(MSG_ALREADY_SIGNED)  # said before a form's fingerprint
        content = sheet_content(sheet, jury)
        require_seen(seen_sha256, content)
        add_signature(SIGNED_CONDITIONS, sheet.id, signer_key=user_key(user), role="juror",
                      name=user.full_name, content=content, mark=mark,
                      auth_method="login", user=user)
        signed_ids = set(db.session.scalars(db.select(Signature.user_id).where(
            Signature.document == SIGNED_CONDITIONS, Signature.subject_id == sheet.id)))
        if all(j.id in signed_ids for j in signers(jury)):
            sheet.handed_at = utcnow()
            sheet.has_breach = has_breach(answers)
            record(user, "conditions.hand", "conditions_sheet", sheet.id, None, "remise",
                   jury_id=jury.id, has_breach=sheet.has_breach)
    return sheet
