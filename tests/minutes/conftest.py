"""Sessions graded through the services up to closed deliberations, and their users logged in."""
import pytest

from ..factories.sessions import make_exam
from .helpers import close, exams_of


@pytest.fixture
def closed_setup(app):
    """RS6240, two candidates: one passes (all acquired), one fails (C1 not acquired)."""
    setup = make_exam("RS6240", candidates=2)
    first, second = exams_of(setup)
    close(setup, first)
    c1 = setup.criteria[:3]
    close(setup, second, {cid: False for cid in c1}, comment="C1 à retravailler.")
    return setup
