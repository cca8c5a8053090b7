"""The cohort dashboard's figures, from a fixed number of GROUP BY queries.

Nothing here loads one object per participant: every figure is a count grouped by
status, regency or module, so the number of queries stays the same whether the
cohort has 20 participants or 100,000.

The progress counts come from module_progress (one row per participant and module,
kept by the writers: lms.progress) and the mentors' turnaround from the waits stored
on reviews, so a cold render at 100,000 participants stays well under a second
(bench/dashboard.py). Those figures are still kept per process for
DASHBOARD_CACHE_SECONDS (default 60), which spares the database when twelve staff
keep the page open; the page says when they were computed. The funnel, the mentor
list and the participants at risk are always live, so curation shows at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, false, func, or_, select

from lms.assignments.stats import mentor_workload
from lms.bootcamp import queries as bootcamp_queries
from lms.content.schema import Module
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    MentorAllocation,
    ModuleProgress,
    ParticipantProfile,
    User,
    utcnow,
)
from lms.regions import REGENCIES

LEARNING_STATUSES = (EnrollmentStatus.ACTIVE.value, EnrollmentStatus.GRADUATED.value)
AT_RISK_LIST_LIMIT = 50
DEFAULT_AT_RISK_DAYS = 7
DEFAULT_CACHE_SECONDS = 60
UNKNOWN_REGENCY = ""


@dataclass
class ModuleRow:
    module_id: str
    title: str
    has_quiz: bool
    has_assignment: bool
    read: int = 0
    quiz_passed: int = 0
    assignment_accepted: int = 0


@dataclass
class RegencyRow:
    code: str  # "" for participants without a known regency
    label: str
    participants: int = 0  # every status
    learners: int = 0  # active or graduated
    graduated: int = 0
    steps_done: int = 0
    percent: int = 0  # share of the learners' required steps that are done

    @property
    def short_label(self) -> str:
        """Return the label without "Kabupaten", which a narrow chart has no room for."""
        return self.label.removeprefix("Kabupaten ")


@dataclass
class MentorRow:
    mentor_id: int
    name: str
    participants: int
    waiting: int
    median_hours: float | None


@dataclass
class AtRiskRow:
    enrollment_id: int
    user_id: int
    name: str
    phone: str
    regency_code: str | None
    last_seen_at: datetime | None
    low_attendance: bool = False  # below the course's minimum session attendance (lms.bootcamp)


@dataclass
class Dashboard:
    funnel: dict[str, int]
    learners: int
    modules: list[ModuleRow]
    regencies: list[RegencyRow]
    mentors: list[MentorRow]
    at_risk_count: int
    at_risk: list[AtRiskRow]
    at_risk_days: int
    steps_per_learner: int
    computed_at: datetime | None = None  # when the cached progress figures were computed
    extra: dict = field(default_factory=dict)


def cohort_dashboard(cohort: Cohort, *, at_risk_days: int = DEFAULT_AT_RISK_DAYS) -> Dashboard:
    """Gather every figure of a cohort's dashboard."""
    content = get_content()
    course = content.course(cohort.course_id)
    modules = content.course_modules(course) if course else []
    pass_mark = course.pass_mark if course else 100
    module_rows = [ModuleRow(m.id, m.title, m.quiz is not None, m.assignment is not None) for m in modules]
    regency_rows = {r.code: RegencyRow(r.code, r.label) for r in sorted(REGENCIES, key=lambda r: r.code)}
    regency_rows[UNKNOWN_REGENCY] = RegencyRow(UNKNOWN_REGENCY, "")
    funnel = _status_counts(cohort, regency_rows)
    mentors = db.session.execute(_mentor_query(cohort)).all()
    mentor_ids = tuple(mentor_id for mentor_id, _name, _count in mentors)
    computed_at, step_rows, workload = _cached(
        (cohort.id, cohort.course_id, tuple(m.id for m in modules), pass_mark, mentor_ids),
        lambda: (utcnow(), _step_rows(cohort, modules, pass_mark),
                 mentor_workload(list(mentor_ids)) if mentor_ids else {}),
    )
    _apply_step_rows(step_rows, module_rows, regency_rows)
    steps = sum(1 + row.has_quiz + row.has_assignment for row in module_rows)
    for row in regency_rows.values():
        row.percent = round(100 * row.steps_done / (row.learners * steps)) if row.learners and steps else 0
    cutoff = utcnow() - timedelta(days=at_risk_days)
    return Dashboard(
        funnel=funnel,
        learners=sum(funnel[s] for s in LEARNING_STATUSES),
        modules=module_rows,
        regencies=list(regency_rows.values()),
        mentors=_mentor_rows(mentors, workload),
        at_risk_count=db.session.scalar(select(func.count()).select_from(_at_risk_query(cohort, cutoff).subquery())),
        at_risk=_at_risk_rows(cohort, cutoff),
        at_risk_days=at_risk_days,
        steps_per_learner=steps,
        computed_at=computed_at,
    )


