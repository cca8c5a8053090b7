"""What each participant has completed, and whether that meets a course's rules.

`facts_for_users` gathers reads, best quiz scores and latest assignment statuses for
any number of participants in a fixed number of queries; `evaluate` is a pure
function of those facts and a course's rules. Course pages, certificate
eligibility, dashboards and the ranking all build on these two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from lms.content.schema import Course, Module
from lms.extensions import db
from lms.models import ModuleRead, QuizAttempt, Submission


@dataclass
class Facts:
    """Everything one participant has done that completion depends on."""

    read: set[str] = field(default_factory=set)  # module ids marked as read
    best_quiz_score: dict[str, float] = field(default_factory=dict)  # module id → best percent
    assignment_status: dict[str, str] = field(default_factory=dict)  # module id → status of latest version


@dataclass(frozen=True)
class ModuleCompletion:
    module_id: str
    read: bool
    has_quiz: bool
    quiz_passed: bool
    best_score: float | None
    has_assignment: bool
    assignment_status: str | None  # None (nothing sent), submitted, needs_revision, accepted

    @property
    def assignment_accepted(self) -> bool:
        return self.assignment_status == "accepted"


@dataclass(frozen=True)
class Completion:
    modules: tuple[ModuleCompletion, ...]
    missing: tuple[tuple[str, str], ...]  # (module id, "read" | "quiz" | "assignment")

    @property
    def eligible(self) -> bool:
        return not self.missing

    def of(self, module_id: str) -> ModuleCompletion | None:
        """Return one module's completion."""
        return next((m for m in self.modules if m.module_id == module_id), None)


def evaluate(course: Course, modules: Iterable[Module], facts: Facts) -> Completion:
    """Apply the course's completion rules to one participant's facts."""
    results, missing = [], []
    for module in modules:
        best = facts.best_quiz_score.get(module.id)
        item = ModuleCompletion(
            module_id=module.id,
            read=module.id in facts.read,
            has_quiz=module.quiz is not None,
            quiz_passed=best is not None and best >= course.pass_mark,
            best_score=best,
            has_assignment=module.assignment is not None,
            assignment_status=facts.assignment_status.get(module.id),
        )
        results.append(item)
        if course.require_read and not item.read:
            missing.append((module.id, "read"))
        if course.require_quiz and item.has_quiz and not item.quiz_passed:
            missing.append((module.id, "quiz"))
        if course.require_assignment and item.has_assignment and not item.assignment_accepted:
            missing.append((module.id, "assignment"))
    return Completion(tuple(results), tuple(missing))


def facts_for_users(user_ids: Iterable[int], module_ids: Iterable[str]) -> dict[int, Facts]:
    """Gather the facts of many participants in three queries."""
    user_ids, module_ids = list(user_ids), list(module_ids)
    facts: dict[int, Facts] = defaultdict(Facts)
    if not user_ids:
        return facts
    reads = select(ModuleRead.user_id, ModuleRead.module_id).where(
        ModuleRead.user_id.in_(user_ids), ModuleRead.module_id.in_(module_ids)
    )
    for user_id, module_id in db.session.execute(reads):
        facts[user_id].read.add(module_id)
    best_scores = (
        select(QuizAttempt.user_id, QuizAttempt.module_id, func.max(QuizAttempt.score))
        .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.module_id.in_(module_ids),
               QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.user_id, QuizAttempt.module_id)
    )
    for user_id, module_id, score in db.session.execute(best_scores):
        facts[user_id].best_quiz_score[module_id] = float(score)
    for user_id, module_id, status in db.session.execute(latest_submission_statuses(user_ids, module_ids)):
        facts[user_id].assignment_status[module_id] = status
    return facts


def latest_submission_statuses(user_ids: list[int], module_ids: list[str]):
    """Select (user id, module id, status) of each participant's newest submission version."""
    newest = (
        select(Submission.user_id, Submission.module_id, func.max(Submission.version_no).label("version_no"))
        .where(Submission.user_id.in_(user_ids), Submission.module_id.in_(module_ids))
        .group_by(Submission.user_id, Submission.module_id)
        .subquery()
    )
    return select(Submission.user_id, Submission.module_id, Submission.status).join(
        newest,
        (Submission.user_id == newest.c.user_id)
        & (Submission.module_id == newest.c.module_id)
        & (Submission.version_no == newest.c.version_no),
    )
