"""Backups: round trips of the demo seed with files, damaged archives refused, retention.

Every app here has its own instance folder (LMS_INSTANCE_PATH), so uploads and
certificates live where a real installation keeps them. On SQLite the restore
target is a fresh database file; on PostgreSQL (LMS_TEST_DATABASE_URL) it is the
test database itself, emptied first, because the test role may not create databases.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from lms import create_app, seed
from lms.backup import BackupError, create_backup, nightly_backup, restore_backup, verify_backup
from lms.extensions import db
from lms.models import Certificate, Role, User
from tests.conftest import empty_all_tables, make_user

SECRET_CONFIG = "SECRET_KEY = 'rahasia-instance-ini'\n"


@pytest.fixture
def instances(database_url, tmp_path, monkeypatch):
    """Build apps that each have their own instance folder; the shared test database is emptied afterwards."""
    created = []

    def build(name: str, url: str | None = database_url, **settings):
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        (folder / "config.py").write_text(SECRET_CONFIG)
        monkeypatch.setenv("LMS_INSTANCE_PATH", str(folder))
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "JOBS_RUN_INLINE": True} | settings)
        created.append(app)
        return app

    yield build
    for app in created:
        with app.app_context():
            db.session.remove()
            if app.config["SQLALCHEMY_DATABASE_URI"] == database_url:
                empty_all_tables()
            db.engine.dispose()


def is_postgresql(url: str) -> bool:
    return url.startswith("postgresql")


def table_rows() -> dict[str, list[tuple]]:
    """Return every row of every table (alembic_version included), in a stable order."""
    db.session.remove()
    with db.engine.connect() as connection:
        preparer = connection.dialect.identifier_preparer
        rows = {}
        for table in sorted(inspect(connection).get_table_names()):
            result = connection.execute(text(f"SELECT * FROM {preparer.quote(table)}"))  # noqa: S608
            rows[table] = sorted((tuple(row) for row in result), key=repr)  # JSON columns have no SQL ordering
    return rows


def instance_files(app) -> dict[str, bytes]:
    """Return every file under the instance folder except local settings and database files."""
    root = Path(app.instance_path)
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and path.name != "config.py" and ".sqlite3" not in path.name
            and not path.relative_to(root).as_posix().startswith(".cache/")}


def seed_demo_with_files(app) -> None:
    """Seed the demo, issue certificates, store an import file and a stored signature."""
    from lms.certificates import operations
    from lms.certificates.demo import demo_enrollment
    from lms.staff.imports import operations as import_operations

    cohort = seed.seed_demo()
    for index in (1, 2, 3):
        operations.issue_certificate(demo_enrollment(cohort, index), "graduation", issued_by=None)
    staff = db.session.scalar(select(User).where(User.role == Role.STAFF))
    fixture = Path(__file__).parent / "fixtures" / "pendaftar_bom.csv"
    import_operations.store_upload(fixture.read_bytes(), "pendaftar.csv", cohort, uploaded_by=staff)
    signatures = Path(app.instance_path) / "signatures"
    signatures.mkdir()
    (signatures / "kepala-dinas.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    cache = Path(app.instance_path) / ".cache" / "fontconfig"
    cache.mkdir(parents=True)
    (cache / "cache-9").write_bytes(b"bukan data")  # not instance data: left out of the backup


# --- Round trip -----------------------------------------------------------------------------------


def test_round_trip_restores_every_row_and_every_file(instances, database_url, tmp_path):
    source = instances("source")
    with source.app_context():
        seed_demo_with_files(source)
        rows, files = table_rows(), instance_files(source)
        summary = create_backup(tmp_path)
        if is_postgresql(database_url):
            empty_all_tables()  # the restore target: migrated, no rows
    assert summary.path.name.startswith("lms-backup-") and summary.path.stat().st_mode & 0o777 == 0o600
    assert rows["certificate"] and rows["submission_file"] and rows["import_batch"]
    assert any(name.startswith("certificates/") and name.endswith(".pdf") for name in files)
    assert any(name.startswith("uploads/submissions/") for name in files)
    assert "imports/" in "".join(files) and "signatures/kepala-dinas.svg" in files
    assert "files/instance/config.py" not in summary.manifest.files
    assert not [name for name in summary.manifest.files if ".cache" in name]
    assert summary.manifest.row_counts == {table: len(found) for table, found in rows.items()}

    target = instances("target", database_url if is_postgresql(database_url) else None)
    with target.app_context():
        result = restore_backup(summary.path)
        assert table_rows() == rows
        assert instance_files(target) == files
        assert (Path(target.instance_path) / "config.py").read_text() == SECRET_CONFIG  # its own, untouched
        assert result.files_written == len(files)
        # Sequences came back too: new rows do not collide with restored ones.
        newcomer = make_user(name="Peserta Baru")
        assert newcomer.id > max(row[0] for row in rows["user"])
        rendered = select(Certificate).where(Certificate.pdf_path.is_not(None)).limit(1)
        assert db.session.scalar(rendered).pdf_sha256


def test_forced_restore_puts_the_instance_back_as_it_was(instances):
    app = instances("source")
    with app.app_context():
        make_user(name="Sebelum Cadangan")
        upload = Path(app.config["UPLOAD_ROOT"]) / "submissions" / "a.pdf"
        upload.parent.mkdir(parents=True)
        upload.write_bytes(b"%PDF-1.4 asli")
        rows = table_rows()
        archive = create_backup(Path(app.instance_path).parent / "cadangan.tar.gz").path
        make_user(name="Sesudah Cadangan")
        upload.write_bytes(b"%PDF-1.4 diubah")
        with pytest.raises(BackupError, match="not empty"):
            restore_backup(archive)
        result = restore_backup(archive, force=True)
        assert table_rows() == rows
        assert upload.read_bytes() == b"%PDF-1.4 asli"
        assert result.kept_files == []


# --- Refusing a non-empty instance ----------------------------------------------------------------


@pytest.fixture
def small_backup(instances, tmp_path):
    """An app with one user and one upload, and an archive of it; returns (app, archive path)."""
    app = instances("source")
    with app.app_context():
        make_user(name="Peserta Cadangan")
        upload = Path(app.config["UPLOAD_ROOT"]) / "submissions" / "tugas.pdf"
        upload.parent.mkdir(parents=True)
        upload.write_bytes(b"%PDF-1.4 tugas peserta\n%%EOF\n")
        archive = create_backup(tmp_path / "cadangan.tar.gz").path
    return app, archive


def test_restore_refuses_an_instance_with_rows_or_files_unless_forced(small_backup, instances, database_url):
    app, archive = small_backup
    result = app.test_cli_runner().invoke(args=["lms", "backup", "restore", str(archive)])
    assert result.exit_code == 1 and "not empty" in result.output and "--force" in result.output
    if not is_postgresql(database_url):  # a second SQLite instance: only a file makes it non-empty
        spare = instances("spare", None)
        with spare.app_context():
            stray = Path(spare.config["CERTIFICATE_ROOT"]) / "lama.pdf"
            stray.parent.mkdir(parents=True)
            stray.write_bytes(b"%PDF-1.4 lama")
            with pytest.raises(BackupError, match="1 file"):
                restore_backup(archive)
            assert not (Path(spare.instance_path) / "uploads").exists()
    forced = app.test_cli_runner().invoke(args=["lms", "backup", "restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output


def test_cli_create_and_verify(small_backup, tmp_path):
    app, archive = small_backup
    runner = app.test_cli_runner()
    verified = runner.invoke(args=["lms", "backup", "verify", str(archive)])
    assert verified.exit_code == 0 and "Backup OK" in verified.output
    made = runner.invoke(args=["lms", "backup", "create", str(tmp_path / "lagi.tar.gz")])
    assert made.exit_code == 0 and (tmp_path / "lagi.tar.gz").exists()
    again = runner.invoke(args=["lms", "backup", "create", str(tmp_path / "lagi.tar.gz")])
    assert again.exit_code == 1 and "already exists" in again.output


# --- Damaged archives -----------------------------------------------------------------------------


def rewrite_archive(source: Path, target: Path, *, change_member=None, change_manifest=None, extra=None) -> Path:
    """Copy an archive member by member, letting the caller alter a member's bytes or the manifest."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            if member.name == "manifest.json" and change_manifest:
                document = json.loads(data)
                change_manifest(document)
                data = json.dumps(document).encode()
            elif change_member:
                data = change_member(member.name, data)
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def flip_byte_in_upload(name: str, data: bytes) -> bytes:
    if not name.startswith("files/uploads/"):
        return data
    return data[:5] + bytes([data[5] ^ 0x01]) + data[6:]


