"""The minutes' content as it would be signed now, gathered from the database (`content.py`
builds and freezes it)."""
from __future__ import annotations

from datetime import datetime

from ..grading import rules
from ..grading.blocks.queries import prior_validations
from ..referentials.services import layout
from ..sessions.models import CLOSED, Exam, ExamSession
from ..sessions.queries import sitting_exams, sitting_juries
from ..timeutil import to_paris
from . import content as minutes_content
from .blocks import blocks_before_entry
from .content import REMOTE_PLACE
from .models import MEMBER, PRESIDENT, Minutes
from .queries import final_grids, jurors_of, signers
from .record import session_conduct


def _person(user) -> minutes_content.Person:
    return minutes_content.Person(user.id, user.full_name)


def default_opened_at(session: ExamSession, exams: list[Exam]) -> datetime:
    return min((e.starts_at for e in exams), default=session.starts_at)


def default_closed_at(exams: list[Exam]) -> datetime | None:
    return max((e.closed_at for e in exams if e.closed_at is not None), default=None)


def default_place(session: ExamSession) -> str:
    return session.place or REMOTE_PLACE


def live_content(session: ExamSession, minutes: Minutes | None) -> dict:
    """The minutes as they would be signed now (exams not closed have no grid yet)."""
    lay = layout(session.referential_id)
    exams = sitting_exams(session)
    finals = final_grids(exams, lay)
    prior = prior_validations(exams)
    ref = session.referential
    details = ref.details or {}
    people = signers(session)
    president = next((u for u, role in people if role == PRESIDENT), None)
    facts = []
    for exam in exams:
        final_by_id = finals.get(exam.id)
        final = ({lay.criteria[k].code: v for k, v in final_by_id.items()}
                 if final_by_id is not None else {})
        before = prior.get(exam.id, {})
        scheme = lay.scheme.keeping(before)
        result = rules.score(scheme, final_by_id) if final_by_id is not None else None
        facts.append(minutes_content.ExamFacts(
            exam_id=exam.id, candidate=minutes_content.Person(exam.candidate.id, exam.candidate.full_name),
            jury_id=exam.jury_id, jury_label=exam.jury.label, starts_at=exam.starts_at,
            duration_minutes=exam.duration_minutes, closed=exam.phase == CLOSED,
            closed_at=exam.closed_at, final=final, result=result,
            president_comment=exam.president_comment, blocks_before=blocks_before_entry(before)))
    minutes = minutes or Minutes()
    return minutes_content.build(
        session={"id": session.id, "number": session.number, "mode": session.mode,
                 "starts_at": minutes_content._time(session.starts_at),
                 "date": to_paris(session.starts_at).date().isoformat()},
        referential={"id": ref.id, "code": ref.code, "version": ref.version, "title": ref.title,
                     "document_title": ref.document_title, "rule": ref.rule,
                     "max_points": minutes_content._decimal(ref.max_points),
                     "pass_mark": minutes_content._decimal(ref.pass_mark),
                     "registration": details.get("registration") or {}},
        president=_person(president) if president else None,
        members=[_person(u) for u, role in people if role == MEMBER],
        juries=[minutes_content.JuryFacts(j.id, j.label, _person(j.president) if j.president else None,
                                          tuple(_person(u) for u in jurors_of(j)))
                for j in sitting_juries(session)],
        exams=facts,
        opened_at=minutes.opened_at or default_opened_at(session, exams),
        closed_at=minutes.closed_at or default_closed_at(exams),
        place=minutes.place or default_place(session),
        observations=minutes.observations,
        parts=minutes_content.parts_of(details),
        conduct=session_conduct(session, exams))
