"""Versions the service worker is tied to: the app's code and the published content.

The worker's script carries both, so a deploy of new code or new content changes
its bytes; the browser then installs the new worker and the page says
"Versi baru tersedia". Every page also carries both (``X-Lms-Version``), so the
worker learns from any page it fetches that it is outdated (docs/architecture.md,
"Which kept page is current").
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app

from lms.learn.store import get_content

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
STATIC_ROOT = PACKAGE_ROOT / "static"
# What a kept page is made of besides the content: code, templates, static files, translations.
CODE_SUFFIXES = frozenset({".py", ".html", ".js", ".css", ".json", ".po", ".svg", ".png"})


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
    """Return a hash of the app's code (Python, templates with the worker, static files, translations).

    A kept page is the output of all of them, so any deploy that changes one makes
    the kept pages outdated. Computed once per process: code changes by a restart.
    """
    state = current_app.extensions.setdefault("lms_offline", {})
    if "app" not in state:
        digest = hashlib.sha256()
        for path in sorted(PACKAGE_ROOT.rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(PACKAGE_ROOT)}={file_digest(path)}\n".encode())
        state["app"] = digest.hexdigest()[:12]
    return state["app"]


def content_version() -> str:
    """Return a hash of every published course and module version."""
    content = get_content()
    digest = hashlib.sha256()
    for module_id, module in sorted(content.modules.items()):
        digest.update(f"{module_id}={module.version}\n".encode())
    for course in content.library.courses.values():
        digest.update(f"course:{course.id}={course.version}\n".encode())
    return digest.hexdigest()[:12]



def current_version() -> str:
    """Return the version a page is made with now: app code, then published content."""
    return f"{app_version()}-{content_version()}"
