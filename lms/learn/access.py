"""Who may read which course."""

from sqlalchemy import select

from lms.extensions import db
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
