"""Who may read which course."""

from sqlalchemy import exists, select

from lms.extensions import db
from lms.models import Cohort, Enrollment, EnrollmentStatus, ModuleRead, User


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


def module_access(user: User, course_id: str, module_id: str) -> tuple[bool, bool]:
    """Return (may read the course, has marked the module as read) in one query.

    The module page is the busiest page of the site, so both answers share a round trip.
    """
    enrolled = exists().where(
        Enrollment.user_id == user.id,
        Enrollment.status != EnrollmentStatus.WITHDRAWN,
        Enrollment.cohort_id == Cohort.id,
        Cohort.course_id == course_id,
    )
    read = exists().where(ModuleRead.user_id == user.id, ModuleRead.module_id == module_id)
    may_read, is_read = db.session.execute(select(enrolled, read)).one()
    return bool(may_read or user.is_staff or user.is_mentor), bool(is_read)
