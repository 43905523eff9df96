"""Fixtures of the documents tests: a sealed PDF (the files themselves come from tests/factories/files.py)."""
import pytest

from certif.documents.seal import seal_pdf

from ..factories.files import plain_pdf


@pytest.fixture
def sealed_pdf(app):
    return seal_pdf(plain_pdf(), reason="Procès-verbal scellé")
