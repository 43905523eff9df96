"""The dashboard's item of the declarations to the Caisse des Dépôts.

* cdc — a session whose certificates' holders are not all declared (to declare, to correct,
  or rejected): due on the earliest deadline of its lines (the award + CDC_DEADLINE_MONTHS,
  3 months by default, article L6113-8 of the labour code), the countdown in the detail.
"""
from __future__ import annotations

from datetime import date

from ..cdc import pages as cdc_pages
from ..cdc import rules as cdc_rules
from .items import DueItem, plural


def holders_to_declare(today: date) -> list[DueItem]:
    by_session: dict[int, list[cdc_pages.Line]] = {}
    for line in cdc_pages.lines(today):
        if line.pending and not line.certificate.revoked:
            by_session.setdefault(line.session.id, []).append(line)
    items = []
    for lines in by_session.values():
        session, due = lines[0].session, min(line.deadline for line in lines)
        held = sum(1 for line in lines if line.state != cdc_rules.TO_DECLARE)
        items.append(DueItem(
            "cdc", due,
            f"Session n° {session.number} : {plural(len(lines), 'titulaire')} à déclarer à la "
            "Caisse des Dépôts",
            [("cdc.index", {})],
            detail=f"Échéance : {cdc_rules.countdown(due, today)}"
                   + (f" ; {held} ligne{'s' if held > 1 else ''} à compléter ou corriger." if held
                      else "."),
            today=today))
    return items
