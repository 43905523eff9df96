"""An RS6240 exam ready to grade, and its two jurors logged in."""
import pytest

from ..factories import make_exam


@pytest.fixture
def setup(app):
    return make_exam("RS6240")


@pytest.fixture
def president(setup, make_web):
    return make_web(setup.president)


@pytest.fixture
def member(setup, make_web):
    return make_web(setup.member)
