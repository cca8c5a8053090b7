"""Keep module_progress, the dashboard's one-row-per-participant-and-module summary.

The writes that create a fact call one of the record_* functions in their own
transaction: marking a module read, grading a quiz attempt, accepting an assignment.
Each merges into the row with an upsert that only lets a fact grow (first read,
best score, first acceptance), so two writers racing on the same row both count
and neither can erase the other's fact, on SQLite and PostgreSQL alike.

A grade correction is the one writer that can take a fact away (an accepted
version corrected to "needs revision"), so it does not merge: it calls
`recompute_row`, which rebuilds that participant's row for that module from the
fact tables in the caller's transaction.

`rebuild_module_progress` recomputes the whole table from the fact tables. The
migration that created the table filled it the same way; the bench uses it after
bulk inserts, and `flask --app wsgi lms progress rebuild` is there for staff who
repair data by hand.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, delete, func, null, select, union_all
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlalchemy.types import DateTime, Float

from lms.extensions import db
from lms.models import ModuleProgress, ModuleRead, QuizAttempt, Review, Submission


def record_read(user_id: int, module_id: str, at: datetime) -> None:
    """Note that a participant marked a module read (keeps the first time)."""
    _merge(user_id, module_id, read_at=at)


def record_quiz_score(user_id: int, module_id: str, score: float | None) -> None:
    """Note a graded quiz attempt's score (keeps the best)."""
    if score is not None:
        _merge(user_id, module_id, best_quiz_score=score)


def record_accepted(user_id: int, module_id: str, at: datetime) -> None:
    """Note that a mentor accepted a version of the module's assignment (keeps the first time)."""
    _merge(user_id, module_id, accepted_at=at)


def _merge(user_id: int, module_id: str, **facts) -> None:
    """Insert the row, or fold the facts into the existing one, in the caller's transaction."""
    dialect = db.session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    values = {"read_at": None, "best_quiz_score": None, "accepted_at": None} | facts
    statement = insert(ModuleProgress).values(user_id=user_id, module_id=module_id, **values)
    new = statement.excluded
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[ModuleProgress.user_id, ModuleProgress.module_id],
        set_={
            "read_at": func.coalesce(ModuleProgress.read_at, new.read_at),
            "best_quiz_score": case(
                (new.best_quiz_score.is_(None), ModuleProgress.best_quiz_score),
                (ModuleProgress.best_quiz_score.is_(None), new.best_quiz_score),
                (new.best_quiz_score > ModuleProgress.best_quiz_score, new.best_quiz_score),
                else_=ModuleProgress.best_quiz_score,
            ),
            "accepted_at": func.coalesce(ModuleProgress.accepted_at, new.accepted_at),
        },
    ))


def recompute_row(user_id: int, module_id: str) -> None:
    """Rebuild one participant's row for one module from the fact tables, in the caller's transaction."""
    columns = ["user_id", "module_id", "read_at", "best_quiz_score", "accepted_at"]
    db.session.execute(delete(ModuleProgress).where(
        ModuleProgress.user_id == user_id, ModuleProgress.module_id == module_id))
    db.session.execute(ModuleProgress.__table__.insert().from_select(
        columns, facts_statement(user_id=user_id, module_id=module_id)))


def facts_statement(*, user_id: int | None = None, module_id: str | None = None):
    """Select (user_id, module_id, read_at, best_quiz_score, accepted_at) from the fact tables.

    The acceptance time of an accepted version is its first accepted review that no
    later review turned back to "needs revision" (a corrected grade); filters, when
    given, apply inside every branch so one row's recompute reads only its facts.
    """
    no_time, no_score = null().cast(DateTime), null().cast(Float)
    later = aliased(Review)
    turned_back = (
        select(later.id)
        .where(later.submission_id == Review.submission_id, later.id > Review.id, later.decision != "accepted")
        .exists()
    )
    accepted_review = (
        select(func.min(Review.created_at))
        .where(Review.submission_id == Submission.id, Review.decision == "accepted", ~turned_back)
        .scalar_subquery()
    )

    def only(statement, model):
        """Apply the user and module filters to one branch."""
        if user_id is not None:
            statement = statement.where(model.user_id == user_id)
        if module_id is not None:
            statement = statement.where(model.module_id == module_id)
        return statement

    reads = only(select(ModuleRead.user_id, ModuleRead.module_id, ModuleRead.read_at.label("read_at"),
                        no_score.label("score"), no_time.label("accepted_at")), ModuleRead)
    quizzes = only(select(QuizAttempt.user_id, QuizAttempt.module_id, no_time, QuizAttempt.score, no_time)
                   .where(QuizAttempt.submitted_at.is_not(None), QuizAttempt.score.is_not(None)), QuizAttempt)
    accepted = only(select(Submission.user_id, Submission.module_id, no_time, no_score,
                           func.coalesce(accepted_review, Submission.created_at))
                    .where(Submission.status == "accepted"), Submission)
    facts = union_all(reads, quizzes, accepted).subquery()
    return (
        select(facts.c.user_id, facts.c.module_id, func.min(facts.c.read_at), func.max(facts.c.score),
               func.min(facts.c.accepted_at))
        .group_by(facts.c.user_id, facts.c.module_id)
    )


def rebuild_module_progress() -> int:
    """Recompute every row from the fact tables in one transaction; return the row count."""
    columns = ["user_id", "module_id", "read_at", "best_quiz_score", "accepted_at"]
    db.session.execute(delete(ModuleProgress))
    db.session.execute(ModuleProgress.__table__.insert().from_select(columns, facts_statement()))
    count = db.session.scalar(select(func.count()).select_from(ModuleProgress))
    db.session.commit()
    return count

