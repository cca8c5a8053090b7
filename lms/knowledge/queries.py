"""What the knowledge pages and the report read: a course's items, a participant's state, a cohort's results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select

from lms.content.schema import KnowledgeTest
from lms.extensions import db
from lms.knowledge import rules
from lms.learn.store import get_content
from lms.models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    KnowledgeTestResult,
    ModuleRead,
    QuizAttempt,
    User,
)

# Who may take the tests (selected people take the pre-test at orientation) and who the report counts.
TAKING_STATUSES = (EnrollmentStatus.SELECTED.value, EnrollmentStatus.ACTIVE.value, EnrollmentStatus.GRADUATED.value)
REPORTED_STATUSES = (EnrollmentStatus.ACTIVE.value, EnrollmentStatus.GRADUATED.value)


def course_module_ids(course_id: str) -> list[str]:
    """The course's modules in the manifest's order (empty for an unknown course)."""
    course = get_content().course(course_id)
    return [] if course is None else list(course.listed_module_ids or course.module_ids)


def course_tests(course_id: str) -> list[KnowledgeTest]:
    """The knowledge tests of a course's modules, in the course's order (modules without one are skipped)."""
    tests = get_content().library.knowledge_tests
    return [tests[module_id] for module_id in course_module_ids(course_id) if module_id in tests]


def module_titles(module_ids: Sequence[str]) -> dict[str, str]:
    """Module id → title, for the pages and the report."""
    modules = get_content().modules
    return {module_id: modules[module_id].title if module_id in modules else module_id for module_id in module_ids}


def results_of(user_id: int, cohort_id: int) -> dict[str, KnowledgeTestResult]:
    """Phase → the participant's result in one cohort."""
    rows = db.session.scalars(select(KnowledgeTestResult).where(
        KnowledgeTestResult.user_id == user_id, KnowledgeTestResult.cohort_id == cohort_id))
    return {row.phase: row for row in rows}


def started_learning(user_id: int, module_ids: Sequence[str]) -> bool:
    """Tell whether the participant has marked a module read or submitted a quiz of the course."""
    read = exists().where(ModuleRead.user_id == user_id, ModuleRead.module_id.in_(module_ids))
    quiz = exists().where(QuizAttempt.user_id == user_id, QuizAttempt.module_id.in_(module_ids),
                          QuizAttempt.submitted_at.is_not(None))
    return bool(db.session.scalar(select(read | quiz)))


def finished_modules(user_id: int, module_ids: Sequence[str]) -> bool:
    """Tell whether every module of the course is marked read."""
    if not module_ids:
        return False
    count = db.session.scalar(select(func.count(func.distinct(ModuleRead.module_id))).where(
        ModuleRead.user_id == user_id, ModuleRead.module_id.in_(module_ids)))
    return count == len(set(module_ids))


@dataclass
class ParticipantTests:
    """Everything the participant's pages need: the items, both states and the stored results."""

    enrollment: Enrollment
    tests: list[KnowledgeTest]
    states: dict[str, str]  # phase → rules.pretest_state / posttest_state
    results: dict[str, KnowledgeTestResult] = field(default_factory=dict)

    def open_phase(self) -> str | None:
        """The test the participant can take now, if any (the pre-test first)."""
        return next((phase for phase in rules.PHASES if self.states[phase] == "open"), None)


def participant_tests(user: User) -> ParticipantTests | None:
    """The participant's knowledge tests in their current cohort; None when they have none to take."""
    enrollment = user.current_enrollment()
    if enrollment is None or enrollment.status not in TAKING_STATUSES:
        return None
    module_ids = course_module_ids(enrollment.cohort.course_id)
    tests = course_tests(enrollment.cohort.course_id)
    if not tests:
        return None
    results = results_of(user.id, enrollment.cohort_id)
    states = {
        "pre": rules.pretest_state(has_items=True, taken="pre" in results,
                                   started_learning="pre" not in results and started_learning(user.id, module_ids)),
        "post": rules.posttest_state(has_items=True, taken="post" in results,
                                     finished_modules="post" not in results and finished_modules(user.id, module_ids)),
    }
    return ParticipantTests(enrollment=enrollment, tests=tests, states=states, results=results)


def posttest_taken(cohort: Cohort, user_ids: Sequence[int]) -> set[int]:
    """The users among `user_ids` who took the cohort's post-test (one query)."""
    if not user_ids:
        return set()
    return set(db.session.scalars(select(KnowledgeTestResult.user_id).where(
        KnowledgeTestResult.cohort_id == cohort.id, KnowledgeTestResult.phase == "post",
        KnowledgeTestResult.user_id.in_(list(user_ids)))))


def posttest_gate(cohort: Cohort, user_ids: Sequence[int]) -> set[int] | None:
    """For the certificate: None when the cohort does not wait for the post-test, else who took it (one query)."""
    if not cohort.posttest_required or not cohort_has_tests(cohort):
        return None
    return posttest_taken(cohort, user_ids)


def waits_for_posttest(enrollment: Enrollment) -> bool:
    """Tell whether the enrollment's certificate waits for a post-test not taken yet."""
    taken = posttest_gate(enrollment.cohort, [enrollment.user_id])
    return taken is not None and enrollment.user_id not in taken


def cohort_has_tests(cohort: Cohort) -> bool:
    """Tell whether the cohort's course has knowledge test items."""
    return bool(course_tests(cohort.course_id))


def cohort_gain(cohort: Cohort) -> dict:
    """The cohort's knowledge gain (unrounded), over its active and graduated participants (one query)."""
    rows = db.session.execute(
        select(KnowledgeTestResult.user_id, KnowledgeTestResult.phase, KnowledgeTestResult.scores)
        .join(Enrollment, (Enrollment.user_id == KnowledgeTestResult.user_id)
              & (Enrollment.cohort_id == KnowledgeTestResult.cohort_id))
        .where(KnowledgeTestResult.cohort_id == cohort.id, Enrollment.status.in_(REPORTED_STATUSES)))
    by_user: dict[int, dict[str, dict]] = {}
    for user_id, phase, scores in rows:
        by_user.setdefault(user_id, {})[phase] = scores
    module_ids = [test.module_id for test in course_tests(cohort.course_id)]
    return rules.knowledge_gain(((tests.get("pre"), tests.get("post")) for tests in by_user.values()), module_ids)


def report_section(cohort: Cohort) -> dict | None:
    """The knowledge gain for the report page, PDF and XLSX: rounded, with module titles; None without items."""
    return section_of(stored_gain(cohort))


def stored_gain(cohort: Cohort) -> dict | None:
    """What the impact report keeps with its figures: the unrounded gain, or None when the course has no items."""
    return cohort_gain(cohort) if cohort_has_tests(cohort) else None


def tests_signature(cohort: Cohort) -> tuple:
    """The course and its modules' item versions: the gain is computed from them (part of the report's stamp)."""
    return cohort.course_id, tuple((test.module_id, test.version) for test in course_tests(cohort.course_id))


def section_of(gain: dict | None) -> dict | None:
    """A gain (as stored) rounded for display, with module titles; None stays None."""
    if gain is None:
        return None
    gain = rules.rounded_gain(gain)
    titles = module_titles([row["module"] for row in gain["modules"]])
    for row in gain["modules"]:
        row["title"] = titles[row["module"]]
    return gain
