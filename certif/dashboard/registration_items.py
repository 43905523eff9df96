"""The dashboard's items about the certifications' registration (France Compétences):

* registration — a certification whose registration ends within WARNING_MONTHS (six months:
  time to file the renewal, and to hold its last sessions), or has ended: due on its end date
  (no session after it, no certificate for a session held after it);
* mentions — a certification whose referential file lacks a registration fact its certificates
  must print (`referentials.registration.missing_facts`): its certificates and block
  attestations are refused until it is filled in; due today, listed once a session of the
  certification exists.

Only the latest version of each certification counts (the one new sessions pin).
"""
from __future__ import annotations

from datetime import date

from ..extensions import db
from ..referentials.models import Referential
from ..referentials.registration import missing_facts
from ..sessions.models import ExamSession
from ..sessions.queries import latest_referentials
from ..sessions.rules import add_months
from ..timeutil import french_date
from .items import DueItem

WARNING_MONTHS = 6
LINK = [("sessions.index", {})]


def warning_from(ends_on: date) -> date:
    """The first day the dashboard warns: six months before the end (same day of the month)."""
    return add_months(ends_on, -WARNING_MONTHS)


def ending_soon(ends_on: date | None, today: date) -> bool:
    """Warned from `warning_from(ends_on)` on, the end day and after included."""
    return ends_on is not None and today >= warning_from(ends_on)


def registrations_ending(today: date) -> list[DueItem]:
    items = []
    for referential in latest_referentials():
        end = referential.registration_facts.ends_on
        if not ending_soon(end, today):
            continue
        if end < today:
            label = (f"L'enregistrement de la certification {referential.code} a pris fin le "
                     f"{french_date(end)}")
            detail = "Aucune session ni aucun certificat après cette date : renouvelez l'enregistrement."
        else:
            label = (f"L'enregistrement de la certification {referential.code} prend fin le "
                     f"{french_date(end)}")
            detail = ("Aucune session après cette date : préparez le renouvellement auprès de France "
                      "Compétences et planifiez les dernières sessions.")
        items.append(DueItem("registration", end, label, LINK, detail=detail, today=today))
    return items


def mentions_missing(today: date) -> list[DueItem]:
    in_use = set(db.session.scalars(db.select(Referential.code).join(
        ExamSession, ExamSession.referential_id == Referential.id).distinct()))
    items = []
    for referential in latest_referentials():
        missing = missing_facts(referential.registration_facts)
        if missing and referential.code in in_use:
            items.append(DueItem(
                "mentions", today,
                f"Mentions obligatoires des certificats {referential.code} à compléter",
                LINK, detail="Certificats et attestations refusés tant que manque : "
                             + " ; ".join(missing) + " (fichier du référentiel).", today=today))
    return items
