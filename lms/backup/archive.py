"""The archive format: a gzipped tar holding the database dump, instance files and manifest.json.

Layout (every member a regular file, no directories, no links):

    database/lms.sqlite3 or database/lms.pgdump   the database snapshot
    files/<root>/<path>                           uploads, certificates, imports, other instance data
    manifest.json                                 written last: versions, row counts, size and SHA-256 of
                                                  every other member

Nothing here knows Flask or the database; reading checks every member against the
manifest and raises BackupError with a message an operator can act on.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

FORMAT = "fast-track-lms-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/lms.sqlite3", "postgresql": "database/lms.pgdump"}
FILE_ROOTS = ("uploads", "certificates", "imports", "instance")
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BackupError(Exception):
    """An archive that cannot be trusted, or a backup or restore that cannot go ahead."""


@dataclass
class Manifest:
    """What an archive says about itself."""

    created_at: str
    app_version: str
    migration_revision: str | None
    dialect: str
    row_counts: dict[str, int]
    files: dict[str, dict] = field(default_factory=dict)  # member name → {"size": int, "sha256": str}

    @property
    def database_member(self) -> str:
        """Return the member name of the database dump."""
        return DATABASE_MEMBERS[self.dialect]

    def to_json(self) -> bytes:
        """Return the manifest as UTF-8 JSON."""
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "migration_revision": self.migration_revision,
            "database": {"dialect": self.dialect, "path": self.database_member, "row_counts": self.row_counts},
            "files": [{"path": name, **entry} for name, entry in sorted(self.files.items())],
        }
        return json.dumps(document, indent=2, ensure_ascii=False).encode()


def is_safe_member_name(name: str) -> bool:
    """Tell whether a member name is one this format writes: relative, no `..`, under a known prefix."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    if any(part in ("", ".", "..") for part in parts) or "/".join(parts) != name:
        return False
    if name == MANIFEST_NAME or name in DATABASE_MEMBERS.values():
        return True
    return len(parts) >= 3 and parts[0] == "files" and parts[1] in FILE_ROOTS


