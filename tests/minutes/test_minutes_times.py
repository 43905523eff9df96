"""The minutes' opening and closing times are Paris times of the session's day that have
passed: a time still to come is refused (400, French message), nothing saved."""
from datetime import date

import pytest

from certif.extensions import db
from certif.minutes.models import Minutes

# The session of `closed_setup` is on 1 December 2026; "now" is set to noon, Paris time.
CASES = [
    # opened, closed, status, message
    ("08:45", "11:30", 303, None),
    ("08:45", "12:00", 303, None),  # now, to the minute
    ("08:45", "12:01", 400, "Heure de clôture : il n&#39;est pas encore 12 h 01 le 1er décembre 2026"),
    ("08:45", "18:00", 400, "Heure de clôture : il n&#39;est pas encore 18 h 00"),
    ("13:00", "", 400, "Heure d&#39;ouverture : il n&#39;est pas encore 13 h 00"),
    ("", "23:59", 400, "indiquez l&#39;heure réelle"),
]


@pytest.mark.parametrize("opened, closed, status, message", CASES)
def test_a_time_still_to_come_is_refused(closed_setup, make_web, set_paris_today,
                                         opened, closed, status, message):
    s = closed_setup
    set_paris_today(date(2026, 12, 1))
    r = make_web(s.president).post(f"/jury/sessions/{s.session.id}/proces-verbal",
                                   {"opened_at": opened, "closed_at": closed, "place": "",
                                    "observations": ""})
    assert r.status_code == status
    minutes = db.session.scalar(db.select(Minutes).filter_by(session_id=s.session.id))
    if message:
        assert message in r.text and 'aria-invalid="true"' in r.text
        assert minutes is None  # nothing saved
    else:
        assert minutes is not None and minutes.closed_at is not None
