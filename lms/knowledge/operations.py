"""The one write of the knowledge area: store a participant's pre-test or post-test, exactly once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms import audit
from lms.content.schema import KnowledgeTest
from lms.database import write_transaction
from lms.extensions import db
from lms.knowledge import rules
from lms.models import Cohort, KnowledgeTestResult, User


@dataclass(frozen=True)
class SubmitOutcome:
    result: KnowledgeTestResult
    created: bool  # False: the test had been taken already (a double submit or a retry); nothing changed


def submit_test(user: User, cohort: Cohort, phase: str, tests: Sequence[KnowledgeTest],
                answers: Mapping[str, Mapping[str, str]]) -> SubmitOutcome:
    """Score and store one test with an audit row, in one transaction; a second submit changes nothing.

    The unique key (user, cohort, phase) decides a race: on SQLite the write lock serialises
    the two submits and the second finds the first; on PostgreSQL the loser's INSERT fails
    on the key and it returns the winner's row.
    """
    if phase not in rules.PHASES:
        raise ValueError(f"unknown phase: {phase}")
    try:
        with write_transaction():
            existing = _result_of(user.id, cohort.id, phase)
            if existing is not None:
                return SubmitOutcome(existing, created=False)
            kept = {test.module_id: {q.id: answers.get(test.module_id, {}).get(q.id) for q in test.questions}
                    for test in tests}
            result = KnowledgeTestResult(user_id=user.id, cohort_id=cohort.id, phase=phase, answers=kept,
                                         scores=rules.score_answers(tests, answers))
            db.session.add(result)
            db.session.flush()
            audit.record("knowledge.test_submitted", result, actor=user,
                         after={"phase": phase, "score": rules.one_decimal(rules.overall_percent(result.scores))})
            return SubmitOutcome(result, created=True)
    except IntegrityError:
        existing = _result_of(user.id, cohort.id, phase)
        if existing is None:
            raise
        return SubmitOutcome(existing, created=False)


def _result_of(user_id: int, cohort_id: int, phase: str) -> KnowledgeTestResult | None:
    return db.session.scalar(select(KnowledgeTestResult).where(
        KnowledgeTestResult.user_id == user_id, KnowledgeTestResult.cohort_id == cohort_id,
        KnowledgeTestResult.phase == phase))
