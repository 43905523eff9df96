"""An RS6240 exam ready to grade, and its two jurors logged in."""
import pytest

from ..factories.sessions import make_exam


@pytest.fixture
def setup(app):
    return make_exam("RS6240")

