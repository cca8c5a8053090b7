"""Create, verify and restore backup archives, and keep the nightly ones."""

from __future__ import annotations

import logging
import os
import secrets
import subprocess  # noqa: S404 - `git describe` with an argument list
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from lms.backup import database, files
from lms.backup.archive import DATABASE_MEMBERS, ArchiveWriter, BackupError, Manifest, scan_archive
from lms.extensions import db

log = logging.getLogger(__name__)


@dataclass
class BackupSummary:
    """What one archive holds."""

    path: Path
    size: int
    files: int
    rows: int
    manifest: Manifest

    def describe(self) -> str:
        """Return one line for the command line."""
        return (f"{self.path}: {self.size:,} bytes, {self.manifest.dialect} database with {self.rows:,} row(s) "
                f"in {len(self.manifest.row_counts)} table(s), {self.files} file(s), "
                f"revision {self.manifest.migration_revision}, made {self.manifest.created_at}")


@dataclass
class RestoreSummary:
    """What a restore wrote."""

    backup: BackupSummary
    instance_path: Path
    files_written: int
    head_revision: str | None
    kept_files: list[str] = field(default_factory=list)


# --- create ---------------------------------------------------------------------------------------


def archive_name(now: datetime | None = None) -> str:
    """Return the dated file name of an archive made at `now` (UTC)."""
    return f"lms-backup-{(now or datetime.now(UTC)):%Y%m%dT%H%M%SZ}.tar.gz"


