"""`flask verify FILE`: the French verdict, and exit codes 0 (intact), 1 (altered), 2 (no file)."""
from ..factories.files import altered, plain_pdf


def run(app, path):
    return app.test_cli_runner().invoke(args=["verify", str(path)])


def test_an_intact_document_exits_0(app, sealed_pdf, tmp_path):
    path = tmp_path / "pv.pdf"
    path.write_bytes(sealed_pdf)
    result = run(app, path)
    assert result.exit_code == 0, result.output
    assert "✓ Document intact" in result.output
    assert "Signataire : ALLOKOM — cachet des documents certif" in result.output
    assert "Scellé le : " in result.output


def test_an_altered_document_exits_1(app, sealed_pdf, tmp_path):
    path = tmp_path / "pv.pdf"
    path.write_bytes(altered(sealed_pdf))
    result = run(app, path)
    assert result.exit_code == 1
    assert result.output.startswith("✗ ")


def test_an_unsigned_or_garbage_file_exits_1(app, tmp_path):
    (tmp_path / "a.pdf").write_bytes(plain_pdf())
    (tmp_path / "b.pdf").write_bytes(b"pas un pdf")
    assert "Aucun cachet" in run(app, tmp_path / "a.pdf").output
    result = run(app, tmp_path / "b.pdf")
    assert result.exit_code == 1 and "pas un PDF lisible" in result.output


def test_a_missing_file_exits_2(app, tmp_path):
    result = run(app, tmp_path / "absent.pdf")
    assert result.exit_code == 2
    assert "introuvable" in result.output
