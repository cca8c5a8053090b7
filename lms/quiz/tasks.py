"""Queue tasks of the quiz area: grade attempts whose time ran out while nobody looked."""

from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy import select

from lms.extensions import db
from lms.models import QuizAttempt, utcnow
from lms.queue import periodic_task
from lms.quiz import operations, queries


@periodic_task("quiz.grade_overdue", crontab(minute="*/5"), label=_l("Menilai kuis yang waktunya habis"),
               when="every 5 minutes")
def grade_overdue_attempts() -> str:
    """Grade every open attempt past its deadline, from the draft saved before it (each exactly once)."""
    now = utcnow()
    overdue = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.submitted_at.is_(None), QuizAttempt.deadline_at.is_not(None),
                                  QuizAttempt.deadline_at <= now).order_by(QuizAttempt.id)
    ).all()
    graded = 0
    for attempt in overdue:
        # The same function the quiz page calls lazily; its UPDATE … WHERE submitted_at IS NULL grades once.
        graded += operations.expire_if_overdue(attempt, queries.pass_mark_for(attempt.course_id), now=now)
    return f"{graded} overdue attempt(s) graded"
