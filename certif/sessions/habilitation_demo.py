"""The demo's habilitations per certification (`flask setup --demo`), decided through the
service: the RS6240 jurors for RS6240 only; Julie Perrin (jure5) and Antoine Roussel (jure6),
who sit on the RNCP jury of 2026-CM-01, for the title (Julie Perrin, who attended the RS6240
professionalisation session, for RS6240 as well); Samia Haddad (jure7) undecided."""
from __future__ import annotations

from ..auth.models import User
from ..extensions import db
from ..jurors.models import FAVOURABLE
from .jurors import decide

COMMENT = "Conditions remplies (annexe 7)."
# Juror email -> the certifications they are habilitated for.
DECISIONS = {
    "jure1@certif.test": ("RS6240",),
    "jure2@certif.test": ("RS6240",),
    "jure3@certif.test": ("RS6240",),
    "jure4@certif.test": ("RS6240",),
    "jure5@certif.test": ("RS6240", "RNCP-CM"),
    "jure6@certif.test": ("RNCP-CM",),
}


def load(organiser: User) -> None:
    for email, codes in DECISIONS.items():
        juror = db.session.scalar(db.select(User).filter_by(email=email))
        for code in codes:
            decide(organiser, juror.id, code, FAVOURABLE, COMMENT)
