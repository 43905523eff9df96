"""An RS6240 exam on 1 December 2026 whose candidate's identity is not checked yet;
"today" is the exam day unless a test says otherwise."""
import pytest

from certif.extensions import db

from ..factories.sessions import make_exam
from .helpers import EXAM_DAY, IDENTITY


@pytest.fixture(autouse=True)
def exam_day(set_paris_today):
    return set_paris_today(EXAM_DAY)


@pytest.fixture
def setup(app):
    return make_exam("RS6240", identity_checked=False)


@pytest.fixture
def checked(setup, president):
    """The exam once the president has checked the candidate's identity (the candidate has an e-mail)."""
    setup.exam.candidate.email = "alex@example.org"
    db.session.commit()
    assert president.post(f"/jury/examens/{setup.exam.id}/identite", IDENTITY).status_code == 303
    return setup
