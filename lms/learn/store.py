"""The published content: parsed, checked and rendered once per content version.

Requests only read the in-memory result. Every few seconds the first request
re-stats the content files; when anything changed, the content is loaded again.
A module that fails the check is not published: the newest good version stored
in PublishedModule keeps being served, and staff see the problems.
"""

import hashlib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.content.loader import load_library
from lms.content.schema import Assignment, Course, Library, Module, Quiz, TocEntry
from lms.extensions import db
from lms.models import PublishedModule

IMAGE_URL_PREFIX = "/modul/{module_id}/gambar/"
RECHECK_SECONDS = 5.0
_loaded: dict[tuple[str, str, str], "PublishedContent"] = {}
_load_lock = threading.Lock()


@dataclass(frozen=True)
class PublishedContent:
    library: Library
    modules: Mapping[str, Module]  # good modules, plus last good versions of broken ones
    stale_module_ids: frozenset[str]  # broken now, served from an older good version

    def course(self, course_id: str) -> Course | None:
        """Return a course by id."""
        return self.library.courses.get(course_id)

    def course_modules(self, course: Course) -> list[Module]:
        """Return a course's modules in order, skipping any that never had a good version."""
        listed = course.listed_module_ids or course.module_ids
        return [self.modules[module_id] for module_id in listed if module_id in self.modules]


def content_root() -> Path:
    """Return the folder that holds content/ and courses/."""
    return Path(current_app.config.get("CONTENT_ROOT") or current_app.config["PROJECT_ROOT"])


def fingerprint(root: Path) -> str:
    """Hash the names, sizes and times of every content file: cheap, and changes on any edit."""
    digest = hashlib.sha256()
    for folder in ("content", "courses"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def get_content() -> PublishedContent:
    """Return the published content for this app, reloading it when the files changed."""
    state = current_app.extensions.setdefault("lms_content", {})
    if "content" in state and time.monotonic() - state["checked_at"] < RECHECK_SECONDS:
        return state["content"]
    root = content_root()
    key = (str(root), fingerprint(root), str(db.engine.url))
    content = _loaded.get(key)
    if content is None:
        with _load_lock:
            content = _loaded.get(key) or load_published_content(root)
            _loaded[key] = content
    state.update(content=content, checked_at=time.monotonic())
    return content


def load_published_content(root: Path) -> PublishedContent:
    """Load the files, store good module versions, and fall back for broken ones."""
    library = load_library(root, lambda module_id: IMAGE_URL_PREFIX.format(module_id=module_id))
    for module in library.modules.values():
        publish(module)
    modules = dict(library.modules)
    stale = set()
    for module_id in library.broken_module_ids:
        last_good = newest_published(module_id)
        if last_good is not None:
            modules[module_id] = last_good
            stale.add(module_id)
    if library.problems:
        current_app.logger.warning("content problems:\n%s", "\n".join(map(str, library.problems)))
    return PublishedContent(library=library, modules=modules, stale_module_ids=frozenset(stale))


def publish(module: Module) -> None:
    """Store a good module version once; several processes may race to do it."""
    exists = db.session.scalar(
        select(PublishedModule.id).where(
            PublishedModule.module_id == module.id, PublishedModule.version == module.version
        )
    )
    if exists:
        return
    db.session.add(PublishedModule(module_id=module.id, version=module.version, payload=module_to_payload(module)))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another process stored the same version first


def newest_published(module_id: str) -> Module | None:
    """Return the newest stored good version of a module."""
    row = db.session.scalar(
        select(PublishedModule)
        .where(PublishedModule.module_id == module_id)
        .order_by(PublishedModule.published_at.desc(), PublishedModule.id.desc())
        .limit(1)
    )
    return module_from_payload(row.payload) if row else None


def module_to_payload(module: Module) -> dict:
    """Serialise a rendered module to JSON-safe data."""
    return {
        "id": module.id,
        "title": module.title,
        "summary": module.summary,
        "minutes": module.minutes,
        "objectives": list(module.objectives),
        "html": module.html,
        "toc": [[entry.level, entry.anchor, entry.title] for entry in module.toc],
        "version": module.version,
        "quiz": module.quiz.to_dict() if module.quiz else None,
        "assignment": module.assignment.to_dict() if module.assignment else None,
        "images": {name: list(size) for name, size in module.images.items()},
        "word_count": module.word_count,
        "source_dir": module.source_dir,
    }


def module_from_payload(data: dict) -> Module:
    """Rebuild a module stored by module_to_payload."""
    return Module(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        minutes=data["minutes"],
        objectives=tuple(data["objectives"]),
        html=data["html"],
        toc=tuple(TocEntry(level, anchor, title) for level, anchor, title in data["toc"]),
        version=data["version"],
        quiz=Quiz.from_dict(data["quiz"]) if data["quiz"] else None,
        assignment=Assignment.from_dict(data["assignment"]) if data["assignment"] else None,
        images={name: tuple(size) for name, size in data["images"].items()},
        word_count=data["word_count"],
        source_dir=data["source_dir"],
    )
