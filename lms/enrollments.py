"""Enrollment status rules and the writes that keep their history."""

from lms import audit
from lms.extensions import db
from lms.models import Cohort, Enrollment, EnrollmentStatus, EnrollmentStatusChange, MentorAllocation, User, utcnow

S = EnrollmentStatus
# registered → selected → active → graduated, or → withdrawn. Staff may step a
# selection back, and re-admit a withdrawn registrant; a graduate stays graduated.
ALLOWED_TRANSITIONS: dict[EnrollmentStatus, frozenset[EnrollmentStatus]] = {
    S.REGISTERED: frozenset({S.SELECTED, S.WITHDRAWN}),
    S.SELECTED: frozenset({S.ACTIVE, S.REGISTERED, S.WITHDRAWN}),
    S.ACTIVE: frozenset({S.GRADUATED, S.WITHDRAWN}),
    S.WITHDRAWN: frozenset({S.REGISTERED}),
    S.GRADUATED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    """Tell whether an enrollment may move from one status to another."""
    return EnrollmentStatus(target) in ALLOWED_TRANSITIONS[EnrollmentStatus(current)]


def enroll(user: User, cohort: Cohort, *, changed_by: User | None, status: str = S.REGISTERED) -> Enrollment:
    """Enroll a participant in a cohort and record the first history row (not committed)."""
    enrollment = Enrollment(user=user, cohort=cohort, status=str(status))
    db.session.add(enrollment)
    db.session.flush()
    db.session.add(
        EnrollmentStatusChange(
            enrollment_id=enrollment.id, from_status=None, to_status=str(status), changed_by_id=_id(changed_by)
        )
    )
    audit.record("enrollment.create", enrollment, actor=changed_by, after={"status": str(status)})
    return enrollment


def change_status(enrollment: Enrollment, target: str, *, changed_by: User | None, reason: str = "") -> None:
    """Move an enrollment to a new status, keeping its history (not committed)."""
    if not can_transition(enrollment.status, target):
        raise ValueError(f"{enrollment.status} → {target} is not allowed")
    before = enrollment.status
    enrollment.status = str(target)
    enrollment.status_changed_at = utcnow()
    db.session.add(
        EnrollmentStatusChange(
            enrollment_id=enrollment.id,
            from_status=before,
            to_status=str(target),
            reason=reason,
            changed_by_id=_id(changed_by),
        )
    )
    audit.record(
        "enrollment.status", enrollment, actor=changed_by, before={"status": before},
        after={"status": str(target), "reason": reason},
    )


def allocate_mentor(enrollment: Enrollment, mentor: User, *, assigned_by: User | None) -> MentorAllocation:
    """Give an enrollment a mentor, ending the previous allocation (not committed)."""
    current = enrollment.current_mentor_allocation()
    if current is not None and current.mentor_id == mentor.id:
        return current
    if current is not None:
        current.ended_at = utcnow()
        db.session.flush()  # the open-allocation unique index must see the old row closed first
    allocation = MentorAllocation(enrollment_id=enrollment.id, mentor_id=mentor.id, assigned_by_id=_id(assigned_by))
    db.session.add(allocation)
    audit.record(
        "enrollment.mentor", enrollment, actor=assigned_by,
        before={"mentor_id": current.mentor_id if current else None}, after={"mentor_id": mentor.id},
    )
    return allocation


def _id(user: User | None) -> int | None:
    return user.id if user is not None else None
