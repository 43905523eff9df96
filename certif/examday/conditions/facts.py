"""The facts of a jury's day that the conditions sheet proposes from (read-only): gathered
in a fixed number of queries, whatever the number of candidates."""
from __future__ import annotations

from ...convocations.queries import (
    juror_convocation_current,
    latest_candidate_convocations,
    latest_juror_convocations,
)
from ...jurors.habilitations import habilitation_problem
from ...sessions.models import CLOSED, Jury
from ...sessions.queries import sitting_exams
from ...signatures import services as signatures
from ...signatures.models import CANDIDATE_ATTENDANCE, JURY_ATTENDANCE
from ..queries import candidate_unsigned_reasons, identity_checked_ids
from .proposals import DayFacts, Sitting


def day_facts(jury: Jury) -> DayFacts:
    session = jury.session
    exams = sitting_exams(jury)
    ids = [e.id for e in exams]
    checked = identity_checked_ids(ids)
    candidate_sigs = signatures.signatures_of(CANDIDATE_ATTENDANCE, ids)
    jury_sigs = signatures.signatures_of(JURY_ATTENDANCE, ids)
    unsigned = candidate_unsigned_reasons(ids)
    convened = latest_candidate_convocations(ids) if ids else {}
    juror_ids = {j.id for j in jury.jurors}
    sittings = []
    for exam in exams:
        key = signatures.candidate_key(exam.candidate)
        sittings.append(Sitting(
            candidate=exam.candidate.full_name, slot_minutes=exam.duration_minutes,
            extra_minutes=exam.candidate.extra_minutes or 0,
            other_measures=exam.candidate.accommodation,
            identity_checked=exam.id in checked,
            signed=any(s.signer_key == key for s in candidate_sigs[exam.id]),
            unsigned_reason=exam.id in unsigned,
            juror_signatures=len({s.user_id for s in jury_sigs[exam.id] if s.user_id in juror_ids}),
            convened=exam.id in convened,
            deliberation_closed=exam.phase == CLOSED))
    latest_jurors = latest_juror_convocations(session.id)
    return DayFacts(
        jurors=tuple(j.full_name for j in jury.jurors),
        president=jury.president.full_name if jury.president else None,
        stopped=not jury.sits,
        habilitation_problems=tuple(p for p in (habilitation_problem(j, session.referential)
                                               for j in jury.jurors) if p),
        jurors_convened=sum(juror_convocation_current(session, j, latest_jurors.get(j.id))
                            for j in jury.jurors),
        base_minutes=session.referential.exam_minutes,
        sittings=tuple(sittings))
