"""Minutes of a session."""
from certif.extensions import db
from certif.minutes.models import Minutes
from certif.timeutil import utcnow


def make_minutes(session, organiser=None, **fields) -> Minutes:
    """The minutes of `session`, given the organiser's visa now."""
    values = {"visa_at": utcnow(), "place": "Lyon", "visa_by_id": getattr(organiser, "id", None),
              **fields}
    minutes = Minutes(session_id=session.id, **values)
    db.session.add(minutes)
    db.session.commit()
    return minutes
