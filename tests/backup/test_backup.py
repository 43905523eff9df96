"""`flask backup` and `flask restore`: a consistent archive while jurors grade, restored into a
fresh instance with every row, file and seal; refusals before anything is written."""
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import tarfile
import threading
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select

from certif.audit.models import AuditEntry
from certif.auth.models import User
from certif.backup import BackupError
from certif.backup.archive import archives_in, create_backup
from certif.backup.restore import restore_backup
from certif.backup.snapshot import libpq_env, pg_tool, restore_postgres, take
from certif.documents.models import SEALED_GRID, SealedDocument
from certif.documents.seal import ensure_seal, seal_pdf, verify_pdf
from certif.documents.sealed import read_sealed
from certif.extensions import db
from certif.grading.models import Mark
from certif.grading.services import label, set_mark
from certif.referentials.models import RefCriterion

from ..factories.database import POSTGRES_URL
from ..factories.files import make_pem_pair, plain_pdf
from .helpers import all_rows, file_hashes, fresh_app, members_of, write_archive

# On PostgreSQL the archive's database is a pg_dump: without the client tools there is nothing to test.
pytestmark = pytest.mark.skipif(bool(POSTGRES_URL) and not shutil.which("pg_dump"),
                                reason="pg_dump/pg_restore are not installed")
KIND = "postgresql" if POSTGRES_URL else "sqlite"


def wait_until(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def start_clicking(app, pairs, criteria):
    """One thread per (juror, exam), each with its own app context, clicking the grid's
    criteria in turn: every click changes a mark (acquis on even passes, non acquis on odd)."""
    stop, clicks, errors = threading.Event(), [0] * len(pairs), []

    def juror(n, juror_id, exam_id):
        with app.app_context():
            try:
                user = db.session.get(User, juror_id)
                while not stop.is_set():
                    i = clicks[n]
                    value = "acquis" if (i // len(criteria)) % 2 == 0 else "non_acquis"
                    set_mark(user, exam_id, criteria[i % len(criteria)], value)
                    clicks[n] = i + 1
            except Exception as exc:  # noqa: BLE001 — reported by the test
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=juror, args=(n, *pair)) for n, pair in enumerate(pairs)]
    for thread in threads:
        thread.start()

    def finish():
        stop.set()
        for thread in threads:
            thread.join()
        assert not errors, errors

    return clicks, finish


def marks_by_criterion_code() -> dict[tuple[int, str], str]:
    return {(grid_id, code): label(value) for grid_id, code, value in db.session.execute(
        select(Mark.grid_id, RefCriterion.code, Mark.value)
        .join(RefCriterion, Mark.criterion_id == RefCriterion.id))}


def replayed_marks(audit_rows) -> dict[tuple[int, str], str]:
    """The marks the audit log says each grid holds, its rows applied in order."""
    marks = {}
    for row in sorted(audit_rows, key=lambda r: r.id):
        if row.action == "mark.set":
            marks[(row.entity_id, row.details["criterion"])] = row.new_value
    return marks


def audit_rows():
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()


# ---------------------------------------------------------------- the drill

