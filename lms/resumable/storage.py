"""The bytes of resumable uploads on disk: instance/uploads/partial/<server-made name>.part.

The folder is beside the submissions folder, not in it, so the orphan sweep of
lms/assignments/tasks.py never sees a half-received file. Appends hold an exclusive
lock on the file, so two tabs sending the same chunk write it once.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from flask import current_app

from lms.resumable import rules

SUBFOLDER = "partial"


def partial_root() -> Path:
    """Return the folder that holds partial uploads."""
    return Path(current_app.config["UPLOAD_ROOT"]) / SUBFOLDER


def path_of(name: str) -> Path:
    """Return where an upload's bytes live; names are server-made hex, so they are safe path parts."""
    if not rules.NAME_RE.match(name):
        raise ValueError("not an upload name")
    return partial_root() / f"{name}.part"


def create(name: str) -> None:
    """Make the empty file of a new upload."""
    partial_root().mkdir(parents=True, exist_ok=True)
    path_of(name).touch(exist_ok=True)


def received(name: str) -> int:
    """Return how many bytes of an upload the server holds (0 when the file is gone)."""
    try:
        return path_of(name).stat().st_size
    except FileNotFoundError:
        return 0


def append(name: str, offset: int | None, data: bytes, size: int) -> int:
    """Append a chunk if it starts where the received bytes end; return the new offset."""
    partial_root().mkdir(parents=True, exist_ok=True)
    with path_of(name).open("ab") as out:
        fcntl.flock(out, fcntl.LOCK_EX)
        current = out.seek(0, os.SEEK_END)
        rules.check_chunk(offset=offset, received=current, length=len(data), size=size)
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
        return current + len(data)


def remove(name: str) -> None:
    """Delete an upload's bytes."""
    path_of(name).unlink(missing_ok=True)
