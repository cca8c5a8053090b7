"""What the phone may keep: the worker's shell files and one course's pages and images."""

from __future__ import annotations

from pathlib import Path

from flask import url_for

from lms.learn import access
from lms.learn.store import get_content
from lms.models import User
from lms.offline.versions import content_version
from lms.security import inline_stylesheet

# Kept by the worker at install: nothing in them is about a person.
SHELL_STATIC = ("offline.js", "offline-page.js", "offline-course.js", "assignment-offline.js", "quiz.js", "upload.js",
                "icons/icon-192.png")
# The page around a module's text: header, inline stylesheet, footer (measured, rounded up).
PAGE_SHELL_BYTES = 4000


def shell_urls() -> list[str]:
    """Return the URLs the worker keeps at install: the offline page and the static files (versioned)."""
    return [url_for("offline.fallback")] + [url_for("static", filename=name) for name in SHELL_STATIC]


def course_bundle(user: User, course_id: str) -> dict | None:
    """List a course's pages and images with their sizes, or None when the user may not read it."""
    content = get_content()
    course = content.course(course_id)
    if course is None or not access.can_read_course(user, course_id):
        return None
    shell = PAGE_SHELL_BYTES + len(inline_stylesheet()[0].encode())
    pages = [{"url": url_for("learn.course", course_id=course.id), "bytes": shell + 2000}]
    images = []
    for module in content.course_modules(course):
        pages.append({"url": url_for("learn.module", course_id=course.id, module_id=module.id),
                      "bytes": shell + len(module.html.encode())})
        if module.quiz is not None:
            pages.append({"url": url_for("quiz.overview", course_id=course.id, module_id=module.id),
                          "bytes": shell + 2000})
        folder = Path(module.source_dir) / "images"
        for name in sorted(module.images):
            path = folder / name
            if path.is_file():
                images.append({"url": url_for("learn.module_image", module_id=module.id, filename=name),
                               "bytes": path.stat().st_size})
    total = sum(item["bytes"] for item in pages + images)
    return {"course_id": course.id, "version": content_version(), "pages": pages, "images": images,
            "total_bytes": total}
