"""The demo's professionalisation sessions: one held with its attendance and a signed
attestation, one to come with an emailed invitation (certif.demo loads them)."""
from certif.extensions import db
from certif.jurors.professionalisation import demo
from certif.jurors.professionalisation.models import ProfessionalisationSession
from certif.signatures.models import PROFESSIONALISATION, Signature

from ..factories.jurors import make_juror


def test_the_demo_has_a_session_with_attendance_and_a_signed_attestation(organiser_user):
    jurors = [make_juror(name) for name in ("Claire", "Karim", "Samia")]
    demo.load(organiser_user, jurors[:1], jurors[1:2], jurors[2:])
    held, coming = db.session.scalars(db.select(ProfessionalisationSession)
                                      .order_by(ProfessionalisationSession.starts_at)).all()
    assert [i.attended for i in sorted(held.invitations, key=lambda i: i.juror_id)] == [True, False]
    [signature] = db.session.scalars(db.select(Signature).filter_by(document=PROFESSIONALISATION)).all()
    assert signature.user_id == jurors[0].id
    assert jurors[0].juror_profile.professionalisation_date is not None
    [invited] = coming.invitations
    assert invited.mail is not None and invited.mail.status == "sent"
