"""The dashboard's items about jurors: habilitations to decide, and to review.

* habilitation — a juror profile without any decision (for no certification yet): due on
  the first session they sit on, else HABILITATION_REVIEW_DAYS after the profile's last change;
* habilitation_review — a juror whose profile changed after a favourable
  decision (the decision still stands, the new facts may not support it): due
  on the first session they sit on, else HABILITATION_REVIEW_DAYS after the change.
"""
from __future__ import annotations

from datetime import date, time, timedelta

from ..extensions import db
from ..jurors.habilitations import changed_since_decision
from ..jurors.models import FAVOURABLE, JurorHabilitation, JurorProfile
from ..people import of
from ..sessions.models import PLANNING, ExamSession, Jury, JuryMember
from ..timeutil import french_date, paris_day, paris_to_utc
from .items import DueItem

HABILITATION_REVIEW_DAYS = 7


def _first_sittings(user_ids: list[int], today: date) -> dict:
    """juror id -> start of the first session to come they sit on."""
    return dict(db.session.execute(
        db.select(JuryMember.juror_id, db.func.min(ExamSession.starts_at))
        .join(Jury, JuryMember.jury_id == Jury.id)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .where(ExamSession.status.in_(PLANNING),
               ExamSession.starts_at >= paris_to_utc(today, time(0)),
               JuryMember.juror_id.in_(user_ids))
        .group_by(JuryMember.juror_id)).all())


def _habilitation_deadlines(profiles, today: date):
    """Each profile with the juror's first sitting to come (or None) and the decision's due
    date: that sitting, else a week after the profile last changed."""
    first_sitting = _first_sittings([p.user_id for p in profiles], today)
    for profile in profiles:
        sits = first_sitting.get(profile.user_id)
        yield profile, sits, (paris_day(sits) if sits else
                              paris_day(profile.updated_at) + timedelta(days=HABILITATION_REVIEW_DAYS))


def habilitations_to_decide(today: date) -> list[DueItem]:
    """Jurors with a profile and no decision for any certification yet."""
    decided = db.select(JurorHabilitation.id).where(
        JurorHabilitation.juror_id == JurorProfile.user_id).exists()
    profiles = db.session.scalars(
        db.select(JurorProfile).where(~decided)
        .options(db.joinedload(JurorProfile.user))).unique().all()
    if not profiles:
        return []
    items = []
    for profile, sits, due in _habilitation_deadlines(profiles, today):
        detail = (f"Siège le {french_date(sits)} : sans habilitation favorable, il ne peut pas "
                  "siéger." if sits else None)
        items.append(DueItem(
            "habilitation", due,
            f"Habilitation {of(profile.user.full_name)} à décider",
            [("jurors.show", {"user_id": profile.user_id}), ("jurors.index", {})],
            detail=detail, today=today))
    return items


def habilitations_to_review(today: date) -> list[DueItem]:
    """Favourable decisions whose profile was edited since: to confirm or revise (one item
    per juror, about their oldest such decision)."""
    rows = db.session.execute(
        db.select(JurorProfile, JurorHabilitation)
        .join(JurorHabilitation, JurorHabilitation.juror_id == JurorProfile.user_id)
        .where(JurorHabilitation.result == FAVOURABLE,
               JurorProfile.updated_at > JurorHabilitation.decided_at)
        .options(db.joinedload(JurorProfile.user))
        .order_by(JurorHabilitation.decided_at)).unique().all()
    oldest: dict[int, tuple] = {}
    for profile, habilitation in rows:
        if changed_since_decision(profile, habilitation):
            oldest.setdefault(profile.user_id, (profile, habilitation))
    if not oldest:
        return []
    decided = {user_id: h for user_id, (_, h) in oldest.items()}
    items = []
    for profile, sits, due in _habilitation_deadlines([p for p, _ in oldest.values()], today):
        habilitation = decided[profile.user_id]
        detail = (f"Fiche modifiée le {french_date(profile.updated_at)}, après l'avis favorable "
                  f"({habilitation.referential_code}) du {french_date(habilitation.decided_at)}"
                  + (f" ; siège le {french_date(sits)}." if sits else "."))
        items.append(DueItem(
            "habilitation_review", due,
            f"Habilitation {of(profile.user.full_name)} à revoir : sa fiche a changé depuis la "
            "décision",
            [("jurors.show", {"user_id": profile.user_id}), ("jurors.index", {})],
            detail=detail, today=today))
    return items
