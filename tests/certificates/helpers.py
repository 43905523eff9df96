"""Helpers of the certificates tests: the public verification page and one certificate to verify."""
import base64

from certif.certificates.models import Certificate
from certif.database import write_transaction
from certif.extensions import db
from certif.grading.rules import FAVORABLE
from certif.minutes.models import ORGANISER_ROLE
from certif.signatures.models import MINUTES
from certif.signatures.rules import Mark
from certif.signatures.services import add_signature, user_key

from ..factories.files import drawn_png
from ..factories.grading import finished_session
from ..factories.minutes import make_minutes

URL = "/verifier-certificat"


GENUINE = "Ce certificat est authentique"


NONE = "Aucun certificat ne correspond à ce numéro et à ce code."


def one_certificate(organiser) -> Certificate:
    setup = finished_session(decisions=(FAVORABLE,))
    make_minutes(setup.session)
    organiser.post(f"/sessions/{setup.session.id}/certificats")
    return db.session.scalar(db.select(Certificate))


def signed_visa(session, organiser_user):
    """The minutes with the organiser's visa given as certif gives it: a drawn signature."""
    minutes = make_minutes(session, organiser_user, signed=False)
    png = base64.b64decode(drawn_png().split(",", 1)[1])
    with write_transaction():
        add_signature(MINUTES, minutes.id, signer_key=user_key(organiser_user), role=ORGANISER_ROLE,
                      name=organiser_user.full_name, content={"minutes": minutes.id},
                      mark=Mark("drawn", image_png=png), auth_method="login", user=organiser_user)
    return minutes
