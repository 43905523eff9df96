"""Fixtures of the sessions tests: a habilitated juror's client (the organiser's and the
council's come from tests/factories/fixtures.py)."""
import pytest

from ..factories.jurors import make_juror


@pytest.fixture
def juror(make_web):
    """A habilitated juror's logged-in client."""
    return make_web(make_juror(last_name="Connecte"))