def parse_manifest(data: bytes) -> Manifest:
    """Parse and check manifest.json; raise BackupError when anything is missing or malformed."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"manifest.json is not valid JSON ({error}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("manifest.json is not a Fast Track LMS backup manifest.")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Backup format version {document.get('format_version')!r} is not supported "
                          f"(this version reads {FORMAT_VERSION}).")
    database = document.get("database")
    if not isinstance(database, dict) or database.get("dialect") not in DATABASE_MEMBERS:
        raise BackupError("manifest.json does not say which database the backup holds.")
    counts = database.get("row_counts")
    if not isinstance(counts, dict) or not all(isinstance(k, str) and _is_count(v) for k, v in counts.items()):
        raise BackupError("manifest.json has no valid row counts.")
    files = {}
    for entry in document.get("files") if isinstance(document.get("files"), list) else [None]:
        name = _checked_entry(entry)
        if name in files:
            raise BackupError(f"manifest.json lists {name} twice.")
        files[name] = {"size": entry["size"], "sha256": entry["sha256"]}
    manifest = Manifest(created_at=str(document.get("created_at")), app_version=str(document.get("app_version")),
                        migration_revision=document.get("migration_revision"), dialect=database["dialect"],
                        row_counts=counts, files=files)
    if manifest.database_member not in files:
        raise BackupError(f"manifest.json does not list the database dump {manifest.database_member}.")
    return manifest


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _checked_entry(entry) -> str:
    """Return the member name of one manifest file entry, or raise BackupError."""
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise BackupError("manifest.json has a malformed file list.")
    name = entry["path"]
    if not is_safe_member_name(name) or name == MANIFEST_NAME:
        raise BackupError(f"manifest.json lists an unsafe path: {name!r}.")
    if not _is_count(entry.get("size")) or not isinstance(entry.get("sha256"), str) \
            or not _SHA256.match(entry["sha256"]):
        raise BackupError(f"manifest.json has no valid size and SHA-256 for {name}.")
    return name


class _HashingReader(io.RawIOBase):
    """Read from a file while computing the SHA-256 of what was read."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        data = self.stream.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Write members to a gzipped tar, recording each one's size and SHA-256."""

    def __init__(self, stream: BinaryIO, mtime: float):
        self.tar = tarfile.open(fileobj=stream, mode="w:gz", compresslevel=6)  # noqa: SIM115 - closed in finish
        self.mtime = mtime
        self.entries: dict[str, dict] = {}

    def add_file(self, name: str, path: Path) -> bool:
        """Add a file from disk as the given member, hashing exactly the bytes written; False if it vanished."""
        if not is_safe_member_name(name) or name in self.entries:
            raise BackupError(f"Cannot store {path} as {name!r} in the archive.")
        try:
            source = open(path, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:  # deleted since it was listed (e.g. by the orphan-upload task)
            return False
        with source:
            info = self._info(name, size=os.fstat(source.fileno()).st_size)
            reader = _HashingReader(source)
            try:
                self.tar.addfile(info, reader)
            except OSError as error:  # the file shrank while it was being read
                raise BackupError(f"{path} changed while it was being backed up ({error}); try again.") from None
        self.entries[name] = {"size": reader.size, "sha256": reader.digest.hexdigest()}
        return True

    def finish(self, manifest: Manifest) -> None:
        """Write manifest.json (with every entry recorded so far) last and close the tar."""
        manifest.files = dict(self.entries)
        data = manifest.to_json()
        self.tar.addfile(self._info(MANIFEST_NAME, size=len(data)), io.BytesIO(data))
        self.tar.close()

    def _info(self, name: str, *, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(self.mtime), 0o600
        return info


@dataclass
class ScanResult:
    """What reading an archive from end to end found."""

    manifest: Manifest
    written: dict[str, Path]  # member name → where its copy was written


DestinationFor = Callable[[str], Path | None]


def scan_archive(path: Path, destination_for: DestinationFor) -> ScanResult:
    """Read every member, check it against the manifest, and copy the members destination_for asks for.

    Raises BackupError if the archive is unreadable, truncated, has members the manifest
    does not list (or the reverse), or any size or SHA-256 differs. Copies already written
    are left for the caller to remove.
    """
    seen: dict[str, dict] = {}
    written: dict[str, Path] = {}
    manifest_data = None
    with _open_for_reading(path) as tar:
        for member in _members(tar):
            if member.name == MANIFEST_NAME:
                manifest_data = _read_manifest_member(tar, member)
                continue
            destination = destination_for(member.name)
            seen[member.name] = _copy_member(tar, member, destination)
            if destination is not None:
                written[member.name] = destination
        _read_to_the_end(tar)
    if manifest_data is None:
        raise BackupError("The archive has no manifest.json (it is truncated or not a backup).")
    manifest = parse_manifest(manifest_data)
    compare_with_manifest(manifest, seen)
    return ScanResult(manifest=manifest, written=written)


def compare_with_manifest(manifest: Manifest, seen: dict[str, dict]) -> None:
    """Raise BackupError unless the members found are exactly the manifest's, byte for byte."""
    missing = sorted(set(manifest.files) - set(seen))
    if missing:
        raise BackupError(f"{len(missing)} file(s) listed in the manifest are missing from the archive, "
                          f"e.g. {missing[0]}.")
    unlisted = sorted(set(seen) - set(manifest.files))
    if unlisted:
        raise BackupError(f"{len(unlisted)} file(s) in the archive are not in the manifest, e.g. {unlisted[0]}.")
    for name in sorted(seen):
        expected, found = manifest.files[name], seen[name]
        if found["size"] != expected["size"]:
            raise BackupError(f"{name}: size {found['size']} differs from the manifest's {expected['size']}.")
        if found["sha256"] != expected["sha256"]:
            raise BackupError(f"{name}: SHA-256 does not match the manifest (the file is damaged).")


@contextmanager
def _open_for_reading(path: Path) -> Iterator[tarfile.TarFile]:
    """Open an archive for streaming, turning every read failure into a BackupError."""
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            yield tar
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"{path} is damaged or truncated and cannot be read ({error}).") from None


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """Yield members one by one, refusing anything but uniquely named, safely named regular files."""
    names = set()
    for member in tar:
        if not member.isreg():
            raise BackupError(f"The archive holds {member.name!r}, which is not a regular file.")
        if not is_safe_member_name(member.name):
            raise BackupError(f"The archive holds an unexpected or unsafe path: {member.name!r}.")
        if member.name in names:
            raise BackupError(f"The archive holds {member.name} twice.")
        names.add(member.name)
        yield member


def _read_to_the_end(tar: tarfile.TarFile) -> None:
    """Read what follows the last member: only zero padding may remain, and gzip then checks its CRC.

    tarfile ends its iteration quietly at a damaged header, so without this a flipped
    byte could look like an early end of the archive.
    """
    while chunk := tar.fileobj.read(CHUNK):
        if chunk.strip(b"\x00"):
            raise BackupError("The archive is damaged: unreadable data follows its last readable file.")


def _read_manifest_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    if member.size > MAX_MANIFEST_BYTES:
        raise BackupError("manifest.json is implausibly large.")
    return tar.extractfile(member).read()


def _copy_member(tar: tarfile.TarFile, member: tarfile.TarInfo, destination: Path | None) -> dict:
    """Hash one member (writing it to destination if given); return its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    source = tar.extractfile(member)
    out = open(destination, "xb") if destination is not None else None  # noqa: SIM115 - closed below
    try:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if out is not None:
                out.write(chunk)
        if out is not None:
            out.flush()
    finally:
        if out is not None:
            out.close()
    return {"size": size, "sha256": digest.hexdigest()}
