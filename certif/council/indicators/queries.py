"""The indicators' query part: the records of the sessions matching the filters, read in a
fixed number of queries whatever their number, and the certifications to filter on."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import Integer, case, cast, func, null, select, union_all

from ... import timeutil
from ...errors import InvalidInput
from ...examday.models import ConditionAnswer, ConditionsSheet, IdentityCheck
from ...extensions import db
from ...grading.blocks.models import BlockValidation
from ...referentials.models import Referential
from ...sessions.models import CANCELLED, Exam, ExamSession, Jury
from ...timeutil import paris_to_utc, to_paris
from ..models import VERIFIED, AnomalySheet, CorrectiveAction, CouncilMeeting, CouncilReview
from .figures import ActionRecord, ConditionsRecord, ExamRecord, Indicators, SessionRecord, build
from .filters import NO_FILTERS, Filters


@dataclass(frozen=True)
class Certification:
    code: str
    title: str


def certifications() -> list[Certification]:
    """Every certification (referential code) with the title of its newest version: 1 query."""
    rows = db.session.execute(
        select(Referential.code, Referential.title).order_by(Referential.code, Referential.version))
    titles = {code: title for code, title in rows}
    return [Certification(code, title) for code, title in titles.items()]


def _session_conditions(filters: Filters) -> list:
    conditions = [ExamSession.status != CANCELLED]
    if filters.certification:
        conditions.append(ExamSession.referential_id.in_(
            select(Referential.id).where(Referential.code == filters.certification).scalar_subquery()))
    if filters.start:
        conditions.append(ExamSession.starts_at >= paris_to_utc(filters.start, time(0)))
    if filters.end:
        conditions.append(ExamSession.starts_at < paris_to_utc(filters.end + timedelta(days=1), time(0)))
    return conditions


def _meeting_conditions(filters: Filters) -> list:
    """Meetings whose sheet-less actions count in the total: held in the period and, with a
    certification chosen, dealing with one of its (not cancelled) sessions."""
    conditions = []
    if filters.start:
        conditions.append(CouncilMeeting.held_on >= filters.start)
    if filters.end:
        conditions.append(CouncilMeeting.held_on <= filters.end)
    if filters.certification:
        conditions.append(CouncilMeeting.sessions.any(db.and_(
            ExamSession.status != CANCELLED,
            ExamSession.referential.has(Referential.code == filters.certification))))
    return conditions


def load(filters: Filters = NO_FILTERS, today: date | None = None) -> Indicators:
    """The indicators of the sessions matching `filters`: 5 queries, whatever their number.
    `today` (Paris; by default the real one) tells the sessions held from those to come."""
    today = today or timeutil.paris_today()

    session_ids = select(ExamSession.id).where(*_session_conditions(filters)).scalar_subquery()

    sessions = [
        SessionRecord(id_, number, to_paris(starts_at).date(), code, title, version)
        for id_, number, starts_at, code, title, version in db.session.execute(
            select(ExamSession.id, ExamSession.number, ExamSession.starts_at, Referential.code,
                      Referential.title, Referential.version)
            .join(Referential, Referential.id == ExamSession.referential_id)
            .where(*_session_conditions(filters)))]

    # "Sat": the jury checked the candidate's identity (one IdentityCheck per exam at most).
    # Blocks: those the attempt validated (RNCP), revoked ones left out.
    blocks = (select(BlockValidation.exam_id, func.count(BlockValidation.id).label("count"))
              .where(BlockValidation.revoked_at.is_(None))
              .group_by(BlockValidation.exam_id).subquery())
    exams = [
        ExamRecord(session_id, status, phase, decision, retake_of_id is not None, check_id is not None,
                   int(block_count or 0))
        for session_id, status, phase, decision, retake_of_id, check_id, block_count
        in db.session.execute(
            select(Jury.session_id, Exam.status, Exam.phase, Exam.decision, Exam.retake_of_id,
                   IdentityCheck.id, blocks.c.count)
            .join(Jury, Jury.id == Exam.jury_id)
            .outerjoin(IdentityCheck, IdentityCheck.exam_id == Exam.id)
            .outerjoin(blocks, blocks.c.exam_id == Exam.id)
            .where(Jury.session_id.in_(session_ids)))]

    anomaly_counts = dict(db.session.execute(
        select(AnomalySheet.session_id, func.count(AnomalySheet.id))
        .where(AnomalySheet.session_id.in_(session_ids))
        .group_by(AnomalySheet.session_id)).all())

    not_respected = func.coalesce(func.sum(case((ConditionAnswer.respected.is_(False), 1),
                                                         else_=0)), 0)
    conditions = [
        ConditionsRecord(session_id, int(count))
        for _, session_id, count in db.session.execute(
            select(ConditionsSheet.id, Jury.session_id, not_respected)
            .join(Jury, Jury.id == ConditionsSheet.jury_id)
            .outerjoin(ConditionAnswer, ConditionAnswer.sheet_id == ConditionsSheet.id)
            .where(Jury.session_id.in_(session_ids), ConditionsSheet.handed_at.is_not(None),
                   ConditionsSheet.has_breach.is_(True))
            .group_by(ConditionsSheet.id, Jury.session_id))]

    # Verified actions reach their session through the sheet the council reviewed.
    verified = (CorrectiveAction.status == VERIFIED, CorrectiveAction.adopted_at.is_not(None),
                CorrectiveAction.verified_at.is_not(None))
    via_anomaly = (
        select(AnomalySheet.session_id.label("session_id"), CorrectiveAction.adopted_at,
                  CorrectiveAction.verified_at)
        .join(CouncilReview, CouncilReview.id == CorrectiveAction.review_id)
        .join(AnomalySheet, AnomalySheet.id == CouncilReview.anomaly_sheet_id)
        .where(*verified, AnomalySheet.session_id.in_(session_ids)))
    via_conditions = (
        select(Jury.session_id.label("session_id"), CorrectiveAction.adopted_at,
                  CorrectiveAction.verified_at)
        .join(CouncilReview, CouncilReview.id == CorrectiveAction.review_id)
        .join(ConditionsSheet, ConditionsSheet.id == CouncilReview.conditions_sheet_id)
        .join(Jury, Jury.id == ConditionsSheet.jury_id)
        .where(*verified, Jury.session_id.in_(session_ids)))
    via_meeting_only = (
        select(cast(null(), Integer).label("session_id"), CorrectiveAction.adopted_at,
               CorrectiveAction.verified_at)
        .join(CouncilMeeting, CouncilMeeting.id == CorrectiveAction.meeting_id)
        .where(*verified, CorrectiveAction.review_id.is_(None), *_meeting_conditions(filters)))
    actions = [ActionRecord(session_id, adopted_at, verified_at)
               for session_id, adopted_at, verified_at
               in db.session.execute(union_all(via_anomaly, via_conditions, via_meeting_only))]

    return build(sessions, exams, anomaly_counts, conditions, actions, filters, today)


def indicators_for(filters: Filters) -> tuple[Indicators, list[Certification]]:
    """The indicators and the certifications to filter on; an unknown certification → 400."""
    known = certifications()
    if filters.certification and filters.certification not in {c.code for c in known}:
        raise InvalidInput(f"Certification inconnue : « {filters.certification[:40]} ».")
    return load(filters), known
