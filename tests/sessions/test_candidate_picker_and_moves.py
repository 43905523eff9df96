"""The session page tells the organiser what she needs before she acts (issue 13, item 9):
the candidate picker says who is already expected in another session to come and who
already holds this certification (refused, 409); "Déplacer" and its hint show only when
a candidate can actually be moved to another jury."""
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from certif.extensions import db
from certif.grading.models import Grid
from certif.sessions.models import Exam
from certif.sessions.rules import FAVORABLE, UNFAVORABLE
from certif.timeutil import french_date, paris_today

from ..factories.candidates import make_candidate
from ..factories.database import counting_statements
from ..factories.grading import close_exam
from ..factories.sessions import make_jury, make_session, place
from .helpers import text

MOVE_HINT = "se déplace vers un autre jury avec « Déplacer »"


class _Options(HTMLParser):
    """The options of one <select>: (label, disabled, optgroup label or None)."""

    def __init__(self, select_id):
        super().__init__()
        self.select_id, self.inside, self.group, self.current = select_id, False, None, None
        self.options = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("id") == self.select_id
        elif self.inside and tag == "optgroup":
            self.group = attrs.get("label")
        elif self.inside and tag == "option":
            self.current = ["", "disabled" in attrs, self.group]

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False
        elif tag == "optgroup":
            self.group = None
        elif tag == "option" and self.current is not None:
            self.options.append((self.current[0].strip(), self.current[1], self.current[2]))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current[0] += data


def picker(web, jury) -> dict:
    """The picker of `jury` on its session's page: label -> (disabled, optgroup)."""
    r = web.get(f"/sessions/{jury.session_id}")
    assert r.status_code == 200
    parser = _Options(f"candidat-{jury.id}")
    parser.feed(r.get_data(as_text=True))
    return {label: (disabled, group) for label, disabled, group in parser.options}


def certified(person, code="RS6240", day=None, decision=FAVORABLE):
    """`person` sat `code` in a past session whose deliberation closed with `decision`."""
    day = day or paris_today() - timedelta(days=40)
    exam = place(make_jury(make_session(day=day, code=code, status="deliberated")), person)
    close_exam(exam, decision, on=day)
    return day


# --- (a) The candidate picker ------------------------------------------------------------

def test_the_picker_says_who_is_expected_elsewhere_and_who_is_certified(app, organiser):
    """A table of cases: each candidate's option, whether it can be chosen, and its group."""
    soon, past = paris_today() + timedelta(days=20), paris_today() - timedelta(days=40)
    make_candidate(first_name="Anne", last_name="Libre")
    expected = make_candidate(first_name="Léa", last_name="Prevue")
    place(make_jury(make_session(number="AUTRE", day=soon)), expected)
    long_gone = make_candidate(first_name="Paul", last_name="Ancien")  # a past sitting: nothing
    place(make_jury(make_session(number="PASSEE", day=paris_today() - timedelta(days=3))), long_gone)
    cancelled = make_candidate(first_name="Rémi", last_name="Annule")
    place(make_jury(make_session(number="ANNULEE", day=soon, status="cancelled")), cancelled)
    holder = make_candidate(first_name="Marie", last_name="Dupont")
    certified(holder, day=past)
    failed = make_candidate(first_name="Yann", last_name="Echec")  # may sit again
    certified(failed, day=past, decision=UNFAVORABLE)
    other_title = make_candidate(first_name="Zoé", last_name="Autretitre")  # another certification
    certified(other_title, code="RNCP-CM", day=past)
    jury = make_jury(make_session(number="ICI", day=paris_today() + timedelta(days=30)))

    options = picker(organiser, jury)
    certified_group = "Déjà certifiés : ils ne peuvent pas être placés"
    cases = [
        ("LIBRE Anne", False, None),
        (f"PREVUE Léa — déjà prévu(e) : session n° AUTRE le {french_date(soon)}", False, None),
        ("ANCIEN Paul", False, None),
        ("ANNULE Rémi", False, None),
        (f"DUPONT Marie — déjà certifié(e) : RS6240 le {french_date(past)}", True,
         certified_group),
        ("ECHEC Yann", False, None),
        ("AUTRETITRE Zoé", False, None),
    ]
    for label, disabled, group in cases:
        assert options.get(label) == (disabled, group), (label, options)


def test_a_candidate_expected_elsewhere_and_certified_is_told_certified(app, organiser):
    holder = make_candidate(first_name="Marie", last_name="Dupont")
    past = certified(holder)
    soon = paris_today() + timedelta(days=10)
    place(make_jury(make_session(number="AILLEURS", day=soon)), holder)
    make_candidate(last_name="Libre")  # the picker shows while someone can be placed
    options = picker(organiser, make_jury(make_session(number="ICI")))
    label = f"DUPONT Marie — déjà certifié(e) : RS6240 le {french_date(past)}"
    assert options.get(label, (None,))[0] is True, options
    assert not [o for o in options if o.startswith("DUPONT Marie — déjà prévu")]


