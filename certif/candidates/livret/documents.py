"""The relevé des évaluations (seed 001, 5-2-4): the livret of a candidate in training as the
PDF the organiser hands to the jury, per block and competency, with the block projects."""
from __future__ import annotations

from ...documents.pdf import render_pdf
from ...errors import NotFound
from ...text import slug
from ...timeutil import paris_today
from ..models import Candidate
from .queries import livret_of, livret_view

MSG_NO_LIVRET = "Ce candidat n'a pas de livret d'évaluation."


def releve_pdf(candidate: Candidate) -> bytes:
    """The relevé's PDF; NotFound when the candidate has no livret."""
    livret = livret_of(candidate)
    if livret is None:
        raise NotFound(MSG_NO_LIVRET)
    return render_pdf("pdf/livret_releve.html", view=livret_view(candidate, livret),
                      today=paris_today())


def releve_filename(candidate: Candidate) -> str:
    return f"releve-evaluations-{slug(candidate.full_name)}.pdf"