def test_backup_while_ten_jurors_click_then_restore_into_a_fresh_instance(app, instance, tmp_path):
    setup, sealed = instance
    pairs = [(juror.id, exam.id) for exam in setup.jury.exams for juror in (setup.president, setup.member)]
    assert len(pairs) == 10
    sealed_exam_id = setup.exam.id
    clicks, finish = start_clicking(app, pairs, setup.criteria)
    try:
        wait_until(lambda: min(clicks) >= 1 and sum(clicks) >= 60)
        db.session.commit()
        committed_before = set(db.session.scalars(select(AuditEntry.id)))
        result = create_backup(app, to=tmp_path / "backups")
        after_backup = sum(clicks)
        wait_until(lambda: sum(clicks) >= after_backup + 20)  # grading went on
    finally:
        finish()
    db.session.commit()
    source = all_rows(db.engine)
    source_audit = audit_rows()
    source_files = file_hashes(Path(app.config["FILES_DIR"]))
    source_seal = (Path(app.config["FILES_DIR"]) / "seal" / "seal-cert.pem").read_bytes()
    assert result.manifest["database"]["kind"] == KIND
    assert result.manifest["seal"]["source"] == "generated"

    fresh = fresh_app(tmp_path / "restored")
    with fresh.app_context():
        ensure_seal(fresh)  # a production start makes its own seal: the restore must replace it
        outcome = fresh.test_cli_runner().invoke(args=["restore", str(result.path)])
        assert outcome.exit_code == 0, outcome.output
        assert "restaurée" in outcome.output
        restored = all_rows(db.engine)
        restored_audit = audit_rows()
        restored_marks = marks_by_criterion_code()
        _, restored_pdf = read_sealed(SEALED_GRID, sealed_exam_id)
        verdict = verify_pdf(restored_pdf)
        stored_name = db.session.scalar(select(SealedDocument.stored_name))
        verified = fresh.test_cli_runner().invoke(
            args=["verify", str(Path(fresh.config["FILES_DIR"]) / "sealed" / stored_name)])
        db.session.remove()
        db.engine.dispose()

    # The snapshot is one instant: everything committed before the backup started (rows still
    # in the WAL too), each row as the source has it, and not what came after.
    restored_ids = {r.id for r in restored_audit}
    assert committed_before <= restored_ids
    assert restored["audit_log"] == [row for row in source["audit_log"] if row[0] in restored_ids]
    later = [r.action for r in source_audit if r.id not in restored_ids]
    assert "mark.set" in later and "backup.create" in later  # grading went on; the backup's own row
    if KIND == "sqlite":  # one writer at a time: ids follow the commits, the snapshot is a prefix
        assert restored_ids == {r.id for r in source_audit if r.id <= max(restored_ids)}
    # The marks are exactly those the snapshot's audit log accounts for: no half transaction.
    assert restored_marks == replayed_marks(restored_audit)
    assert len(restored_marks) > 24
    # Every other table is as the source left it (the clicks touched marks and the audit only).
    for table, rows in source.items():
        if table not in ("audit_log", "marks"):
            assert restored[table] == rows, table
    assert result.manifest["database"]["tables"] == {table: len(rows) for table, rows in restored.items()}
    # Every file, byte for byte, and the seal: the PDF sealed before the backup still verifies.
    assert file_hashes(tmp_path / "restored" / "files") == source_files
    assert (tmp_path / "restored" / "files" / "seal" / "seal-cert.pem").read_bytes() == source_seal
    assert restored_pdf == sealed
    assert verdict.intact, verdict.message
    assert verified.exit_code == 0 and "Document intact" in verified.output


@pytest.mark.sqlite_only
def test_commits_still_in_the_wal_are_in_the_backup(app, instance, tmp_path):
    setup, _ = instance
    database = Path(db.engine.url.database)
    # A reader keeps an old snapshot open: no checkpoint can move the new marks into the main
    # file, so they are only in the WAL, as on a busy exam day.
    reader = sqlite3.connect(database)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM marks").fetchone()
    try:
        for criterion in setup.criteria:
            set_mark(setup.president, setup.exam.id, criterion, "acquis")
        naive = tmp_path / "copied.db"
        shutil.copyfile(database, naive)  # what copying the live file gives
        result = create_backup(app, to=tmp_path / "backups")
    finally:
        reader.close()
    copied = sqlite3.connect(naive)
    assert copied.execute("SELECT count(*) FROM marks").fetchone()[0] == 0
    copied.close()
    assert result.manifest["database"]["tables"]["marks"] == 24
    snapshot = tmp_path / "snapshot.db"
    snapshot.write_bytes(members_of(result.path)["database/certif.sqlite3"])
    conn = sqlite3.connect(snapshot)
    assert conn.execute("SELECT count(*) FROM marks").fetchone()[0] == 24
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # self-contained
    conn.close()


