"""Fixtures of the jurors' tests: two jurors with a complete profile (decision pending), and
the first one's client (the organiser's and the council's come from tests/factories)."""
import pytest

from ..factories.jurors import make_juror, make_juror_profile


@pytest.fixture
def juror_user(app):
    user = make_juror("Claire", "Fontaine", profile=False)
    make_juror_profile(user)
    return user


@pytest.fixture
def other_juror_user(app):
    user = make_juror("Karim", "Benali", profile=False)
    make_juror_profile(user)
    return user


@pytest.fixture
def juror(juror_user, make_web):
    return make_web(juror_user)
