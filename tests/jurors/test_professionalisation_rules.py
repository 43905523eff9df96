"""The professionalisation rules, as tables: the juror's date, attendance, signing, emails,
and the new session's form."""
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from certif.errors import InvalidInput
from certif.jurors.professionalisation import inputs, rules

D1, D2, D3 = date(2026, 3, 2), date(2026, 3, 10), date(2026, 4, 1)


@pytest.mark.parametrize("current, day, present, others, expected", [
    (None, D2, True, [], D2),  # first session attended
    (D1, D2, True, [], D2),  # a later session moves the date
    (D3, D2, True, [], D3),  # an earlier session keeps the later date
    (D2, D2, False, [], None),  # withdrawn: nothing attended any more
    (D2, D2, False, [D1], D1),  # withdrawn: the other session attended
    (D3, D2, False, [], D3),  # withdrawn: a date typed by the organiser stays
    (None, D2, False, [], None),
])
def test_the_jurors_date_follows_attendance(current, day, present, others, expected):
    assert rules.profile_date(current, day, present, others) == expected


@pytest.mark.parametrize("held_on, today, refused", [
    (D2, D1, True),  # not held yet
    (D2, D2, False),  # the day itself
    (D1, D2, False),  # afterwards
])
def test_attendance_is_recorded_from_the_sessions_day(held_on, today, refused):
    assert (rules.attendance_refusal(held_on, today) is not None) is refused


@pytest.mark.parametrize("held_on, today, emailed", [(D2, D1, True), (D2, D2, True), (D1, D2, False)])
def test_only_a_session_to_come_is_announced_by_email(held_on, today, emailed):
    assert rules.emails_invitation(held_on, today) is emailed


@pytest.mark.parametrize("attended_now, present, signed, refused", [
    (True, False, True, True),  # a signed attestation keeps its presence
    (True, True, True, False),
    (True, False, False, False),
    (None, False, False, False),
    (False, True, False, False),
])
def test_a_signed_presence_is_never_withdrawn(attended_now, present, signed, refused):
    assert rules.unmark_refusal(attended_now, present, signed) is refused


@pytest.mark.parametrize("invited, attended, held_on, today, expected", [
    (False, True, D1, D2, rules.MSG_NOT_INVITED),
    (True, None, D1, D2, rules.MSG_NOT_ATTENDED),
    (True, False, D1, D2, rules.MSG_NOT_ATTENDED),
    (True, True, D3, D2, rules.MSG_TOO_EARLY_TO_SIGN),
    (True, True, D2, D2, None),
])
def test_only_the_invited_juror_who_attended_signs(invited, attended, held_on, today, expected):
    assert rules.signing_refusal(invited, attended, held_on, today) == expected


GOOD = {"referential_id": "1", "day": "2026-03-10", "start": "14:00", "mode": "remote",
        "video_link": "https://visio.example.org/pro", "content": "Les attendus."}


@pytest.mark.parametrize("changes, field", [
    ({"referential_id": "9"}, "referential_id"),
    ({"referential_id": "x"}, "referential_id"),
    ({"day": "31/02/2026"}, "day"),
    ({"day": ""}, "day"),
    ({"day": "2031-01-01"}, "day"),  # too far
    ({"start": "25:00"}, "start"),
    ({"mode": "hybride"}, "mode"),
    ({"video_link": "http://visio.example.org"}, "video_link"),
    ({"video_link": "javascript:alert(1)"}, "video_link"),
    ({"video_link": ""}, "video_link"),
    ({"mode": "on_site", "place": "  "}, "place"),
    ({"content": " \n "}, "content"),
    ({"content": "x" * 4001}, "content"),
])
def test_the_new_sessions_form_says_which_field_is_wrong(changes, field):
    _, errors = inputs.parse_session(MultiDict({**GOOD, **changes}), [1], D1)
    assert list(errors) == [field]


def test_a_good_form_gives_clean_values():
    values, errors = inputs.parse_session(MultiDict({**GOOD, "day": "10/03/2026"}), [1], D1)
    assert errors == {}
    assert (values.day, values.start.hour, values.mode, values.place) == (D2, 14, "remote", None)
    on_site, errors = inputs.parse_session(
        MultiDict({**GOOD, "mode": "on_site", "place": " Salle  2 \n Paris "}), [1], D1)
    assert errors == {} and on_site.place == "Salle 2 Paris" and on_site.video_link is None


def test_checkboxes_outside_the_page_are_refused():
    assert inputs.chosen_ids(MultiDict([("p", "3"), ("p", "3")]), "p", [3, 4]) == {3}
    for bad in ("5", "x", "-1"):
        with pytest.raises(InvalidInput):
            inputs.chosen_ids(MultiDict([("p", bad)]), "p", [3, 4])
