"""Whether a day is covered by the organisation's civil liability insurance, and when to
warn that the cover ends (pure: no database).

Seed 000, I.A: the organisation "s'assure d'être couvert par une assurance responsabilité
civile" for the sessions it holds. A session may be convened only on a day a recorded
policy covers; the dashboard warns NOTICE_DAYS before the cover ends (decision: the
issue's 30 days), unless another recorded policy takes over the next day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from ..timeutil import french_date

NOTICE_DAYS = 30

MSG_NO_POLICY = ("La session n° {number} du {day} ne peut pas être convoquée : aucune assurance "
                 "responsabilité civile de l'organisme n'est enregistrée. Enregistrez la police et "
                 "son attestation (Organisation › Assurance) avant de convoquer.")
MSG_NOT_COVERED = ("La session n° {number} du {day} ne peut pas être convoquée : elle n'est pas "
                   "couverte par l'assurance responsabilité civile de l'organisme ({covers}). "
                   "Enregistrez la police qui couvre cette date (Organisation › Assurance) avant "
                   "de convoquer.")


class Policy(Protocol):
    insurer: str
    number: str
    starts_on: date
    ends_on: date


def covers(policy: Policy, day: date) -> bool:
    return policy.starts_on <= day <= policy.ends_on


def covering(policies, day: date):
    """The policy covering `day` that lasts longest, or None."""
    found = [p for p in policies if covers(p, day)]
    return max(found, key=lambda p: p.ends_on) if found else None


def period_label(policy: Policy) -> str:
    return (f"police n° {policy.number} de {policy.insurer}, valable du "
            f"{french_date(policy.starts_on)} au {french_date(policy.ends_on)}")


def cover_problem(policies, day: date, number: str) -> str | None:
    """Why a session of that number on `day` cannot be convened (French), or None."""
    policies = list(policies)
    if covering(policies, day) is not None:
        return None
    if not policies:
        return MSG_NO_POLICY.format(number=number, day=french_date(day))
    covers_text = " ; ".join(period_label(p) for p in sorted(policies, key=lambda p: p.starts_on))
    return MSG_NOT_COVERED.format(number=number, day=french_date(day), covers=covers_text)


def cover_end(policies, day: date) -> date | None:
    """The last day of the uninterrupted cover that includes `day` (policies chained end to
    start), or None when `day` is not covered."""
    policies = list(policies)
    current = covering(policies, day)
    if current is None:
        return None
    end = current.ends_on
    while (following := covering(policies, end + timedelta(days=1))) is not None:
        end = following.ends_on
    return end


@dataclass(frozen=True)
class Notice:
    """What the dashboard says about the insurance: the cover ends soon, or has ended."""

    due: date
    label: str


def expiry_notice(policies, today: date) -> Notice | None:
    """A notice from NOTICE_DAYS before the cover ends; after it ended (and a policy had been
    recorded), an overdue one. None when the cover goes on beyond NOTICE_DAYS or nothing
    was ever recorded."""
    policies = list(policies)
    if not policies:
        return None
    end = cover_end(policies, today)
    if end is None:
        last = max((p for p in policies if p.ends_on < today), key=lambda p: p.ends_on, default=None)
        if last is None:  # only policies to come: nothing covers today
            return Notice(today, "Aucune assurance responsabilité civile ne couvre l'organisme "
                                 "aujourd'hui : enregistrez la police en cours.")
        return Notice(last.ends_on + timedelta(days=1),
                      f"L'assurance responsabilité civile de l'organisme a pris fin le "
                      f"{french_date(last.ends_on)} : enregistrez la nouvelle police.")
    if (end - today).days > NOTICE_DAYS:
        return None
    return Notice(end, f"L'assurance responsabilité civile de l'organisme prend fin le "
                       f"{french_date(end)} : enregistrez la police qui lui succède.")
