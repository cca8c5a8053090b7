"""Versions the service worker is tied to: the app's code and the published content.

The worker's script carries both, so a deploy of new code or new content changes
its bytes; the browser then installs the new worker and the page says
"Versi baru tersedia".
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app

from lms.learn.store import get_content

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"
WORKER_SOURCE = Path(__file__).resolve().parent.parent / "templates" / "offline" / "worker.js"


def file_digest(path: Path) -> str:
    """Return a short content hash of one file (the version in a static file's URL)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def static_versions() -> dict[str, str]:
    """Return filename → content hash for every static file, computed once per process."""
    state = current_app.extensions.setdefault("lms_offline", {})
    if "static" not in state:
        state["static"] = {
            str(path.relative_to(STATIC_ROOT)): file_digest(path)
            for path in sorted(STATIC_ROOT.rglob("*")) if path.is_file()
        }
    return state["static"]


def app_version() -> str:
    """Return a hash of the code the phone keeps: the static files and the worker itself."""
    digest = hashlib.sha256(WORKER_SOURCE.read_bytes())
    for name, version in sorted(static_versions().items()):
        digest.update(f"{name}={version}\n".encode())
    return digest.hexdigest()[:12]


def content_version() -> str:
    """Return a hash of every published course and module version."""
    content = get_content()
    digest = hashlib.sha256()
    for module_id, module in sorted(content.modules.items()):
        digest.update(f"{module_id}={module.version}\n".encode())
    for course in content.library.courses.values():
        digest.update(f"course:{course.id}={course.version}\n".encode())
    return digest.hexdigest()[:12]