def drop_upload_entry(document: dict) -> None:
    document["files"] = [entry for entry in document["files"] if not entry["path"].startswith("files/uploads/")]


def wrong_upload_checksum(document: dict) -> None:
    for entry in document["files"]:
        if entry["path"].startswith("files/uploads/"):
            entry["sha256"] = "0" * 64


def wrong_row_count(document: dict) -> None:
    document["database"]["row_counts"]["user"] += 1


def truncate(archive: Path, target: Path) -> Path:
    data = archive.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def flip_raw_byte(archive: Path, target: Path) -> Path:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x40
    target.write_bytes(bytes(data))
    return target


def without_manifest(archive: Path, target: Path) -> Path:
    with tarfile.open(archive, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            if member.name != "manifest.json":
                new.addfile(member, old.extractfile(member))
    return target


DAMAGES = {
    "truncated": (truncate, "truncated"),
    "flipped byte in the compressed stream": (flip_raw_byte, "damaged"),
    "flipped byte in a file": (lambda a, t: rewrite_archive(a, t, change_member=flip_byte_in_upload),
                               "SHA-256 does not match"),
    "missing manifest entry": (lambda a, t: rewrite_archive(a, t, change_manifest=drop_upload_entry),
                               "not in the manifest"),
    "wrong manifest checksum": (lambda a, t: rewrite_archive(a, t, change_manifest=wrong_upload_checksum),
                                "SHA-256 does not match"),
    "no manifest": (without_manifest, "no manifest.json"),
    "unsafe member": (lambda a, t: rewrite_archive(a, t, extra={"files/instance/config.py": b"import os\n"}),
                      "unsafe|not in the manifest"),
}


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_damaged_archive_is_refused_by_verify_and_restore_and_nothing_changes(small_backup, tmp_path, damage):
    app, archive = small_backup
    make_damaged, message = DAMAGES[damage]
    damaged = make_damaged(archive, tmp_path / "rusak.tar.gz")
    runner = app.test_cli_runner()
    with app.app_context():
        rows, files = table_rows(), instance_files(app)
        with pytest.raises(BackupError, match=message):
            verify_backup(damaged)
        with pytest.raises(BackupError, match=message):
            restore_backup(damaged, force=True)
        verified = runner.invoke(args=["lms", "backup", "verify", str(damaged)])
        assert verified.exit_code == 1 and "Backup refused" in verified.output
        restored = runner.invoke(args=["lms", "backup", "restore", "--force", str(damaged)])
        assert restored.exit_code == 1 and "nothing was changed" in restored.output
        assert table_rows() == rows
        assert instance_files(app) == files
        assert not [p for p in Path(app.instance_path).rglob(".lms-restore-*")]


def test_database_that_disagrees_with_its_row_counts_is_refused(small_backup, tmp_path, database_url):
    app, archive = small_backup
    damaged = rewrite_archive(archive, tmp_path / "hitungan.tar.gz", change_manifest=wrong_row_count)
    with app.app_context():
        if is_postgresql(database_url):
            verify_backup(damaged)  # pg_restore cannot count rows without restoring; the checksums still hold
        else:
            with pytest.raises(BackupError, match="row"):
                verify_backup(damaged)


def test_restore_into_an_empty_instance_is_refused_when_damaged(small_backup, instances, tmp_path, database_url):
    app, archive = small_backup
    damaged = rewrite_archive(archive, tmp_path / "rusak.tar.gz", change_member=flip_byte_in_upload)
    if is_postgresql(database_url):
        with app.app_context():
            empty_all_tables()  # the PostgreSQL target is the test database, emptied
    target = instances("target", database_url if is_postgresql(database_url) else None)
    with target.app_context():
        with pytest.raises(BackupError, match="SHA-256"):
            restore_backup(damaged)
        assert instance_files(target) == {}
        if is_postgresql(database_url):
            assert not any(rows for table, rows in table_rows().items() if table != "alembic_version")
        else:
            assert not (Path(target.instance_path) / "lms.sqlite3").exists()


def test_gzip_of_something_else_is_refused(small_backup, tmp_path):
    app, _archive = small_backup
    other = tmp_path / "bukan.tar.gz"
    other.write_bytes(gzip.compress(b"bukan arsip cadangan" * 100))
    with app.app_context(), pytest.raises(BackupError):
        verify_backup(other)


# --- Nightly backups and retention ----------------------------------------------------------------


def test_nightly_backup_keeps_the_newest_n(instances, tmp_path):
    app = instances("source", BACKUP_KEEP=3)
    with app.app_context():
        make_user(name="Peserta Malam")
        folder = Path(app.instance_path) / "backups"
        folder.mkdir()
        (folder / "catatan.txt").write_text("bukan cadangan")
        summaries = [nightly_backup(now=datetime(2026, 12, day, 2, 0, tzinfo=UTC)) for day in range(1, 6)]
        names = sorted(p.name for p in folder.iterdir())
    assert names == ["catatan.txt", "lms-backup-20261203T020000Z.tar.gz", "lms-backup-20261204T020000Z.tar.gz",
                     "lms-backup-20261205T020000Z.tar.gz"]
    last = summaries[-1]
    assert last["deleted"] == ["lms-backup-20261202T020000Z.tar.gz"] and len(last["kept"]) == 3
    assert last["rows"] > 0 and last["path"].endswith("lms-backup-20261205T020000Z.tar.gz")
    with app.app_context():
        manifest = verify_backup(last["path"]).manifest
    assert not [name for name in manifest.files if "backups" in name]  # earlier archives are not inside



def test_backup_and_proxy_settings_come_from_the_environment():
    from lms.config import from_environment

    settings = from_environment({"LMS_BACKUP_DIR": "/var/backups/lms", "LMS_BACKUP_KEEP": "14", "LMS_PROXY_HOPS": "1"})
    assert settings == {"BACKUP_DIR": "/var/backups/lms", "BACKUP_KEEP": 14, "PROXY_HOPS": 1}


def test_a_file_deleted_while_backing_up_is_left_out(small_backup, tmp_path, monkeypatch):
    from lms.backup import files

    app, _archive = small_backup
    listed = files.iter_data_files

    def listing_with_a_vanished_file(roots, skip_dirs):
        yield "files/uploads/submissions/hilang.pdf", tmp_path / "hilang.pdf"  # listed, then deleted
        yield from listed(roots, skip_dirs)

    monkeypatch.setattr(files, "iter_data_files", listing_with_a_vanished_file)
    with app.app_context():
        summary = create_backup(tmp_path / "sebagian.tar.gz")
        assert "files/uploads/submissions/hilang.pdf" not in summary.manifest.files
        assert "files/uploads/submissions/tugas.pdf" in verify_backup(summary.path).manifest.files
