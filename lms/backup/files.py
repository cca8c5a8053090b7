"""Which instance files a backup holds, and where each archive member is restored to."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from flask import current_app

from lms.backup.archive import BackupError, is_safe_member_name

# Left out of the "instance" root on purpose (docs/architecture.md, Backups):
# config.py holds the secret key and README.md comes with the code.
NOT_DATA_AT_TOP = {"config.py", "README.md", ".gitignore"}
# SQLite files are copied only through the backup API (the app's database); others (a queue
# or rate-limit store) are transient, and a byte copy of a live SQLite file can be torn.
DATABASE_FILE = re.compile(r"\.(sqlite3?|db)(-wal|-shm|-journal)?$")
TEMPORARY_PREFIXES = (".lms-backup-", ".lms-restore-", ".upload-")
ARCHIVE_NAME = re.compile(r"^lms-backup-\d{8}T\d{6}Z\.tar\.gz$")


def file_roots() -> dict[str, Path]:
    """Return the folders a backup holds, by their name in the archive."""
    config = current_app.config
    return {
        "uploads": Path(config["UPLOAD_ROOT"]),
        "certificates": Path(config["CERTIFICATE_ROOT"]),
        "imports": Path(config["IMPORT_ROOT"]),
        "instance": Path(current_app.instance_path),
    }


def backup_dir() -> Path:
    """Return the folder nightly backups go to (BACKUP_DIR, default instance/backups)."""
    return Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")


def is_data_file(root: str, relative: PurePosixPath) -> bool:
    """Tell whether a file found under a root belongs in a backup (and may be restored)."""
    name = relative.name
    if name.startswith(TEMPORARY_PREFIXES) or ARCHIVE_NAME.match(name) or "__pycache__" in relative.parts:
        return False
    if root != "instance":
        return True
    if relative.parts[0].startswith("."):  # a font cache or ssh folder of a user whose home this is
        return False
    return not (len(relative.parts) == 1 and name in NOT_DATA_AT_TOP) and not DATABASE_FILE.search(name)


def iter_data_files(roots: dict[str, Path], skip_dirs: set[Path]) -> Iterator[tuple[str, Path]]:
    """Yield (member name, path) for every data file under the roots, in a stable order."""
    resolved = {name: root.resolve() for name, root in roots.items()}
    skipped = {path.resolve() for path in skip_dirs}
    for name, root in resolved.items():
        # A root inside another (uploads inside instance) is backed up under its own name only.
        others = skipped | {other for key, other in resolved.items() if key != name and other != root}
        if not root.is_dir():
            continue
        for folder, dirnames, filenames in os.walk(root):
            current = Path(folder)
            dirnames[:] = sorted(d for d in dirnames if (current / d).resolve() not in others
                                 and not (current / d).is_symlink())
            for filename in sorted(filenames):
                path = current / filename
                relative = PurePosixPath(path.relative_to(root).as_posix())
                if path.is_file() and not path.is_symlink() and is_data_file(name, relative):
                    yield f"files/{name}/{relative}", path


def destination_of(member: str, roots: dict[str, Path]) -> Path:
    """Return where a files/… member is restored to; refuse anything a backup would not hold."""
    parts = PurePosixPath(member).parts
    if not is_safe_member_name(member) or parts[0] != "files":
        raise BackupError(f"{member} is not a file this version restores.")
    root, relative = parts[1], PurePosixPath(*parts[2:])
    if not is_data_file(root, relative):
        raise BackupError(f"{member} is not a file this version restores (it would overwrite local settings "
                          f"or a database file).")
    return roots[root].joinpath(*relative.parts)
