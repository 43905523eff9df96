"""A session ready to convene (the organiser and the SMTP server come from tests/factories)."""
import pytest

from ..factories.convocations import make_session_to_convene


@pytest.fixture
def setup(app):
    return make_session_to_convene()
