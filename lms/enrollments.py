"""Enrollment status rules and the writes that keep their history."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

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


# A person may be registered anywhere, but selected/active elsewhere needs a confirmation,
# and active in only one course run at a time.
BUSY_STATUSES = (S.SELECTED.value, S.ACTIVE.value)
# Places a cohort's capacity counts: everyone chosen for it, whether learning or done.
PLACE_STATUSES = (S.SELECTED.value, S.ACTIVE.value, S.GRADUATED.value)


class OneActiveRuleError(ValueError):
    """The person is already active in another cohort's course run."""


@dataclass(frozen=True)
class Elsewhere:
    """Another cohort where a person is already selected or active."""

    user_id: int
    enrollment_id: int
    cohort_id: int
    cohort_name: str
    status: str


def elsewhere(user_ids: list[int], cohort: Cohort) -> dict[int, list[Elsewhere]]:
    """Return, per user, their selected or active enrollments in cohorts other than this one."""
    found: dict[int, list[Elsewhere]] = {}
    if not user_ids:
        return found
    rows = db.session.execute(
        select(Enrollment.user_id, Enrollment.id, Cohort.id, Cohort.name, Enrollment.status)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.user_id.in_(sorted(set(user_ids))), Enrollment.cohort_id != cohort.id,
               Enrollment.status.in_(BUSY_STATUSES))
        .order_by(Enrollment.user_id, Enrollment.id)
    )
    for row in rows:
        found.setdefault(row[0], []).append(Elsewhere(*row))
    return found


def places_taken(cohort: Cohort) -> int:
    """Count the cohort's places in use (selected, active or graduated)."""
    return db.session.scalar(
        select(func.count()).select_from(Enrollment)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status.in_(PLACE_STATUSES))
    ) or 0


def places_left(cohort: Cohort) -> int | None:
    """Return how many more people the cohort can select, or None when it has no capacity set."""
    if cohort.capacity is None:
        return None
    return max(cohort.capacity - places_taken(cohort), 0)


def change_status(enrollment: Enrollment, target: str, *, changed_by: User | None, reason: str = "") -> None:
    """Move an enrollment to a new status, keeping its history (not committed).

    Raises OneActiveRuleError when activating someone who is already active in another cohort.
    """
    if not can_transition(enrollment.status, target):
        raise ValueError(f"{enrollment.status} → {target} is not allowed")
    if target == S.ACTIVE and _active_elsewhere(enrollment):
        raise OneActiveRuleError(f"user {enrollment.user_id} is already active in another cohort")
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


def _active_elsewhere(enrollment: Enrollment) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(Enrollment)
        .where(Enrollment.user_id == enrollment.user_id, Enrollment.id != enrollment.id,
               Enrollment.status == S.ACTIVE.value)
    ) > 0


def activate_selected(user: User) -> Enrollment | None:
    """On account activation, start the course run of the cohort that selected the person (not committed).

    Nothing changes when they are already active somewhere (one course run at a time).
    Among several selections the most recent one wins; the others stay selected.
    """
    live = [e for e in user.enrollments if e.status in BUSY_STATUSES]
    if not live or any(e.status == S.ACTIVE for e in live):
        return None
    chosen = max(live, key=lambda e: (e.status_changed_at, e.id))
    change_status(chosen, S.ACTIVE, changed_by=user, reason=_("Akun diaktifkan"))
    return chosen


def choose_enrollment(user: User, enrollment: Enrollment) -> None:
    """Make this enrollment the one the participant sees on their pages (not committed)."""
    if enrollment.user_id != user.id or enrollment.status == S.WITHDRAWN:
        raise ValueError("not one of the participant's live enrollments")
    enrollment.chosen_at = utcnow()
    audit.record("enrollment.choose", enrollment, actor=user, after={"cohort_id": enrollment.cohort_id})


class MoveError(ValueError):
    """The enrollment cannot be moved to that cohort; the message is for staff."""


def move_enrollment(enrollment: Enrollment, target: Cohort, *, moved_by: User, reason: str) -> Enrollment:
    """Move a person to another cohort: the old enrollment is withdrawn, a new one keeps the status (not committed).

    Submissions, quiz attempts and certificates stay with the old enrollment, which
    remains in the history; the new one starts with a status-change row naming the move.
    """
    if target.id == enrollment.cohort_id:
        raise MoveError(_("Peserta sudah di kohort ini."))
    if enrollment.status in (S.WITHDRAWN, S.GRADUATED):
        raise MoveError(_("Peserta yang lulus atau mengundurkan diri tidak bisa dipindah."))
    if db.session.scalar(select(Enrollment.id).where(Enrollment.cohort_id == target.id,
                                                     Enrollment.user_id == enrollment.user_id)) is not None:
        raise MoveError(_("Orang ini sudah terdaftar di kohort %(name)s.", name=target.name))
    status, source = enrollment.status, enrollment.cohort
    change_status(enrollment, S.WITHDRAWN, changed_by=moved_by,
                  reason=_("Dipindah ke %(name)s: %(reason)s", name=target.name, reason=reason)[:300])
    moved = Enrollment(user_id=enrollment.user_id, cohort_id=target.id, status=status)
    db.session.add(moved)
    db.session.flush()
    db.session.add(EnrollmentStatusChange(
        enrollment_id=moved.id, from_status=None, to_status=status, changed_by_id=_id(moved_by),
        reason=_("Dipindah dari %(name)s: %(reason)s", name=source.name, reason=reason)[:300]))
    audit.record("enrollment.move", moved, actor=moved_by,
                 before={"cohort_id": source.id, "enrollment_id": enrollment.id},
                 after={"cohort_id": target.id, "status": status, "reason": reason})
    return moved


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
