"""The ranking's inputs from the database, and marking the top participants (TopAward rows)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time

from flask import current_app
from sqlalchemy import func, select

from lms import audit
from lms.bootcamp import queries as bootcamp_queries
from lms.completion import evaluate, facts_for_users
from lms.database import write_transaction
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    ModuleRead,
    ParticipantProfile,
    QuizAttempt,
    Review,
    Submission,
    TopAward,
    User,
    utcnow,
)
from lms.staff.ranking import rules as ranking

RANKED_STATUSES = (EnrollmentStatus.ACTIVE.value, EnrollmentStatus.GRADUATED.value)


@dataclass(frozen=True)
class RankingRow:
    """A ranked participant with what the ranking page and export show."""

    ranked: ranking.Ranked
    name: str
    phone: str
    business_name: str
    regency_code: str | None
    status: str
    award: TopAward | None


def cohort_ranking(cohort: Cohort) -> list[RankingRow]:
    """Rank the cohort's active and graduated participants by the composite score."""
    content = get_content()
    course = content.course(cohort.course_id)
    modules = content.course_modules(course) if course else []
    people = db.session.execute(
        select(Enrollment.id, Enrollment.user_id, Enrollment.status, User.name, User.phone,
               ParticipantProfile.business_name, ParticipantProfile.regency_code)
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status.in_(RANKED_STATUSES))
    ).all()
    user_ids = [row.user_id for row in people]
    module_ids = [m.id for m in modules]
    facts = facts_for_users(user_ids, module_ids)
    rubric, accepted_at = _accepted_reviews(user_ids, module_ids)
    finished = _last_step_times(user_ids, module_ids, course.pass_mark if course else 0)
    # Below the course's minimum session attendance counts as not complete (no speed part, a warning).
    attendance = bootcamp_queries.standings(cohort.id, course.attendance_minimum if course else None, utcnow())
    entries = []
    for row in people:
        complete = (course is not None and evaluate(course, modules, facts[row.user_id]).eligible
                    and attendance.of(row.user_id).ok)
        times = [t for t in (finished.get(row.user_id), accepted_at.get(row.user_id)) if t is not None]
        entries.append(ranking.RankingInput(
            enrollment_id=row.id,
            best_quiz_scores=dict(facts[row.user_id].best_quiz_score),
            rubric_points=rubric.get(row.user_id, {}),
            completed_at=max(times) if complete and times else None,
        ))
    window = (datetime.combine(cohort.start_date, time()), datetime.combine(cohort.graduation_date, time()))
    ranked = ranking.rank(entries, [m.id for m in modules if m.quiz], [m.id for m in modules if m.assignment], window)
    awards = {a.enrollment_id: a for a in db.session.scalars(select(TopAward).where(TopAward.cohort_id == cohort.id))}
    by_id = {row.id: row for row in people}
    return [
        RankingRow(ranked=item, name=by_id[item.entry.enrollment_id].name, phone=by_id[item.entry.enrollment_id].phone,
                   business_name=by_id[item.entry.enrollment_id].business_name or "",
                   regency_code=by_id[item.entry.enrollment_id].regency_code,
                   status=by_id[item.entry.enrollment_id].status, award=awards.get(item.entry.enrollment_id))
        for item in ranked
    ]


def _accepted_reviews(user_ids: list[int], module_ids: list[str]) -> tuple[dict, dict]:
    """Return rubric (points, max) of the newest accepted review per user and module, and the last acceptance time."""
    rows = db.session.execute(
        select(Submission.user_id, Submission.module_id, Review.total_points, Review.max_points, Review.created_at)
        .join(Review, Review.submission_id == Submission.id)
        .where(Submission.user_id.in_(user_ids), Submission.module_id.in_(module_ids),
               Submission.status == "accepted", Review.decision == "accepted")
        .order_by(Review.id)
    )
    points: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    last: dict[int, datetime] = {}
    for user_id, module_id, total, maximum, created_at in rows:
        points[user_id][module_id] = (total, maximum)  # ordered by id: the newest wins
        last[user_id] = max(last.get(user_id, created_at), created_at)
    return points, last


