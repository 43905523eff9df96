"""The demo's professionalisation sessions (`flask setup --demo`), made through the services:
one held 40 days ago (the demo jurors' professionalisation date) with its attendance and one
signed attestation, and one to come with an emailed invitation."""
from __future__ import annotations

from datetime import time, timedelta

from ...auth.models import User
from ...extensions import db
from ...referentials.models import Referential
from ...signatures.rules import content_sha256, parse_mark
from ...timeutil import paris_today
from . import operations, queries, rules
from .content import attestation_content
from .inputs import SessionInput
from .models import ON_SITE, REMOTE


def load(organiser: User, present: list[User], absent: list[User], upcoming: list[User]) -> None:
    referential = db.session.scalar(db.select(Referential).filter_by(code="RS6240")
                                    .order_by(Referential.version.desc()).limit(1))
    today = paris_today()
    held = operations.create_session(organiser, SessionInput(
        referential_id=referential.id, day=today - timedelta(days=40), start=time(14, 0), mode=REMOTE,
        video_link="https://visio.example.org/certif-professionnalisation", content=rules.DEFAULT_CONTENT))
    operations.invite(organiser, held.id, {u.id for u in present + absent})
    ids = {i.id for i in queries.invitations_of(held) if i.juror_id in {u.id for u in present}}
    operations.record_attendance(organiser, held.id, ids)
    signer = present[0]
    invitation = queries.invitation_of(held.id, signer.id)
    operations.sign_attestation(signer, held.id, parse_mark("typed", None, signer.full_name),
                                seen_sha256=content_sha256(attestation_content(invitation)))
    coming = operations.create_session(organiser, SessionInput(
        referential_id=referential.id, day=today + timedelta(days=14), start=time(10, 0), mode=ON_SITE,
        place="Locaux de l'organisme, salle 2", content=rules.DEFAULT_CONTENT))
    operations.invite(organiser, coming.id, {u.id for u in upcoming})
