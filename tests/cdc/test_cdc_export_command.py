"""`flask cdc export --out FILE`: the same file as the page's button, from the command line."""
import xmlschema

from certif.audit.models import AuditEntry
from certif.cdc import rules
from certif.cdc.flux import SCHEMA_FILE
from certif.extensions import db

from ..factories.cdc import declarable_certificates


def test_export_writes_a_valid_file_then_has_nothing_left(app, tmp_path):
    (certificate,) = declarable_certificates(1)
    out = tmp_path / "cdc.xml"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cdc", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Fichier n° 1 (1 passage) écrit dans {out}." in result.output
    xmlschema.XMLSchema(str(SCHEMA_FILE)).validate(str(out))
    assert rules.technical_id(certificate.number) in out.read_text(encoding="utf-8")
    assert db.session.scalar(db.select(AuditEntry.action).order_by(AuditEntry.id.desc())) == \
        "cdc.file_generate"

    again = runner.invoke(args=["cdc", "export", "--out", str(tmp_path / "again.xml")])
    assert again.exit_code == 1
    assert "Aucune ligne n'est prête à déclarer" in again.output
    assert not (tmp_path / "again.xml").exists()


def test_export_needs_its_output_file(app):
    result = app.test_cli_runner().invoke(args=["cdc", "export"])
    assert result.exit_code == 2 and "--out" in result.output
