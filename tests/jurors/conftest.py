"""Helpers for the jurors' tests: profiles, PDFs, and logged-in clients."""
from datetime import date

import pytest

from certif.extensions import db
from certif.jurors.models import JurorProfile

from ..factories import COUNCIL, JUROR, ORGANISER, make_user

# The smallest file our check accepts as a PDF: header, body, trailer.
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def with_profile(user, **values) -> JurorProfile:
    """Give `user` a habilitation profile (complete and favourable unless told)."""
    defaults = dict(profession="Community manager", years_experience=7, external=True,
                    professionalisation_date=date(2025, 9, 15), workplace="Agence Sociale",
                    address="12 rue des Lilas", postal_code="69003", city="Lyon",
                    phone="06 12 34 56 78")
    profile = JurorProfile(user=user, **{**defaults, **values})
    db.session.add(profile)
    db.session.commit()
    return profile


@pytest.fixture
def organiser(app):
    return make_user(ORGANISER, first_name="Sephora", last_name="Labi")


@pytest.fixture
def juror(app):
    user = make_user(JUROR, first_name="Claire", last_name="Fontaine")
    with_profile(user)
    return user


@pytest.fixture
def other_juror(app):
    user = make_user(JUROR, first_name="Karim", last_name="Benali")
    with_profile(user)
    return user


@pytest.fixture
def council(app):
    return make_user(COUNCIL, first_name="Sylvie", last_name="Moscou")


@pytest.fixture
def as_organiser(organiser, make_web):
    return make_web(organiser)


@pytest.fixture
def as_juror(juror, make_web):
    return make_web(juror)