def test_placing_a_certified_candidate_is_refused_with_409(app, organiser):
    holder = make_candidate(first_name="Marie", last_name="Dupont")
    past = certified(holder)
    jury = make_jury(make_session(number="ICI"))
    message = (f"Marie DUPONT a déjà obtenu la certification RS6240 le {french_date(past)} : "
               "un candidat certifié ne la repasse pas.")
    for htmx in (False, True):
        r = organiser.post(f"/sessions/jurys/{jury.id}/candidats", {"candidate_id": holder.id},
                           htmx=htmx)
        assert r.status_code == 409 and message in text(r)
    assert not db.session.scalars(db.select(Exam).filter_by(jury_id=jury.id)).all()


def test_a_holder_of_another_certification_or_a_failed_candidate_is_placed(app, organiser):
    other_title, failed = make_candidate(last_name="Autre"), make_candidate(last_name="Echec")
    certified(other_title, code="RNCP-CM")
    certified(failed, decision=UNFAVORABLE)
    jury = make_jury(make_session(number="ICI"))
    for person in (other_title, failed):
        r = organiser.post(f"/sessions/jurys/{jury.id}/candidats", {"candidate_id": person.id})
        assert r.status_code == 303
    assert len(db.session.scalars(db.select(Exam).filter_by(jury_id=jury.id)).all()) == 2


def test_the_picker_reads_the_database_a_fixed_number_of_times(app, organiser):
    jury = make_jury(make_session(number="ICI"))
    elsewhere = make_jury(make_session(number="AUTRE", day=paris_today() + timedelta(days=20)))
    place(elsewhere, make_candidate())
    certified(make_candidate())
    organiser.get(f"/sessions/{jury.session_id}")  # warm up

    def statements() -> int:
        db.session.expire_all()
        with counting_statements() as sent:
            assert organiser.get(f"/sessions/{jury.session_id}").status_code == 200
        return len(sent)

    few = statements()
    for _ in range(5):
        place(elsewhere, make_candidate())
        certified(make_candidate())
    assert statements() == few


# --- (b) "Déplacer" only when a move is possible ------------------------------------------

def _stop(jury):
    jury.stopped_at = jury.session.starts_at
    db.session.commit()


def _incomplete(jury):
    jury.members = jury.members[:1]
    db.session.commit()


def _graded(exam):
    db.session.add(Grid(exam_id=exam.id, juror_id=exam.jury.members[0].juror_id))
    db.session.commit()


@pytest.mark.parametrize("case, status, second_jury, movable", [
    ("one jury only", "draft", None, True),
    ("another jury that sits", "draft", "sits", True),
    ("another jury, convened session", "convened", "sits", True),
    ("another jury stopped by a carence", "in_progress", "stopped", True),
    ("another jury with one juror", "draft", "incomplete", True),
    ("another jury, the candidate being graded", "draft", "sits", False),
    ("another jury, session deliberated", "deliberated", "sits", True),
])
def test_the_move_hint_and_controls_show_only_when_a_move_is_possible(
        app, organiser, case, status, second_jury, movable):
    session = make_session(status=status, day=date.today() + timedelta(days=1))
    first = make_jury(session)
    exam = place(first, make_candidate(last_name="Bouge"))
    if second_jury:
        other = make_jury(session)
        {"stopped": _stop, "incomplete": _incomplete}.get(second_jury, lambda j: None)(other)
    if not movable:
        _graded(exam)
    possible = (second_jury == "sits" and movable and status in ("draft", "convened"))
    page = text(organiser.get(f"/sessions/{session.id}"))
    assert (MOVE_HINT in page) is possible, case
    assert ("<summary>Déplacer" in page) is possible, case
    assert (f'action="/sessions/examens/{exam.id}/jury"' in page) is possible, case


def test_the_hint_follows_an_htmx_placement(app, organiser):
    session = make_session()
    first, _second = make_jury(session), make_jury(session)
    assert MOVE_HINT not in text(organiser.get(f"/sessions/{session.id}"))  # nobody to move
    r = organiser.post(f"/sessions/jurys/{first.id}/candidats",
                       {"candidate_id": make_candidate().id}, htmx=True)
    body = text(r)
    assert r.status_code == 200 and 'id="deplacer-aide" data-hx-swap-oob="true"' in body
    assert MOVE_HINT in body and "<summary>Déplacer" in body  # to the second jury


def test_when_only_certified_candidates_remain_the_page_says_so(app, organiser):
    certified(make_candidate(last_name="Dupont"))
    jury = make_jury(make_session(number="ICI"))
    page = text(organiser.get(f"/sessions/{jury.session_id}"))
    assert f'id="candidat-{jury.id}"' not in page
    assert "Tous les candidats enregistrés sont déjà placés dans cette session ou déjà certifiés." in page
