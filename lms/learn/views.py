"""Reading the course: the course page, module pages, "Saya sudah membaca", images."""

from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.learn import access, operations, page_cache
from lms.learn.page_state import module_page_state
from lms.learn.progress import course_progress_for, percent_complete
from lms.learn.store import get_content

bp = Blueprint("learn", __name__)
IMAGE_MAX_AGE = 7 * 24 * 3600


@bp.before_request
@login_required
def require_login():
    """Every page here is for signed-in users."""


def load_course_or_404(course_id: str):
    """Return the published content and a course the user may read, or 404."""
    content = get_content()
    course = content.course(course_id)
    if course is None or not access.can_read_course(current_user, course_id):
        abort(404)
    return content, course


@bp.get("/belajar/<course_id>")
def course(course_id: str):
    """Show the course with progress per module."""
    content, course = load_course_or_404(course_id)
    modules = content.course_modules(course)
    completion = course_progress_for(current_user, course, modules)
    return render_template(
        "learn/course.html", course=course, modules=modules, completion=completion,
        percent=percent_complete(completion),
    )


@bp.get("/belajar/<course_id>/<module_id>")
def module(course_id: str, module_id: str):
    """Show one module with its table of contents and previous/next links."""
    content = get_content()
    course = content.course(course_id)
    state = module_page_state(current_user, course_id, module_id)
    if course is None or not state.may_read:
        abort(404)
    modules = content.course_modules(course)
    index = next((i for i, m in enumerate(modules) if m.id == module_id), None)
    if index is None:
        abort(404)
    return page_cache.module_page(
        course, modules[index], modules[index - 1] if index > 0 else None,
        modules[index + 1] if index + 1 < len(modules) else None, state,
    )


@bp.post("/belajar/<course_id>/<module_id>/selesai")
def mark_read(course_id: str, module_id: str):
    """Mark a module as read (participants), then go on to its quiz, else the next module, else the course."""
    course, module = access.course_module_or_404(current_user, course_id, module_id)
    if not current_user.is_participant:
        abort(403)
    if operations.mark_module_read(current_user, module):
        flash(_("Modul \"%(title)s\" ditandai sudah dibaca.", title=module.title), "success")
    if module.quiz is not None:
        return redirect(url_for("quiz.overview", course_id=course_id, module_id=module.id))
    following = next_module(course, module)
    if following is not None:
        return redirect(url_for(".module", course_id=course_id, module_id=following.id))
    return redirect(url_for(".course", course_id=course_id))


def next_module(course, module):
    """Return the module after this one in the course, if any."""
    modules = get_content().course_modules(course)
    index = [m.id for m in modules].index(module.id)
    return modules[index + 1] if index + 1 < len(modules) else None


@bp.get("/modul/<module_id>/gambar/<filename>")
def module_image(module_id: str, filename: str):
    """Serve a module's image; only names the content check measured are served."""
    module = get_content().modules.get(module_id)
    if module is None or filename not in module.images:
        abort(404)
    images = Path(module.source_dir) / "images"
    return send_from_directory(images, filename, max_age=IMAGE_MAX_AGE)
