"""Read-only queries behind the mentor queue, the staff overview and the home partials.

Every page here costs the same number of SQL queries whatever the data size: rows
come from one joined query per page (plus one count), never one query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from lms.assignments import rules
from lms.assignments.stats import latest_version_condition
from lms.completion import latest_submission_statuses
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import MentorAllocation, ParticipantProfile, Role, Submission, User

PER_PAGE = 50
STATUS_FILTERS = (rules.SUBMITTED, rules.NEEDS_REVISION, rules.ACCEPTED, "all")


@dataclass(frozen=True)
class QueueFilters:
    module_id: str = ""
    status: str = rules.SUBMITTED
    regency_code: str = ""
    mentor_id: int | None = None  # staff only: one mentor's participants
    page: int = 1

    @classmethod
    def from_args(cls, args) -> QueueFilters:
        """Read the filters from query-string arguments, ignoring values that make no sense."""
        status = args.get("status", rules.SUBMITTED)
        mentor = args.get("mentor", "")
        page = args.get("page", "1")
        return cls(
            module_id=args.get("module", "")[:60],
            status=status if status in STATUS_FILTERS else rules.SUBMITTED,
            regency_code=args.get("regency", "")[:4],
            mentor_id=int(mentor) if mentor.isdigit() else None,
            page=max(1, int(page)) if page.isdigit() else 1,
        )


@dataclass(frozen=True)
class QueueRow:
    submission_id: int
    user_id: int
    module_id: str
    module_title: str
    version_no: int
    status: str
    created_at: datetime
    participant_name: str
    business_name: str
    regency_code: str | None
    mentor_name: str | None


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int


def queue_page(filters: QueueFilters, *, mentor_id: int | None) -> QueuePage:
    """Return one page of newest versions, oldest first; only a mentor's own participants if given."""
    statement = _queue_statement(filters, mentor_id)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(filters.page, pages)
    titles = assignment_titles()
    rows = db.session.execute(
        statement.order_by(Submission.created_at, Submission.id).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    )
    return QueuePage(
        rows=[
            QueueRow(
                submission_id=row.id, user_id=row.user_id, module_id=row.module_id,
                module_title=titles.get(row.module_id, row.module_id), version_no=row.version_no,
                status=row.status, created_at=row.created_at, participant_name=row.participant_name,
                business_name=row.business_name or "", regency_code=row.regency_code, mentor_name=row.mentor_name,
            )
            for row in rows
        ],
        total=total, page=page, pages=pages,
    )


def _queue_statement(filters: QueueFilters, mentor_id: int | None):
    """Build the select of newest versions matching the filters, with participant and mentor names."""
    mentor = aliased(User)
    scope = mentor_id if mentor_id is not None else filters.mentor_id
    allocation = and_(MentorAllocation.enrollment_id == Submission.enrollment_id, MentorAllocation.ended_at.is_(None))
    statement = select(
        Submission.id, Submission.user_id, Submission.module_id, Submission.version_no, Submission.status,
        Submission.created_at, User.name.label("participant_name"), ParticipantProfile.business_name,
        ParticipantProfile.regency_code, mentor.name.label("mentor_name"),
    )
    if scope is not None:
        # Start from the mentor's allocations, so the database reads only their participants' rows.
        statement = statement.select_from(MentorAllocation).join(Submission, allocation).where(
            MentorAllocation.mentor_id == scope)
    else:
        statement = statement.select_from(Submission).outerjoin(MentorAllocation, allocation)
    statement = (
        statement.join(User, User.id == Submission.user_id)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == Submission.user_id)
        .outerjoin(mentor, mentor.id == MentorAllocation.mentor_id)
        .where(latest_version_condition())
    )
    if filters.status != "all":
        # For one mentor, "status || ''" keeps SQLite (which has no statistics) from starting at the
        # status index, which would read every waiting submission of the cohort instead of 1/17 of them.
        status = Submission.status + "" if scope is not None else Submission.status
        statement = statement.where(status == filters.status)
    if filters.module_id:
        statement = statement.where(Submission.module_id == filters.module_id)
    if filters.regency_code:
        statement = statement.where(ParticipantProfile.regency_code == filters.regency_code)
    return statement


def assignment_titles() -> dict[str, str]:
    """Return module id → assignment title for every published module with an assignment."""
    return {m.id: m.assignment.title for m in get_content().modules.values() if m.assignment is not None}


def module_filter_choices() -> list[tuple[str, str]]:
    """Return (module id, module title) of every published module with an assignment, by title."""
    modules = [m for m in get_content().modules.values() if m.assignment is not None]
    return [(m.id, m.title) for m in sorted(modules, key=lambda m: m.title)]


def mentors() -> list[User]:
    """Return every mentor account, by name."""
    return list(db.session.scalars(select(User).where(User.role == Role.MENTOR).order_by(User.name, User.id)))


def participant_statuses(user: User, module_ids: list[str]) -> dict[str, str]:
    """Return module id → status of the participant's newest version, in one query."""
    return {module_id: status for _, module_id, status in db.session.execute(
        latest_submission_statuses([user.id], module_ids))}
