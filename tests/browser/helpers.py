"""Helpers of the browser tests: marks saved through the services, as the jurors' clicks would."""
from certif.auth.models import User
from certif.extensions import db
from certif.grading import services
from certif.grading.inputs import shown_result

from ..factories.grading import closing_form


def plan(codes, non):
    return {code: code not in non for code in codes}


def raw(value: bool) -> str:
    return "acquis" if value else "non_acquis"


def grade_server_side(server, president=None, member=None, *, open_deliberation=False,
                      close=False):
    """Marks (code -> bool) saved through the services, as the jurors' clicks would."""
    s = server.seeded
    with server.app.app_context():
        users = {s.president_id: db.session.get(User, s.president_id),
                 s.member_id: db.session.get(User, s.member_id)}
        for user_id, marks in ((s.president_id, president), (s.member_id, member)):
            for code, value in (marks or {}).items():
                services.set_mark(users[user_id], s.exam_id, s.ids[code], raw(value))
        if open_deliberation:
            services.open_deliberation(users[s.president_id], s.exam_id)
        if close:  # confirming the result the deliberation page shows now
            form = closing_form(users[s.president_id], s.exam_id)
            services.close_deliberation(users[s.president_id], s.exam_id, confirmed=True,
                                        shown=shown_result(form))
        db.session.remove()
