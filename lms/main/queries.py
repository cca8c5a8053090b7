"""Read-only queries behind the home pages."""

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.learn.progress import course_progress_for, percent_complete
from lms.learn.store import get_content
from lms.models import Cohort, Enrollment, EnrollmentStatus, MentorAllocation, User


def cohort_status_counts() -> list[tuple[Cohort, dict[str, int]]]:
    """Return every cohort with its number of enrollments per status, in two queries."""
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.start_date.desc())).all()
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(EnrollmentStatus, 0))
    rows = db.session.execute(
        select(Enrollment.cohort_id, Enrollment.status, func.count()).group_by(Enrollment.cohort_id, Enrollment.status)
    )
    for cohort_id, status, count in rows:
        counts[cohort_id][EnrollmentStatus(status)] = count
    return [(cohort, counts[cohort.id]) for cohort in cohorts]


def mentor_participants(mentor: User) -> list[Enrollment]:
    """Return the enrollments a mentor follows now, with participant and profile loaded."""
    return db.session.scalars(
        select(Enrollment)
        .join(MentorAllocation, MentorAllocation.enrollment_id == Enrollment.id)
        .where(MentorAllocation.mentor_id == mentor.id, MentorAllocation.ended_at.is_(None))
        .options(joinedload(Enrollment.user).joinedload(User.profile), joinedload(Enrollment.cohort))
        .order_by(Enrollment.cohort_id, Enrollment.id)
    ).all()


def participant_home(participant: User) -> dict:
    """Return what a participant's home page shows: cohort, status and mentor."""
    enrollment = participant.current_enrollment()
    allocation = enrollment.current_mentor_allocation() if enrollment else None
    course, completion = None, None
    if enrollment is not None:
        content = get_content()
        course = content.course(enrollment.cohort.course_id)
        if course is not None:
            completion = course_progress_for(participant, course, content.course_modules(course))
    return {
        "enrollment": enrollment,
        "other_enrollments": [e for e in participant.enrollments if e is not enrollment and e.status != "withdrawn"],
        "mentor": allocation.mentor if allocation else None,
        "profile": participant.profile,
        "course": course,
        "completion": completion,
        "percent": percent_complete(completion) if completion else 0,
    }
