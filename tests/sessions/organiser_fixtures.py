"""An organiser as a user (for service calls) and as a logged-in client, for the exception tests.

Imported by the modules that need them; they replace conftest's `organiser` (a client) there."""
import pytest

from ..factories import ORGANISER, make_user


@pytest.fixture
def organiser(app):
    return make_user(ORGANISER, first_name="Olivia")


@pytest.fixture
def web_org(organiser, make_web):
    return make_web(organiser)
