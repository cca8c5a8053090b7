"""Everything about the viewer that a module page shows, read in one query.

The module page is the busiest page of the site. Its per-user parts (may the viewer
read it, has it been marked read, the unread-notice badge, the quiz and assignment
cards) used to cost one query each; here they share one round trip, and the result
doubles as the key of the rendered-page cache (lms/learn/page_cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, bindparam, exists, func, select

from lms.extensions import db
from lms.models import Cohort, Enrollment, EnrollmentStatus, ModuleRead, Notification, QuizAttempt, Submission, User


@dataclass(frozen=True)
class ModulePageState:
    """The viewer's side of one module page; equal states render equal pages."""

    role: str
    may_read: bool
    is_read: bool
    unread_notices: int
    quiz_attempts: int
    quiz_open: bool
    quiz_best_score: float | None
    assignment_status: str | None

    def quiz_passed(self, pass_mark: int) -> bool:
        """Tell whether the best submitted score reaches the course's pass mark."""
        return self.quiz_best_score is not None and self.quiz_best_score >= pass_mark


@cache
def state_statement() -> Select:
    """Build the one SELECT once; each request only binds the user, course and module."""
    user_id, course_id, module_id = bindparam("user_id"), bindparam("course_id"), bindparam("module_id")
    enrolled = exists().where(
        Enrollment.user_id == user_id,
        Enrollment.status != EnrollmentStatus.WITHDRAWN,
        Enrollment.cohort_id == Cohort.id,
        Cohort.course_id == course_id,
    )
    is_read = exists().where(ModuleRead.user_id == user_id, ModuleRead.module_id == module_id)
    unread = (
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    of_this_quiz = (QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id)
    attempts = select(func.count()).select_from(QuizAttempt).where(*of_this_quiz).scalar_subquery()
    quiz_open = exists().where(*of_this_quiz, QuizAttempt.submitted_at.is_(None))
    # The best submitted score is the one that counts (lms.quiz.scoring.best_score).
    best = (
        select(func.max(QuizAttempt.score))
        .where(*of_this_quiz, QuizAttempt.submitted_at.is_not(None))
        .scalar_subquery()
    )
    newest_status = (
        select(Submission.status)
        .where(Submission.user_id == user_id, Submission.module_id == module_id)
        .order_by(Submission.version_no.desc())
        .limit(1)
        .scalar_subquery()
    )
    return select(enrolled, is_read, unread, attempts, quiz_open, best, newest_status)


def module_page_state(user: User, course_id: str, module_id: str) -> ModulePageState:
    """Return the viewer's state for one module page in a single query."""
    # Core execution on the session's connection: the ORM layer adds nothing to a row of scalars.
    enrolled, is_read, unread, attempts, quiz_open, best, status = db.session.connection().execute(
        state_statement(), {"user_id": user.id, "course_id": course_id, "module_id": module_id}
    ).one()
    return ModulePageState(
        role=user.role,
        may_read=bool(enrolled or user.is_staff or user.is_mentor),
        is_read=bool(is_read),
        unread_notices=unread or 0,
        quiz_attempts=attempts or 0,
        quiz_open=bool(quiz_open),
        quiz_best_score=None if best is None else float(best),
        assignment_status=status,
    )
