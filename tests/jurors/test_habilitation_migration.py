"""Migration 0017 carries the single habilitation of a juror profile over: it becomes the
juror's RS6240 habilitation (result, comment, date, decided by); down again, it is back on
the profile."""
from datetime import datetime

from flask_migrate import downgrade, upgrade

from certif.auth.models import JUROR
from certif.extensions import db

from ..factories.jurors import habilitation_of
from ..factories.users import make_user


def test_the_profiles_decision_becomes_the_rs6240_habilitation(app):
    organiser = make_user("organiser", first_name="Sephora", last_name="Labi")
    decided = make_user(JUROR, first_name="Claire", last_name="Fontaine")
    pending = make_user(JUROR, first_name="Samia", last_name="Haddad")
    ids = (organiser.id, decided.id, pending.id)
    db.session.close()
    downgrade(revision="0016")
    db.session.execute(db.text(
        "INSERT INTO juror_profiles (user_id, habilitation_result, habilitation_comment, "
        "habilitation_decided_at, habilitation_decided_by_id, updated_at) VALUES "
        "(:decided, 'favourable', 'Conditions remplies.', :at, :organiser, :at), "
        "(:pending, NULL, NULL, NULL, NULL, :at)"),
        {"decided": ids[1], "pending": ids[2], "organiser": ids[0], "at": datetime(2026, 1, 10, 9)})
    db.session.commit()
    db.session.close()
    upgrade()
    habilitation = habilitation_of(decided, "RS6240")
    assert (habilitation.result, habilitation.comment, habilitation.decided_at,
            habilitation.decided_by_id) == ("favourable", "Conditions remplies.",
                                            datetime(2026, 1, 10, 9), organiser.id)
    assert habilitation_of(decided, "RNCP-CM") is None  # the title was never decided
    assert habilitation_of(pending, "RS6240") is None
    # And back: the RS6240 decision returns to the profile.
    db.session.close()
    downgrade(revision="0016")
    row = db.session.execute(db.text(
        "SELECT habilitation_result, habilitation_comment FROM juror_profiles WHERE user_id = :id"),
        {"id": ids[1]}).one()
    assert tuple(row) == ("favourable", "Conditions remplies.")
    db.session.close()
    upgrade()
