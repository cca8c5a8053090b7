"""Where uploaded registrant files are kept: under IMPORT_ROOT, by a server-made name."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from lms.models import ImportBatch
from lms.staff.imports.reading import Table, is_xlsx, read_table


def save_file(data: bytes) -> str:
    """Write an upload under a random name (never the uploader's) and return that name."""
    stored_name = secrets.token_hex(16) + (".xlsx" if is_xlsx(data) else ".csv")
    root = Path(current_app.config["IMPORT_ROOT"])
    root.mkdir(parents=True, exist_ok=True)
    (root / stored_name).write_bytes(data)
    return stored_name


def load_table(batch: ImportBatch) -> Table:
    """Read a stored batch file again."""
    path = Path(current_app.config["IMPORT_ROOT"]) / batch.stored_name
    return read_table(path.read_bytes(), batch.stored_name)
