"""The minutes (annex 5, general and individual) and the grading grid (annex 6) as PDFs.

Every document is rendered from the minutes' content dict: the frozen one once the
first juror signed, otherwise the content as it would be signed now (a draft, marked
"PROJET"). A fixed number of queries whatever the number of candidates.
"""
from __future__ import annotations

from datetime import date

from ..documents.pdf import render_pdf
from ..errors import Conflict
from ..sessions.models import Exam
from . import conduct
from . import content as minutes_content
from .confidentiality_annex import attestations_of
from .content import REMOTE_PLACE
from .models import ORGANISER_ROLE
from .state import MinutesState

MSG_NOT_SAT = ("{name} n'a pas passé l'épreuve dans cette session (absent, reporté ou jury "
               "arrêté) : il n'a ni procès-verbal individuel ni grille.")


def registration_sentence(referential: dict) -> str | None:
    """The decree sentence of the annex, from the referential's registration facts."""
    reg = referential.get("registration") or {}
    decree = (reg.get("decree") or "").strip().rstrip(".")
    effective = reg.get("effective_from")
    title = referential.get("title")
    if decree:
        sentence = f"{decree}. Enregistrement « {title} »"
        if effective:
            try:
                sentence += f" avec effet au {date.fromisoformat(str(effective)).strftime('%d/%m/%Y')}"
            except ValueError:
                sentence += f" avec effet au {effective}"
        return sentence + "."
    if reg.get("register"):
        return f"Certification « {title} » enregistrée au {reg['register']}."
    return None


def _context(state: MinutesState, visa=None) -> dict:
    c = state.content
    by_user = {s.user_id: s for s in state.signatures if s.signer_role != ORGANISER_ROLE}

    def signature_of(person):
        return by_user.get(person["id"]) if person else None

    place = c.get("place") or REMOTE_PLACE
    return dict(c=c, layout=state.layout, draft=not state.locked, when=minutes_content.parse_time,
                signature_of=signature_of, visa=visa or state.visa,
                registration=registration_sentence(c["referential"]),
                remote=place == REMOTE_PLACE, place=place, conduct_lines=conduct.lines(c),
                nothing_to_report=conduct.NOTHING_TO_REPORT, conduct_intro=conduct.INTRODUCTION,
                points=c["referential"]["rule"] == "points")


def render_general(state: MinutesState, visa=None) -> bytes:
    return render_pdf("pdf/minutes_general.html", **_context(state, visa),
                      confidentiality=attestations_of(state.content["session"]["id"]))


def _exam_context(state: MinutesState, exam: Exam) -> dict:
    entry = next((e for e in state.content["exams"] if e["exam_id"] == exam.id), None)
    if entry is None:
        raise Conflict(MSG_NOT_SAT.format(name=exam.candidate.full_name))
    jury = next((j for j in state.content["juries"] if j["id"] == entry["jury_id"]), None)
    return dict(_context(state), e=entry, jury=jury)


def render_individual(state: MinutesState, exam: Exam) -> bytes:
    return render_pdf("pdf/minutes_individual.html", **_exam_context(state, exam))


def render_grid(state: MinutesState, exam: Exam) -> bytes:
    return render_pdf("pdf/grid.html", **_exam_context(state, exam))