@pytest.mark.sqlite_only
def test_the_snapshot_neither_waits_for_a_writer_nor_sees_its_open_transaction(app, tmp_path):
    writer = sqlite3.connect(db.engine.url.database, isolation_level=None, timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as a click in progress does
    writer.execute("INSERT INTO audit_log (at, action, entity) VALUES ('2026-12-03', 'half.done', 'x')")
    started = time.monotonic()
    try:
        snapshot = take(db.engine, tmp_path / "snapshot.db")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert time.monotonic() - started < 2
    conn = sqlite3.connect(tmp_path / "snapshot.db")
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'half.done'").fetchone()[0] == 0
    conn.close()
    assert snapshot.tables["audit_log"] == db.session.scalar(select(func.count(AuditEntry.id)))


# ---------------------------------------------------------------- the command and its archive

def test_backup_command_prints_the_path_of_a_private_archive_with_its_manifest(app, instance, tmp_path):
    outcome = app.test_cli_runner().invoke(args=["backup"])
    assert outcome.exit_code == 0, outcome.output
    path = Path(outcome.stdout.strip())
    assert path.parent == tmp_path / "backups"  # beside the files folder, not in it
    assert re.fullmatch(r"certif-backup-\d{8}T\d{6}Z\.tar\.gz", path.name)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no leftover temporary file
    members = members_of(path)
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["members"] == {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                                   for name, data in members.items()}
    heads = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_heads()
    assert manifest["database"]["alembic_revision"] == heads[0]
    assert manifest["database"]["kind"] == KIND
    assert manifest["database"]["tables"]["users"] == db.session.scalar(select(func.count(User.id)))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["created_at"])
    files = Path(app.config["FILES_DIR"])
    assert {name for name in members if name.startswith("files/")} == \
        {"files/" + name for name in file_hashes(files)}
    assert {name.split("/")[1] for name in members if name.startswith("files/")} >= \
        {"uploads", "outbox", "sealed", "seal"}
    assert "files/seal/seal-key.pem" in members
    entry = db.session.scalar(select(AuditEntry).filter_by(action="backup.create"))
    assert entry.new_value == path.name and entry.details["database"] == KIND


def test_the_backup_folder_comes_from_the_configuration(app, tmp_path):
    app.config["BACKUP_DIR"] = str(tmp_path / "elsewhere")
    outcome = app.test_cli_runner().invoke(args=["backup"])
    assert outcome.exit_code == 0, outcome.output
    assert Path(outcome.stdout.strip()).parent == tmp_path / "elsewhere"


@pytest.mark.sqlite_only
def test_the_database_and_the_backups_inside_the_files_folder_stay_out_of_the_archive(
        app, instance, tmp_path):
    app.config["FILES_DIR"] = str(tmp_path)  # holds certif.db, its WAL and files/
    outcome = app.test_cli_runner().invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert outcome.exit_code == 0, outcome.output
    names = set(members_of(Path(outcome.stdout.strip())))
    assert not {"files/certif.db", "files/certif.db-wal", "files/certif.db-shm"} & names
    assert not [name for name in names if name.startswith("files/backups")]
    assert "files/files/seal/seal-key.pem" in names


def test_keep_n_deletes_all_but_the_n_newest_archives(app, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [folder / f"certif-backup-2020010{day}T000000Z.tar.gz" for day in (1, 2, 3)]
    others = [folder / "notes.txt", folder / "certif-backup-latest.tar.gz",
              folder / "certif-backup-20200101T000000Z.tar.gz.sha256"]
    for path in old + others:
        path.write_bytes(b"x")
    runner = app.test_cli_runner()
    outcome = runner.invoke(args=["backup", "--to", str(folder), "--keep", "2"])
    assert outcome.exit_code == 0, outcome.output
    new = Path(outcome.stdout.strip())
    assert sorted(folder.iterdir()) == sorted([new, old[2], *others])
    assert str(old[0]) in outcome.stderr
    again = runner.invoke(args=["backup", "--to", str(folder), "--keep", "1"])
    newest = Path(again.stdout.strip())
    assert sorted(folder.iterdir()) == sorted([newest, *others])
    assert runner.invoke(args=["backup", "--keep", "0"]).exit_code == 2


def test_archives_are_ordered_by_their_time_then_their_number(tmp_path):
    names = ["certif-backup-20261203T221500Z-10.tar.gz", "certif-backup-20261203T221500Z.tar.gz",
             "certif-backup-20261204T000000Z.tar.gz", "certif-backup-20261203T221500Z-2.tar.gz"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in archives_in(tmp_path)] == [names[1], names[3], names[0], names[2]]


# ---------------------------------------------------------------- refusals

def test_restore_refuses_a_non_empty_instance_unless_forced(app, instance, tmp_path):
    setup, _ = instance
    result = create_backup(app, to=tmp_path / "backups")
    set_mark(setup.president, setup.exam.id, setup.criteria[0], "acquis")  # after the backup
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["restore", str(result.path)])
    assert refused.exit_code == 1
    assert ("L'instance n'est pas vide (la base contient des comptes ; "
            "le dossier des fichiers") in refused.output
    assert "--force" in refused.output
    assert db.session.scalar(select(func.count(Mark.id))) == 1
    forced = runner.invoke(args=["restore", "--force", str(result.path)])
    assert forced.exit_code == 0, forced.output
    assert db.session.scalar(select(func.count(Mark.id))) == 0  # back to the snapshot