def create_backup(path: Path | str, *, now: datetime | None = None) -> BackupSummary:
    """Write one archive of the database and instance files to path (a folder gets a dated name inside)."""
    path = Path(path)
    if path.is_dir():
        path = path / archive_name(now)
    if path.exists():
        raise BackupError(f"{path} already exists; choose another name.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    temporary = path.parent / f".lms-backup-{secrets.token_hex(6)}.tmp"
    try:
        with tempfile.TemporaryDirectory(prefix="lms-backup-") as scratch:
            manifest = _write_archive(temporary, Path(scratch), now or datetime.now(UTC))
        _fsync(temporary)
        os.replace(temporary, path)
        _fsync(path.parent)
    finally:
        temporary.unlink(missing_ok=True)
    summary = _summary(path, manifest)
    log.info("backup written: %s", summary.describe())
    return summary


def _write_archive(temporary: Path, scratch: Path, now: datetime) -> Manifest:
    """Snapshot the database, then stream it and every data file into the archive."""
    dialect = db.engine.dialect.name
    dump = scratch / Path(DATABASE_MEMBERS.get(dialect, "dump")).name
    snapshot = database.snapshot(db.engine, dump)
    manifest = Manifest(created_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"), app_version=app_version(),
                        migration_revision=snapshot.migration_revision, dialect=dialect,
                        row_counts=snapshot.row_counts)
    # Owner-only from the first byte: the archive holds every participant's data.
    with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as stream:
        writer = ArchiveWriter(stream, mtime=now.timestamp())
        writer.add_file(manifest.database_member, dump)
        for member, source in files.iter_data_files(files.file_roots(), skip_dirs={files.backup_dir()}):
            writer.add_file(member, source)
        writer.finish(manifest)
    return manifest


def app_version() -> str:
    """Return the code's version as `git describe` tells it, or "unknown" outside a checkout."""
    try:
        result = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=current_app.config["PROJECT_ROOT"],  # noqa: S603, S607
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "unknown"


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _summary(path: Path, manifest: Manifest) -> BackupSummary:
    return BackupSummary(path=path, size=path.stat().st_size, files=len(manifest.files) - 1,
                         rows=sum(manifest.row_counts.values()), manifest=manifest)


# --- verify ---------------------------------------------------------------------------------------


def verify_backup(path: Path | str) -> BackupSummary:
    """Check an archive without restoring it: structure, manifest, every checksum, the database dump."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="lms-verify-") as scratch:
        dump = Path(scratch) / "dump"
        result = scan_archive(path, lambda member: dump if member in DATABASE_MEMBERS.values()
                              else None)
        database.check_dump(result.manifest.dialect, dump, result.manifest.row_counts)
    return _summary(path, result.manifest)


# --- restore --------------------------------------------------------------------------------------


def restore_backup(path: Path | str, *, force: bool = False) -> RestoreSummary:
    """Restore an archive into this instance after verifying it; refuse a non-empty instance unless forced."""
    path = Path(path)
    backup = verify_backup(path)
    dialect = db.engine.dialect.name
    if backup.manifest.dialect != dialect:
        raise BackupError(f"The backup holds a {backup.manifest.dialect} database but this instance is configured "
                          f"for {dialect}; set DATABASE_URL to match.")
    roots = files.file_roots()
    present = instance_contents(roots)
    if present and not force:
        raise BackupError("The instance is not empty (" + "; ".join(present[:3]) + "). Restore into an empty "
                          "instance (LMS_INSTANCE_PATH=/some/empty/folder) or add --force to overwrite it.")
    db.session.remove()
    staged: dict[Path, Path] = {}
    created: list[Path] = []
    restored = False
    try:
        with tempfile.TemporaryDirectory(prefix="lms-restore-") as scratch:
            dump = Path(scratch) / "dump"
            _stage(path, roots, dump, staged, created)
            database.restore(db.engine, dump)
        for temporary, destination in staged.items():
            os.replace(temporary, destination)
        restored = True
    finally:
        if not restored:
            _unstage(staged, created)
    kept = [] if not force else _kept_files(roots, backup.manifest)
    log.warning("backup restored from %s into %s", path, current_app.instance_path)
    return RestoreSummary(backup=backup, instance_path=Path(current_app.instance_path),
                          files_written=backup.files, head_revision=code_head_revision(), kept_files=kept)


def instance_contents(roots: dict[str, Path]) -> list[str]:
    """Describe what makes the instance non-empty: data files, and database tables with rows."""
    found = []
    data_files = [member for member, _path in files.iter_data_files(roots, skip_dirs={files.backup_dir()})]
    if data_files:
        found.append(f"{len(data_files)} file(s), e.g. {data_files[0]}")
    tables = database.tables_with_rows(db.engine)
    if tables:
        found.append(f"{len(tables)} database table(s) with rows, e.g. {tables[0]}")
    return found


def _stage(path: Path, roots: dict[str, Path], dump: Path, staged: dict[Path, Path], created: list[Path]) -> None:
    """Copy every member next to its destination (checked again against the manifest) and the dump to dump."""
    def destination_for(member: str) -> Path:
        if member in DATABASE_MEMBERS.values():
            return dump
        destination = files.destination_of(member, roots)
        _make_parents(destination.parent, created)
        temporary = destination.parent / f".lms-restore-{secrets.token_hex(6)}"
        staged[temporary] = destination
        return temporary

    scan_archive(path, destination_for)


def _make_parents(folder: Path, created: list[Path]) -> None:
    """Create a folder and its missing parents, remembering which were new."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir()
        created.append(new)


def _unstage(staged: dict[Path, Path], created: list[Path]) -> None:
    """Remove staged copies that were not moved into place, and the folders made for them."""
    for temporary in staged:
        temporary.unlink(missing_ok=True)
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty: something else lives there now


def _kept_files(roots: dict[str, Path], manifest: Manifest) -> list[str]:
    """Return the data files a forced restore left in place because the backup does not hold them."""
    return [member for member, _path in files.iter_data_files(roots, skip_dirs={files.backup_dir()})
            if member not in manifest.files]


def code_head_revision() -> str | None:
    """Return the newest migration revision this code knows."""
    from alembic.script import ScriptDirectory

    migrate = current_app.extensions["migrate"]
    config = migrate.migrate.get_config(migrate.directory)
    return ",".join(ScriptDirectory.from_config(config).get_heads()) or None


# --- nightly --------------------------------------------------------------------------------------


def nightly_backup(now: datetime | None = None) -> dict:
    """Write a dated archive into BACKUP_DIR and delete all but the newest BACKUP_KEEP; return a summary."""
    started = time.monotonic()
    folder = files.backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    summary = create_backup(folder / archive_name(now), now=now)
    keep = max(1, int(current_app.config.get("BACKUP_KEEP") or 1))
    deleted = prune_backups(folder, keep)
    return {
        "path": str(summary.path),
        "size": summary.size,
        "files": summary.files,
        "rows": summary.rows,
        "dialect": summary.manifest.dialect,
        "migration_revision": summary.manifest.migration_revision,
        "kept": sorted(p.name for p in folder.iterdir() if files.ARCHIVE_NAME.match(p.name)),
        "deleted": deleted,
        "seconds": round(time.monotonic() - started, 1),
    }


def prune_backups(folder: Path, keep: int) -> list[str]:
    """Delete dated archives in folder beyond the newest `keep`; other files are never touched."""
    archives = sorted(p.name for p in folder.iterdir() if p.is_file() and files.ARCHIVE_NAME.match(p.name))
    doomed = archives[:-keep] if keep > 0 else archives
    for name in doomed:
        (folder / name).unlink()
        log.info("old backup deleted: %s", folder / name)
    return doomed
