"""Minutes of a session."""
from certif.auth.models import ORGANISER
from certif.database import write_transaction
from certif.extensions import db
from certif.minutes.models import ORGANISER_ROLE, Minutes
from certif.signatures.models import MINUTES
from certif.signatures.rules import Mark
from certif.signatures.services import add_signature, user_key
from certif.timeutil import utcnow

from .users import make_user


def make_minutes(session, organiser=None, signed: bool = True, **fields) -> Minutes:
    """The minutes of `session`, given the organiser's visa now, signed (typed) as certif signs
    it (`signed=False`: a visa without its signature row, which the certificates refuse); without
    an organiser, one is made."""
    if organiser is None and signed and fields.get("visa_at", True) is not None:
        organiser = make_user(ORGANISER, first_name="Sephora", last_name="Visa")
    values = {"visa_at": utcnow(), "place": "Lyon", "visa_by_id": getattr(organiser, "id", None),
              **fields}
    minutes = Minutes(session_id=session.id, **values)
    db.session.add(minutes)
    db.session.commit()
    if signed and organiser is not None and minutes.visa_at is not None:
        with write_transaction():
            add_signature(MINUTES, minutes.id, signer_key=user_key(organiser), role=ORGANISER_ROLE,
                          name=organiser.full_name, content={"minutes": minutes.id},
                          mark=Mark("typed", typed_name=organiser.full_name), auth_method="login",
                          user=organiser)
    return minutes
