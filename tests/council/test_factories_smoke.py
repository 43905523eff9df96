from ..factories.council import make_action, make_anomaly, make_meeting, make_review
from ..factories.examday import make_breach_sheet


def test_factories_build_a_consistent_council_case(exam_setup, council_user):
    sheet = make_anomaly(exam_setup.session, exam_setup.president)
    review = make_review(anomaly=sheet, signed=True)
    action = make_action(review, owner=council_user)
    breach = make_breach_sheet(exam_setup.jury)
    meeting = make_meeting(sessions=[exam_setup.session], members=[council_user])
    assert sheet.review is review and review.actions == [action]
    assert breach.has_breach and [a.respected for a in breach.answers].count(False) == 1
    assert meeting.sessions == [exam_setup.session]


def test_due_meetings_lists_the_annual_and_each_reporting_session(exam_setup, council_user):
    from datetime import date

    from certif.council.deadlines import due_meetings
    make_anomaly(exam_setup.session, exam_setup.president)
    due = due_meetings(date(2026, 12, 20))
    assert [(d.kind, d.due) for d in due] == [("annual", date(2026, 12, 31)),
                                              ("exceptional", date(2027, 1, 1))]
    make_meeting(sessions=[exam_setup.session], held_on=date(2026, 12, 15))
    assert [d.kind for d in due_meetings(date(2026, 12, 20))] == ["annual"]
