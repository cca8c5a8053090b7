"""Count the changes to what a cohort's impact report is computed from, in the transaction that makes them.

The stored figures (lms/impact/snapshot.py) are fresh while their cohort's counters
are unchanged, so a read costs one primary-key lookup whatever the cohort's size.
The counters are not left to every writer remembering them: session events see
every write that goes through a SQLAlchemy Session and bump the counters of the
cohorts it touches, in the same transaction, just before it commits.

- ORM objects (after each flush, with their cohort ids filled in): a survey response,
  a knowledge test result or an enrollment names its cohort (and, when moved, the old
  one); a person (`User`) or profile touches every cohort the person is enrolled in;
  an edited cohort (name, slug, course) its own. A deleted person bumps row 0.
- Statements run through `Session.execute` (bulk INSERT, UPDATE, DELETE): the cohorts
  are read from the parameters, or selected with the statement's own WHERE before it
  runs; when they cannot be worked out (an INSERT … SELECT, an UPDATE that moves rows
  to another cohort) row 0 is bumped.
- Row 0 (`EVERY_COHORT`) is part of every cohort's count: bumping it makes every
  report stale, which is always safe.

What bypasses the Session (statements on `session.connection()`, raw SQL text) must
call `note(...)` itself: self-registration's plain statements do. The counters are
written as the transaction's last statements, in cohort order, so the row lock is held
only while committing and two writers never wait on each other in opposite orders.

Each cohort's counter is `SHARDS` rows, and a transaction bumps one of them, drawn at
random (the same shard for every cohort it touches, so the order rule still holds).
With one row, the 50 registrations of a closing-rush burst each held that row's lock
through their COMMIT's WAL flush, one after the other; with 16, two commits of a burst
meet on a row one time in 16. A count is the sum of its shards, read in one statement,
so it still rises with every committed change.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable

from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lms.extensions import db
from lms.models import (
    Cohort,
    Enrollment,
    ImpactInputCounter,
    KnowledgeTestResult,
    ParticipantProfile,
    SurveyResponse,
    User,
)

SURVEY, KNOWLEDGE = "survey", "knowledge"
BOTH = frozenset({SURVEY, KNOWLEDGE})
EVERY_COHORT = 0
PENDING = "impact_input_changes"
SHARDS = 16

# Rows that name their cohort, and which part of the report they feed.
BY_COHORT = {SurveyResponse: frozenset({SURVEY}), KnowledgeTestResult: frozenset({KNOWLEDGE}), Enrollment: BOTH}
# Rows of one person (the id column naming the person): they feed every cohort the person is enrolled in.
BY_PERSON = {User: User.id, ParticipantProfile: ParticipantProfile.user_id}
WATCHED = {model.__tablename__: model for model in (*BY_COHORT, *BY_PERSON, Cohort)}
# The columns the report reads: an update of any other (a login time, a registration number) changes nothing.
RELEVANT = {
    SurveyResponse: {"user_id", "cohort_id", "wave", "status", "version_no", "answers", "survey_id"},
    KnowledgeTestResult: {"user_id", "cohort_id", "phase", "scores"},
    Enrollment: {"user_id", "cohort_id", "status"},
    User: {"phone"},
    ParticipantProfile: {"user_id", "regency_code", "sector"},
    Cohort: {"name", "slug", "course_id"},
}
SUBMITTED = "submitted"


def note(session: Session, cohort_ids: Iterable[int], kinds: Iterable[str] = BOTH) -> None:
    """Remember that this transaction changes these cohorts' report inputs (bumped just before it commits)."""
    pending = session.info.setdefault(PENDING, {})
    for cohort_id in cohort_ids:
        if cohort_id is not None:
            pending.setdefault(int(cohort_id), set()).update(kinds)


def counts(cohort_id: int) -> tuple[int, int]:
    """(survey, knowledge): the cohort's change counts, row 0's included (one primary-key range read of the shards)."""
    rows = db.session.execute(select(ImpactInputCounter.survey, ImpactInputCounter.knowledge)
                              .where(ImpactInputCounter.cohort_id.in_((EVERY_COHORT, cohort_id)))).all()
    return sum(row.survey for row in rows), sum(row.knowledge for row in rows)


def cohorts_of_people(session: Session, user_ids: Iterable[int]) -> set[int]:
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return set()
    return set(session.execute(select(Enrollment.cohort_id).where(Enrollment.user_id.in_(ids)).distinct()).scalars())


@event.listens_for(Session, "before_flush")
def _deleted_in_flush(session: Session, _context, _instances) -> None:
    """Note the cohorts of the objects this flush deletes (read now: after the flush their rows are gone)."""
    people = set()
    for obj in session.deleted:
        model = type(obj)
        if model is SurveyResponse and obj.status != SUBMITTED:
            continue  # a draft counts nowhere
        if model in BY_COHORT:
            note(session, [obj.cohort_id, *inspect(obj).attrs.cohort_id.history.deleted], BY_COHORT[model])
        elif model is User:
            note(session, [EVERY_COHORT])  # their enrollments go with them (a cascade the ORM may not see)
        elif model is ParticipantProfile:
            people.add(obj.user_id)
    note(session, cohorts_of_people(session, people))


