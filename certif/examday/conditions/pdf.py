"""Annex 4 as a PDF, faithful to the seed's layout, and its file name."""
from __future__ import annotations

from ...documents.pdf import render_pdf
from ..models import ConditionsSheet
from .pages import sheet_state


def conditions_pdf(sheet: ConditionsSheet) -> bytes:
    """Annex 4, faithful to the seed's layout, filled from the sheet and its signatures."""
    state = sheet_state(sheet)
    by_user = {s.user_id: s for s in state.signatures}
    jurors = [(j, by_user.get(j.id)) for j in sheet.jury.jurors]
    return render_pdf("pdf/conditions.html", state=state, sheet=sheet, jury=sheet.jury,
                      session=sheet.jury.session, referential=sheet.jury.session.referential,
                      jurors=jurors)


def pdf_filename(sheet: ConditionsSheet) -> str:
    session = sheet.jury.session
    return f"conditions-examen-{session.number}-jury{sheet.jury.position}-{sheet.day.isoformat()}.pdf"
