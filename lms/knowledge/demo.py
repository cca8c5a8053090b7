"""Demo knowledge tests for FTD Demo: participants 1–12 took the pre-test, 1–10 the post-test too.

The answers follow a fixed pattern, right a little over half the time before and about
three times in four after, so the report shows a plausible rise (in the spirit of
Prakerja's 53 → 68) with pre-only participants counted in n but not in the paired means.
Participants 13–20 have not taken it, so a newcomer can log in as one and take the
pre-test. Safe to run again: a test already taken is left as it is.
"""

from __future__ import annotations

import random

from sqlalchemy import select

from lms import seed
from lms.extensions import db
from lms.knowledge import operations, queries
from lms.models import Cohort, KnowledgeTestResult, User
from lms.phone import normalize_phone

PRE_TAKERS = range(1, 13)
POST_TAKERS = range(1, 11)
CHANCE_RIGHT = {"pre": 0.5, "post": 0.7}  # the chance a demo participant gets an item right


def seed_demo(cohort: Cohort) -> None:
    """Store the demo participants' pre-tests and post-tests once."""
    tests = queries.course_tests(cohort.course_id)
    if not tests:
        return
    for index in PRE_TAKERS:
        user = db.session.scalar(select(User).where(User.phone == normalize_phone(seed.participant_phone(index))))
        if user is None:
            continue
        for phase in ("pre", "post") if index in POST_TAKERS else ("pre",):
            if not _taken(user, cohort, phase):
                operations.submit_test(user, cohort, phase, tests, demo_answers(tests, index, phase))


def demo_answers(tests, index: int, phase: str) -> dict[str, dict[str, str]]:
    """A fixed mix of right and wrong choices for demo participant `index`."""
    answers: dict[str, dict[str, str]] = {}
    for test in tests:
        for question in test.questions:
            # Seeded by name, so every run makes the same demo (not for anything secret).
            draw = random.Random(f"{index}/{phase}/{test.module_id}/{question.id}")  # noqa: S311
            right = draw.random() < CHANCE_RIGHT[phase]
            choices = [c.id for c in question.choices if c.correct == right]
            answers.setdefault(test.module_id, {})[question.id] = draw.choice(choices)
    return answers


def _taken(user: User, cohort: Cohort, phase: str) -> bool:
    return db.session.scalar(select(KnowledgeTestResult.id).where(
        KnowledgeTestResult.user_id == user.id, KnowledgeTestResult.cohort_id == cohort.id,
        KnowledgeTestResult.phase == phase)) is not None