def _last_step_times(user_ids: list[int], module_ids: list[str], pass_mark: int) -> dict[int, datetime]:
    """Return, per user, the latest of their last read and their first passing attempt of each quiz."""
    latest: dict[int, datetime] = {}
    reads = select(ModuleRead.user_id, func.max(ModuleRead.read_at)).where(
        ModuleRead.user_id.in_(user_ids), ModuleRead.module_id.in_(module_ids)).group_by(ModuleRead.user_id)
    first_pass = (
        select(QuizAttempt.user_id, QuizAttempt.module_id, func.min(QuizAttempt.submitted_at).label("at"))
        .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.module_id.in_(module_ids),
               QuizAttempt.submitted_at.is_not(None), QuizAttempt.score >= pass_mark)
        .group_by(QuizAttempt.user_id, QuizAttempt.module_id)
        .subquery()
    )
    passes = select(first_pass.c.user_id, func.max(first_pass.c.at)).group_by(first_pass.c.user_id)
    for statement in (reads, passes):
        for user_id, at in db.session.execute(statement):
            if at is not None:
                latest[user_id] = max(latest.get(user_id, at), at)
    return latest


def programme_year(cohort: Cohort) -> int:
    """Return the programme year a cohort belongs to: the year it starts."""
    return cohort.start_date.year


def year_limit() -> int:
    """Return how many "Peserta Terbaik" places a programme year has (TOP_AWARDS_PER_YEAR)."""
    return int(current_app.config.get("TOP_AWARDS_PER_YEAR", ranking.TOP_AWARD_LIMIT))


def _year_cohort_ids(year: int) -> list[int]:
    return [c.id for c in db.session.scalars(select(Cohort)) if programme_year(c) == year]


def awards_in_year(year: int) -> int:
    """Count the top awards of every cohort of a programme year."""
    return db.session.scalar(
        select(func.count()).select_from(TopAward).where(TopAward.cohort_id.in_(_year_cohort_ids(year)))
    ) or 0


class AwardNeedsReason(ValueError):
    """Some of the chosen participants have warnings; marking them needs a reason."""

    def __init__(self, warnings: dict[int, list[str]]):
        super().__init__("a reason is needed")
        self.warnings = warnings


def award_warnings(cohort: Cohort, rows: list[RankingRow], enrollment_ids: list[int]) -> dict[int, list[str]]:
    """Return enrollment id → warnings (incomplete, at risk, below the threshold score) for the chosen ones."""
    from lms.staff.dashboard.queries import at_risk_enrollment_ids

    wanted = set(enrollment_ids)
    at_risk = at_risk_enrollment_ids(cohort)
    threshold = float(current_app.config.get("TOP_AWARD_MIN_SCORE", 0))
    found = {}
    for row in rows:
        eid = row.ranked.entry.enrollment_id
        if eid in wanted and row.award is None:
            warnings = ranking.award_warnings(row.ranked, at_risk=eid in at_risk, threshold=threshold)
            if warnings:
                found[eid] = warnings
    return found


def mark_awardees(cohort: Cohort, enrollment_ids: list[int], *, awarded_by: User, reason: str = "") -> list[TopAward]:
    """Record the chosen participants as top awardees, within the year's places (one transaction).

    Raises AwardNeedsReason when some of them are incomplete, at risk or below the
    threshold score and no reason is given; the reason goes into each audit row.
    """
    rows = cohort_ranking(cohort)
    warnings = award_warnings(cohort, rows, enrollment_ids)
    if warnings and not reason:
        raise AwardNeedsReason(warnings)
    with write_transaction():
        already = set(db.session.scalars(select(TopAward.enrollment_id).where(TopAward.cohort_id == cohort.id)))
        elsewhere = awards_in_year(programme_year(cohort)) - len(already)
        chosen = ranking.awardable([row.ranked for row in rows], already, enrollment_ids, year_limit(),
                                   awarded_elsewhere=elsewhere)
        awards = [
            TopAward(cohort_id=cohort.id, enrollment_id=item.entry.enrollment_id, rank_at_award=item.rank,
                     score_at_award=item.parts.total, awarded_by_id=awarded_by.id)
            for item in chosen
        ]
        db.session.add_all(awards)
        db.session.flush()
        for award in awards:
            extra = {"warnings": warnings[award.enrollment_id], "reason": reason} \
                if award.enrollment_id in warnings else {}
            audit.record("top_award.create", award, actor=awarded_by,
                         after={"enrollment_id": award.enrollment_id, "rank": award.rank_at_award,
                                "score": award.score_at_award, **extra})
    return awards


def remove_award(award: TopAward, *, removed_by: User) -> None:
    """Withdraw a top award (an already issued certificate is revoked separately)."""
    with write_transaction():
        before = {"enrollment_id": award.enrollment_id, "rank": award.rank_at_award, "score": award.score_at_award}
        audit.record("top_award.delete", award, actor=removed_by, before=before)
        db.session.delete(award)