@event.listens_for(Session, "after_flush")
def _written_in_flush(session: Session, _context) -> None:
    """Note the cohorts of the objects this flush inserted or updated (ids filled in, histories still there)."""
    people = set()
    changed = list(session.new) + [obj for obj in session.dirty if _relevant_update(obj)]
    for obj in changed:
        model = type(obj)
        if model is SurveyResponse and not _submitted_now_or_before(obj):
            continue  # a draft saved again counts nowhere
        if model in BY_COHORT:
            note(session, [obj.cohort_id, *inspect(obj).attrs.cohort_id.history.deleted], BY_COHORT[model])
        elif model in BY_PERSON:
            key = BY_PERSON[model].key
            people.update([getattr(obj, key), *inspect(obj).attrs[key].history.deleted])
        elif model is Cohort and obj not in session.new:
            note(session, [obj.id])
    note(session, cohorts_of_people(session, people))


@event.listens_for(Session, "do_orm_execute")
def _seen_in_statement(state) -> None:
    """Note the cohorts a bulk INSERT, UPDATE or DELETE on a watched table will touch (before it runs)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    model = WATCHED.get(getattr(table, "name", None))
    if model is None:
        return
    session = state.session
    if state.is_insert:
        _inserted(session, model, state.parameters)
        return
    where = state.statement.whereclause
    if state.is_update and not _sets(state.statement, RELEVANT[model]):
        return  # e.g. a person's version or login time
    if where is None or (state.is_update and model in BY_COHORT and _sets(state.statement, {"cohort_id"})):
        note(session, [EVERY_COHORT])  # every row, or rows moved to another cohort
    elif model in BY_COHORT:
        note(session, session.execute(select(model.cohort_id).where(where).distinct()).scalars(), BY_COHORT[model])
    elif model in BY_PERSON:
        note(session, cohorts_of_people(session, session.execute(select(BY_PERSON[model]).where(where)).scalars()))
    elif state.is_update:  # a cohort's name, slug or course
        note(session, session.execute(select(Cohort.id).where(where)).scalars())


def _relevant_update(obj) -> bool:
    """Tell whether a dirty object's update touches a column the report reads."""
    columns = RELEVANT.get(type(obj))
    if not columns:
        return False
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in columns)


def _submitted_now_or_before(response: SurveyResponse) -> bool:
    return response.status == SUBMITTED or SUBMITTED in inspect(response).attrs.status.history.deleted


def _inserted(session: Session, model, parameters) -> None:
    rows = parameters if isinstance(parameters, list) else [parameters] if parameters else []
    if model is User or model is Cohort:
        return  # a new person has no enrollment yet, a new cohort no report
    if not rows or any("cohort_id" not in row and "user_id" not in row for row in rows):
        note(session, [EVERY_COHORT])  # INSERT … SELECT or values in the statement: the cohorts are not known
    elif model in BY_COHORT:
        note(session, [row.get("cohort_id") for row in rows], BY_COHORT[model])
        if any(row.get("cohort_id") is None for row in rows):
            note(session, [EVERY_COHORT])
    else:
        note(session, cohorts_of_people(session, [row.get("user_id") for row in rows]))


def _sets(statement, columns: set[str]) -> bool:
    """Tell whether an UPDATE sets one of these columns (or its values are not known)."""
    values = getattr(statement, "_values", None) or dict(getattr(statement, "_ordered_values", None) or ())
    if not values:
        return True
    return any(getattr(key, "key", getattr(key, "name", key)) in columns for key in values)


@event.listens_for(Session, "before_commit")
def _bump(session: Session) -> None:
    """Write the noted counts as the transaction's last statements (flushing first, so nothing is missed)."""
    session.flush()
    pending = session.info.pop(PENDING, None)
    if pending:
        write_counts(session.connection(), pending)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def write_counts(connection, pending: dict[int, set[str]]) -> None:
    """Add one to each noted cohort's counters in one shard, creating its row at its first change.

    Cohort order, and one shard for the whole transaction: two writers never wait on each other in opposite orders.
    """
    statement = _upsert_count(connection.dialect.name)
    shard = random.randrange(SHARDS)  # noqa: S311 - a spread, not a secret
    for cohort_id in sorted(pending):
        survey, knowledge = int(SURVEY in pending[cohort_id]), int(KNOWLEDGE in pending[cohort_id])
        connection.execute(statement, {"cohort_id": cohort_id, "shard": shard, "survey": survey,
                                       "knowledge": knowledge})


@functools.cache
def _upsert_count(dialect_name: str):
    """Build the counter upsert once per dialect (building a statement costs more than running it)."""
    table = ImpactInputCounter.__table__
    dialect_insert = postgresql_insert if dialect_name == "postgresql" else sqlite_insert
    statement = dialect_insert(table).values(cohort_id=bindparam("cohort_id"), shard=bindparam("shard"),
                                             survey=bindparam("survey"), knowledge=bindparam("knowledge"))
    return statement.on_conflict_do_update(
        index_elements=[table.c.cohort_id, table.c.shard],
        set_={"survey": table.c.survey + statement.excluded.survey,
              "knowledge": table.c.knowledge + statement.excluded.knowledge})
