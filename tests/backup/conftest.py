"""Helpers for the backup tests: an instance with a bit of everything, a fresh instance to
restore into, archives rewritten member by member, and snapshots of tables and files."""
import pytest
from flask_migrate import upgrade
from sqlalchemy import inspect

from certif.database import write_transaction
from certif.documents.models import SEALED_GRID
from certif.documents.private_files import PrivateFolder
from certif.documents.seal import seal_pdf
from certif.documents.sealed import store_sealed
from certif.extensions import db
from certif.mail.services import send
from certif.referentials.services import import_all

from ..factories.database import POSTGRES_URL
from ..factories.files import plain_pdf
from ..factories.sessions import make_exam


@pytest.fixture
def instance(app):
    """An exam of 5 candidates ready to grade, a juror's CV, a mail in the outbox and a sealed
    grid (which makes the seal under FILES_DIR/seal)."""
    setup = make_exam("RS6240", candidates=5)
    PrivateFolder("cv", "CV").write(plain_pdf("CV de Paule"), "pdf")
    send(["candidat@test.fr"], "Convocation", "Bonjour, vous êtes convoqué.")
    sealed = seal_pdf(plain_pdf("Grille d'évaluation"), reason="Grille scellée")
    with write_transaction():
        store_sealed(SEALED_GRID, setup.exam.id, "grille.pdf", sealed)
    yield setup, sealed
    if POSTGRES_URL and not inspect(db.engine).has_table("users"):
        # A restore that failed after the schema was wiped: rebuild it for the next tests.
        db.session.remove()
        upgrade()
        import_all()
        db.session.commit()