def tampered(archive: Path, how: str, out: Path) -> Path:
    members = members_of(archive)
    if how == "changed byte in the database":
        data = bytearray(members["database/certif.sqlite3" if KIND == "sqlite" else "database/certif.pgdump"])
        data[len(data) // 2] ^= 0x01
        members["database/certif.sqlite3" if KIND == "sqlite" else "database/certif.pgdump"] = bytes(data)
    elif how == "changed byte in a file":
        name = next(n for n in members if n.startswith("files/sealed/"))
        members[name] = members[name][:100] + bytes([members[name][100] ^ 1]) + members[name][101:]
    elif how == "missing member":
        del members[next(n for n in members if n.startswith("files/outbox/"))]
    elif how == "member not in the manifest":
        members["files/uploads/extra.pdf"] = b"%PDF-1.4"
    elif how == "no manifest":
        del members["manifest.json"]
    elif how == "corrupted compression":
        data = bytearray(archive.read_bytes())
        data[len(data) // 2] ^= 0xFF
        out.write_bytes(bytes(data))
        return out
    return write_archive(out, members, fix_manifest=False)


@pytest.mark.parametrize("how, message", [
    ("changed byte in the database", "l'empreinte SHA-256 de « database/certif."),
    ("changed byte in a file", "l'empreinte SHA-256 de « files/sealed/"),
    ("missing member", "« files/outbox/"),
    ("member not in the manifest", "« files/uploads/extra.pdf » n'est pas dans le manifeste"),
    ("no manifest", "manifest.json est absent"),
    ("corrupted compression", "Rien n'a été restauré"),
], ids=["database-byte", "file-byte", "missing", "unlisted", "no-manifest", "gzip"])
def test_a_damaged_archive_is_refused_before_anything_is_written(app, instance, tmp_path, how, message):
    result = create_backup(app, to=tmp_path / "backups")
    damaged = tampered(result.path, how, tmp_path / "damaged.tar.gz")
    db.session.commit()
    rows, files = all_rows(db.engine), file_hashes(Path(app.config["FILES_DIR"]))
    inode = None if POSTGRES_URL else os.stat(db.engine.url.database).st_ino
    outcome = app.test_cli_runner().invoke(args=["restore", "--force", str(damaged)])
    assert outcome.exit_code == 1
    assert message in outcome.output and "Rien n'a été restauré" in outcome.output
    assert "Traceback" not in outcome.output
    assert all_rows(db.engine) == rows
    assert file_hashes(Path(app.config["FILES_DIR"])) == files
    assert inode is None or os.stat(db.engine.url.database).st_ino == inode
    assert not list(tmp_path.glob(".certif-restore-*"))  # the staging folder is gone


def special(name, kind, target="") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


@pytest.mark.parametrize("name, kind", [
    ("files/../../evil.txt", tarfile.REGTYPE),
    ("files/uploads/../../../evil.txt", tarfile.REGTYPE),
    ("ABSOLUTE", tarfile.REGTYPE),
    ("database/../evil.txt", tarfile.REGTYPE),
    ("evil.txt", tarfile.REGTYPE),
    ("files/./evil.txt", tarfile.REGTYPE),
    ("files/link", tarfile.SYMTYPE),
    ("files/hard", tarfile.LNKTYPE),
    ("files/dir", tarfile.DIRTYPE),
], ids=["dotdot", "deep-dotdot", "absolute", "database-dotdot", "outside-folders", "dot", "symlink",
        "hardlink", "directory"])
def test_a_member_that_would_land_elsewhere_is_refused(app, tmp_path, name, kind):
    result = create_backup(app, to=tmp_path / "backups")
    if name == "ABSOLUTE":
        name = str(tmp_path / "evil.txt")
    members = members_of(result.path)
    if kind == tarfile.REGTYPE:
        archive = write_archive(tmp_path / "evil.tar.gz", {**members, name: b"evil"})
    else:
        archive = write_archive(tmp_path / "evil.tar.gz", members,
                                special=[special(name, kind, "/etc/passwd")])
    outcome = app.test_cli_runner().invoke(args=["restore", "--force", str(archive)])
    assert outcome.exit_code == 1
    assert "Archive refusée" in outcome.output and "Rien n'a été restauré" in outcome.output
    assert not [p for p in tmp_path.rglob("*") if p.name in ("evil.txt", "link", "hard", "dir")]


# ---------------------------------------------------------------- schema and seal

@pytest.mark.sqlite_only
@pytest.mark.parametrize("revision, expected", [("0006", "flask db upgrade"), ("0099", None)])
def test_the_archive_schema_revision_is_checked(app, tmp_path, revision, expected):
    result = create_backup(app, to=tmp_path / "backups")
    members = members_of(result.path)
    snapshot = tmp_path / "snapshot.db"
    snapshot.write_bytes(members["database/certif.sqlite3"])
    conn = sqlite3.connect(snapshot)
    conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.close()
    members["database/certif.sqlite3"] = snapshot.read_bytes()
    manifest = json.loads(members["manifest.json"])
    manifest["database"]["alembic_revision"] = revision
    members["manifest.json"] = json.dumps(manifest).encode()
    archive = write_archive(tmp_path / "old.tar.gz", members)
    fresh = fresh_app(tmp_path / "restored")
    with fresh.app_context():
        outcome = fresh.test_cli_runner().invoke(args=["restore", str(archive)])
    if expected:
        assert outcome.exit_code == 0, outcome.output
        assert "révision 0006" in outcome.output and expected in outcome.output
    else:
        assert outcome.exit_code == 1
        assert "révision du schéma inconnue de ce code (0099)" in outcome.output
        assert not (tmp_path / "restored" / "certif.db").exists()


@pytest.mark.parametrize("configured_on_restore", [True, False])
def test_a_configured_seal_is_saved_and_restored(app, tmp_path, configured_on_restore):
    cert, key = make_pem_pair(tmp_path / "pki", common_name="Organisme configuré")
    app.config.update(SEAL_CERT_FILE=str(cert), SEAL_KEY_FILE=str(key))
    sealed = seal_pdf(plain_pdf(), reason="Certificat")
    result = create_backup(app, to=tmp_path / "backups")
    assert result.manifest["seal"]["source"] == "configured"
    assert {"seal-config/certificate.pem", "seal-config/key.pem"} <= set(result.manifest["members"])
    new_pki = tmp_path / "new-pki"
    fresh = fresh_app(tmp_path / "restored")
    if configured_on_restore:
        fresh.config.update(SEAL_CERT_FILE=str(new_pki / "cert.pem"), SEAL_KEY_FILE=str(new_pki / "key.pem"))
    with fresh.app_context():
        restored = restore_backup(fresh, result.path)
        if configured_on_restore:
            assert (new_pki / "key.pem").read_bytes() == key.read_bytes()
            assert stat.S_IMODE((new_pki / "key.pem").stat().st_mode) == 0o600
        else:
            files = tmp_path / "restored" / "files" / "seal-config"
            assert any(f"CERTIF_SEAL_KEY_FILE={files / 'key.pem'}" in note for note in restored.notes)
            fresh.config.update(SEAL_CERT_FILE=str(files / "certificate.pem"),
                                SEAL_KEY_FILE=str(files / "key.pem"))
        assert verify_pdf(sealed).intact
        db.session.remove()
        db.engine.dispose()


# ---------------------------------------------------------------- PostgreSQL's tools

def test_pg_tools_get_the_password_through_the_environment_only(monkeypatch, tmp_path):
    calls = []

    class Done:
        returncode, stdout, stderr = 0, "", ""

    monkeypatch.setattr("certif.backup.snapshot.shutil.which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr("certif.backup.snapshot.subprocess.run",
                        lambda command, env, **kw: calls.append((command, env)) or Done())
    engine = create_engine("postgresql+psycopg://certif:s3cr%40t@db.example:5433/certif?sslmode=require")
    restore_postgres(tmp_path / "dump", engine)
    [(command, env)] = calls
    assert command[0] == "/usr/bin/pg_restore" and "--clean" in command and "--dbname=certif" in command
    assert not [arg for arg in command if "s3cr" in arg]
    assert (env["PGPASSWORD"], env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGSSLMODE"]) == \
        ("s3cr@t", "db.example", "5433", "certif", "require")
    assert libpq_env(create_engine("postgresql+psycopg://u@/certif?host=/run/postgresql").url)["PGHOST"] \
        == "/run/postgresql"


def test_a_missing_pg_tool_says_what_to_install(monkeypatch):
    monkeypatch.setattr("certif.backup.snapshot.shutil.which", lambda name: None)
    with pytest.raises(BackupError, match="pg_dump est introuvable : installez le client PostgreSQL"):
        pg_tool("pg_dump")
