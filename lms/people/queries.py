"""Reads of the people area: the reset queues and who may answer a request."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.models import Enrollment, EnrollmentStatus, MentorAllocation, PasswordResetRequest, User


def followed_user_ids(mentor: User) -> Select:
    """Select the ids of the participants a mentor follows now (an open allocation, enrollment not withdrawn)."""
    return (
        select(Enrollment.user_id)
        .join(MentorAllocation, MentorAllocation.enrollment_id == Enrollment.id)
        .where(MentorAllocation.mentor_id == mentor.id, MentorAllocation.ended_at.is_(None),
               Enrollment.status != EnrollmentStatus.WITHDRAWN)
    )


def pending_requests(*, mentor: User | None = None) -> list[PasswordResetRequest]:
    """Return open reset requests, oldest first; for a mentor, only those of their participants."""
    statement = (
        select(PasswordResetRequest)
        .options(joinedload(PasswordResetRequest.user))
        .where(PasswordResetRequest.resolved_at.is_(None))
        .order_by(PasswordResetRequest.id)
    )
    if mentor is not None:
        statement = statement.where(PasswordResetRequest.user_id.in_(followed_user_ids(mentor)))
    return list(db.session.scalars(statement))


def recent_resolved(limit: int = 20) -> list[PasswordResetRequest]:
    """Return the newest closed requests, with who closed them (for the staff page)."""
    statement = (
        select(PasswordResetRequest)
        .options(joinedload(PasswordResetRequest.user), joinedload(PasswordResetRequest.resolved_by))
        .where(PasswordResetRequest.resolved_at.is_not(None))
        .order_by(PasswordResetRequest.resolved_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def may_answer(user: User, request: PasswordResetRequest) -> bool:
    """Tell whether a user may answer a request: staff always, a mentor for their own participants."""
    if user.is_staff:
        return True
    if user.is_mentor:
        return request.user_id in db.session.scalars(followed_user_ids(user)).all()
    return False


def pending_count(user: User) -> int:
    """Return how many open requests this staff member or mentor can answer (for a link's badge)."""
    # Cached module pages render with a role-only viewer that has no id: they show no count.
    if getattr(user, "id", None) is None or not (user.is_staff or user.is_mentor):
        return 0
    return len(pending_requests(mentor=None if user.is_staff else user))
