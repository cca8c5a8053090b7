"""Reads and writes behind the staff allocation pages (the split itself is in allocation.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, func, select

from lms.assignments.allocation import Candidate, balanced_split
from lms.database import write_transaction
from lms.enrollments import allocate_mentor
from lms.extensions import db
from lms.models import Cohort, Enrollment, EnrollmentStatus, MentorAllocation, ParticipantProfile, Role, User

# Registrants not yet selected do not need a mentor; graduates and leavers keep their history.
ALLOCATABLE_STATUSES = (EnrollmentStatus.SELECTED.value, EnrollmentStatus.ACTIVE.value)
PER_PAGE = 100


@dataclass(frozen=True)
class AllocationRow:
    enrollment_id: int
    user_id: int
    name: str
    business_name: str
    regency_code: str | None
    status: str
    mentor_id: int | None


def active_mentors() -> list[User]:
    """Return the mentor accounts that can take participants (active and activated), by name."""
    return list(db.session.scalars(
        select(User).where(User.role == Role.MENTOR, User.active.is_(True), User.password_hash.is_not(None))
        .order_by(User.name, User.id)
    ))


def never_activated_mentors() -> list[User]:
    """Return mentor accounts that never set a password: the split skips them, the pages flag them."""
    return list(db.session.scalars(
        select(User).where(User.role == Role.MENTOR, User.active.is_(True), User.password_hash.is_(None))
        .order_by(User.name, User.id)
    ))


def _rows_statement(cohort: Cohort):
    return (
        select(Enrollment.id, Enrollment.user_id, User.name, ParticipantProfile.business_name,
               ParticipantProfile.regency_code, Enrollment.status, MentorAllocation.mentor_id)
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == Enrollment.user_id)
        .outerjoin(MentorAllocation, and_(MentorAllocation.enrollment_id == Enrollment.id,
                                          MentorAllocation.ended_at.is_(None)))
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status.in_(ALLOCATABLE_STATUSES))
    )


def allocation_rows(cohort: Cohort, *, regency_code: str = "", mentor_filter: str = "",
                    page: int = 1) -> tuple[list[AllocationRow], int]:
    """Return one page of the cohort's allocatable participants with their mentor, and the total."""
    statement = _rows_statement(cohort)
    if regency_code:
        statement = statement.where(ParticipantProfile.regency_code == regency_code)
    if mentor_filter == "none":
        statement = statement.where(MentorAllocation.mentor_id.is_(None))
    elif mentor_filter.isdigit():
        statement = statement.where(MentorAllocation.mentor_id == int(mentor_filter))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = db.session.execute(
        statement.order_by(ParticipantProfile.regency_code, User.name, Enrollment.id)
        .limit(PER_PAGE).offset((max(1, page) - 1) * PER_PAGE)
    )
    return [AllocationRow(r[0], r[1], r[2], r[3] or "", r[4], r[5], r[6]) for r in rows], total


def mentor_loads(cohort: Cohort) -> Counter:
    """Return mentor id → number of the cohort's participants they follow now."""
    rows = db.session.execute(
        select(MentorAllocation.mentor_id, func.count())
        .join(Enrollment, Enrollment.id == MentorAllocation.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id, MentorAllocation.ended_at.is_(None),
               Enrollment.status.in_(ALLOCATABLE_STATUSES))
        .group_by(MentorAllocation.mentor_id)
    )
    return Counter(dict(rows.all()))


def mentor_loads_elsewhere(cohort: Cohort) -> Counter:
    """Return mentor id → number of participants they follow now in every other cohort."""
    rows = db.session.execute(
        select(MentorAllocation.mentor_id, func.count())
        .join(Enrollment, Enrollment.id == MentorAllocation.enrollment_id)
        .where(Enrollment.cohort_id != cohort.id, MentorAllocation.ended_at.is_(None),
               Enrollment.status.in_(ALLOCATABLE_STATUSES))
        .group_by(MentorAllocation.mentor_id)
    )
    return Counter(dict(rows.all()))


def candidates(cohort: Cohort) -> list[Candidate]:
    """Return every allocatable participant of a cohort as input to the balanced split."""
    return [Candidate(r[0], r[4], r[6]) for r in db.session.execute(_rows_statement(cohort))]


def plan_split(cohort: Cohort, mentor_ids: list[int], *, keep_existing: bool,
               active_mentor_ids: list[int]) -> dict[int, int]:
    """Return the automatic split for a cohort among the given mentors (nothing is written).

    Keeping existing allocations also leaves alone the participants of active mentors
    who do not take part in this split; those of deactivated mentors are split again.
    """
    pool = candidates(cohort)
    if keep_existing:
        others = set(active_mentor_ids) - set(mentor_ids)
        pool = [c for c in pool if c.current_mentor_id not in others]
    return balanced_split(pool, mentor_ids, keep_existing=keep_existing, other_loads=mentor_loads_elsewhere(cohort))


def apply_allocations(cohort: Cohort, plan: dict[int, int], *, assigned_by: User) -> int:
    """Allocate each enrollment of the plan to its mentor, keeping history and audit; return changes."""
    changed = 0
    with write_transaction():
        enrollments = {e.id: e for e in db.session.scalars(
            select(Enrollment).where(Enrollment.cohort_id == cohort.id, Enrollment.id.in_(list(plan)))
            .with_for_update()
        )}
        current = dict(db.session.execute(
            select(MentorAllocation.enrollment_id, MentorAllocation.mentor_id)
            .where(MentorAllocation.enrollment_id.in_(list(enrollments)), MentorAllocation.ended_at.is_(None))
        ).all())
        mentors = {m.id: m for m in db.session.scalars(
            select(User).where(User.id.in_(set(plan.values())), User.role == Role.MENTOR))}
        for enrollment_id, mentor_id in sorted(plan.items()):
            enrollment, mentor = enrollments.get(enrollment_id), mentors.get(mentor_id)
            if enrollment is None or mentor is None or current.get(enrollment_id) == mentor_id:
                continue
            allocate_mentor(enrollment, mentor, assigned_by=assigned_by)
            changed += 1
    return changed


def allocate_by_hand(cohort: Cohort, enrollment_ids: list[int], mentor: User, *, assigned_by: User) -> int:
    """Allocate the chosen participants of a cohort to one mentor; return how many changed."""
    return apply_allocations(cohort, dict.fromkeys(enrollment_ids, mentor.id), assigned_by=assigned_by)
