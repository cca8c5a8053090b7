"""Who may read which course."""

from flask import abort
from sqlalchemy import select

from lms.extensions import db
from lms.learn.store import get_content
from lms.models import Cohort, Enrollment, EnrollmentStatus, User


def can_read_course(user: User, course_id: str) -> bool:
    """Staff and mentors read everything; a participant reads the courses of their own cohorts."""
    if user.is_staff or user.is_mentor:
        return True
    return course_id in participant_course_ids(user)


def participant_course_ids(user: User) -> set[str]:
    """Return the courses of the cohorts a participant is enrolled in and has not left."""
    return set(
        db.session.scalars(
            select(Cohort.course_id)
            .join(Enrollment, Enrollment.cohort_id == Cohort.id)
            .where(Enrollment.user_id == user.id, Enrollment.status != EnrollmentStatus.WITHDRAWN)
        )
    )


def course_module_or_404(user: User, course_id: str, module_id: str, *, needs: str | None = None):
    """Return (course, module) for a module of a course the user may read, or abort with 404.

    `needs` ("quiz" or "assignment") also requires the module to have one. The quiz
    and assignment pages share this, so all of them answer the same way.
    """
    content = get_content()
    course = content.course(course_id)
    if course is None or not can_read_course(user, course_id):
        abort(404)
    module = next((m for m in content.course_modules(course) if m.id == module_id), None)
    if module is None or (needs is not None and getattr(module, needs) is None):
        abort(404)
    return course, module
