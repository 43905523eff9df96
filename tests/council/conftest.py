"""Fixtures of the council's tests: an exam on 1 December 2026, an anomaly sheet on it, and
"today" set to COUNCIL_DAY (the users and their clients come from tests/factories/fixtures.py)."""
import pytest

from ..factories.council import make_anomaly
from ..factories.sessions import make_exam
from .helpers import COUNCIL_DAY


@pytest.fixture
def fixed_today(set_paris_today):
    """Paris "today" for the services: COUNCIL_DAY (use with pytest.mark.usefixtures)."""
    return set_paris_today(COUNCIL_DAY)


@pytest.fixture
def exam_setup(app):
    """A session (1 December 2026) with one jury of two jurors and one candidate."""
    return make_exam()


@pytest.fixture
def sheet(exam_setup):
    """An anomaly sheet filed by exam_setup's president."""
    return make_anomaly(exam_setup.session, exam_setup.president)