def _cached(key: tuple, compute):
    """Return compute()'s value, reusing this process's copy for DASHBOARD_CACHE_SECONDS."""
    ttl = current_app.config.get("DASHBOARD_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)
    cache = current_app.extensions.setdefault("staff_dashboard_cache", {})
    hit = cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < ttl:
        return hit[1]
    value = compute()
    cache[key] = (time.monotonic(), value)
    return value


def _status_counts(cohort: Cohort, regency_rows: dict[str, RegencyRow]) -> dict[str, int]:
    """Count enrollments per status, and per regency and status, in one query."""
    funnel = dict.fromkeys((s.value for s in EnrollmentStatus), 0)
    rows = db.session.execute(
        select(ParticipantProfile.regency_code, Enrollment.status, func.count())
        .select_from(Enrollment)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort.id)
        .group_by(ParticipantProfile.regency_code, Enrollment.status)
    )
    for code, status, count in rows:
        row = regency_rows.get(code or UNKNOWN_REGENCY, regency_rows[UNKNOWN_REGENCY])
        funnel[status] = funnel.get(status, 0) + count
        row.participants += count
        row.learners += count if status in LEARNING_STATUSES else 0
        row.graduated += count if status == EnrollmentStatus.GRADUATED else 0
    return funnel


def _step_rows(cohort, modules: list[Module], pass_mark: int) -> list[tuple[str, str | None, str, int]]:
    """Count reads, passed quizzes and accepted assignments per regency and module, in one query.

    module_progress holds one row per participant and module (lms.progress), so
    "how many people" is a plain count of rows with the fact, and the pass mark of
    today's manifest applies to the best score.
    """
    module_ids = [m.id for m in modules]
    if not module_ids:
        return []
    passed = case((ModuleProgress.best_quiz_score >= pass_mark, 1), else_=0)
    statement = (
        select(ParticipantProfile.regency_code, ModuleProgress.module_id, func.count(ModuleProgress.read_at),
               func.sum(passed), func.count(ModuleProgress.accepted_at))
        .select_from(Enrollment)
        .join(ModuleProgress, ModuleProgress.user_id == Enrollment.user_id)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status.in_(LEARNING_STATUSES),
               ModuleProgress.module_id.in_(module_ids))
        .group_by(ParticipantProfile.regency_code, ModuleProgress.module_id)
    )
    rows = []
    for code, module_id, read, quiz_passed, accepted in db.session.execute(statement):
        rows += [("read", code, module_id, read), ("quiz_passed", code, module_id, int(quiz_passed or 0)),
                 ("assignment_accepted", code, module_id, accepted)]
    return rows


def _apply_step_rows(rows, module_rows: list[ModuleRow], regency_rows: dict[str, RegencyRow]) -> None:
    """Add the counted steps to the module and regency rows."""
    by_module = {row.module_id: row for row in module_rows}
    for attribute, code, module_id, count in rows:
        if module_id in by_module:
            setattr(by_module[module_id], attribute, getattr(by_module[module_id], attribute) + count)
        regency_rows.get(code or UNKNOWN_REGENCY, regency_rows[UNKNOWN_REGENCY]).steps_done += count


def _mentor_query(cohort: Cohort):
    return (
        select(User.id, User.name, func.count())
        .select_from(MentorAllocation)
        .join(Enrollment, Enrollment.id == MentorAllocation.enrollment_id)
        .join(User, User.id == MentorAllocation.mentor_id)
        .where(Enrollment.cohort_id == cohort.id, MentorAllocation.ended_at.is_(None))
        .group_by(User.id, User.name)
        .order_by(User.name, User.id)
    )


def _mentor_rows(mentors, workload: dict) -> list[MentorRow]:
    """Return each mentor of the cohort with their participants, backlog and turnaround."""
    result = []
    for mentor_id, name, count in mentors:
        load = workload.get(mentor_id)
        waiting, median = (load.waiting, load.median_hours) if load else (0, None)
        result.append(MentorRow(mentor_id, name, count, waiting, median))
    return result


def _at_risk_query(cohort: Cohort, cutoff: datetime):
    """Select active participants not seen since the cutoff (or never, when active since before it),
    and those whose session attendance is below the course's minimum."""
    course = get_content().course(cohort.course_id)
    low = bootcamp_queries.low_attendance_condition(cohort.id, course.attendance_minimum if course else None,
                                                    utcnow(), Enrollment.user_id)
    unseen = or_(User.last_seen_at < cutoff, and_(User.last_seen_at.is_(None), Enrollment.status_changed_at < cutoff))
    return (
        select(Enrollment.id, Enrollment.user_id, User.name, User.phone, ParticipantProfile.regency_code,
               User.last_seen_at, (low if low is not None else false()).label("low_attendance"))
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == Enrollment.user_id)
        .where(
            Enrollment.cohort_id == cohort.id,
            Enrollment.status == EnrollmentStatus.ACTIVE.value,
            or_(unseen, low) if low is not None else unseen,
        )
    )


def at_risk_enrollment_ids(cohort: Cohort, *, days: int = DEFAULT_AT_RISK_DAYS) -> set[int]:
    """Return the ids of the cohort's active enrollments at risk (not seen for `days`)."""
    cutoff = utcnow() - timedelta(days=days)
    return {row[0] for row in db.session.execute(_at_risk_query(cohort, cutoff))}


def _at_risk_rows(cohort: Cohort, cutoff: datetime) -> list[AtRiskRow]:
    statement = _at_risk_query(cohort, cutoff).order_by(User.last_seen_at.asc().nulls_first(), Enrollment.id)
    return [AtRiskRow(*row) for row in db.session.execute(statement.limit(AT_RISK_LIST_LIMIT))]
